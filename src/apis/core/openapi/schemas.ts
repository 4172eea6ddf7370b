// The OpenAPI schema definitions of the served kinds, generated from the decoder's
// schema nodes (../schema.ts, ../schema-cluster.ts) and the per-type docs. One walk
// serves both documents: Swagger 2.0 refers with `{$ref}`, OpenAPI 3 with
// `{allOf: [{$ref}]}` so a description can sit beside the reference, as
// kube-apiserver publishes them (k8s.io/kube-openapi pkg/builder3).
import {
  CONFIGMAP_SCHEMA,
  POD_SCHEMA,
  SECRET_SCHEMA,
  SERVICE_ACCOUNT_SCHEMA,
  type ObjectNode,
  type SchemaNode,
} from '../schema.js';
import { EVENT_SCHEMA, NAMESPACE_SCHEMA, NODE_SCHEMA, STATUS_SCHEMA, listOf } from '../schema-cluster.js';
import { CLUSTER_DOCS } from './docs-cluster.js';
import { PV_SCHEMA, PVC_SCHEMA } from '../schema-storage.js';
import { STORAGE_DOCS } from './docs-storage.js';
import { CONTAINER_DOCS } from './docs-container.js';
import { META_DOCS } from './docs-meta.js';
import { POD_DOCS } from './docs-pod.js';
import type { FieldDoc, TypeDoc, TypeDocs } from './doc-types.js';

export type JsonSchema = Record<string, unknown>;
export type RefStyle = 'v2' | 'v3';

export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const GVK_EXTENSION = 'x-kubernetes-group-version-kind';

/** The kinds served under /api/v1, each with its list; Status answers every error. */
export const SERVED_KINDS: readonly ObjectNode[] = [
  POD_SCHEMA,
  SECRET_SCHEMA,
  CONFIGMAP_SCHEMA,
  SERVICE_ACCOUNT_SCHEMA,
  NAMESPACE_SCHEMA,
  EVENT_SCHEMA,
  NODE_SCHEMA,
  PVC_SCHEMA,
  PV_SCHEMA,
];
export const ROOT_TYPES: readonly ObjectNode[] = [...SERVED_KINDS, ...SERVED_KINDS.map(listOf), STATUS_SCHEMA];

export const TYPE_DOCS: TypeDocs = {
  ...META_DOCS,
  ...POD_DOCS,
  ...CONTAINER_DOCS,
  ...CLUSTER_DOCS,
  ...STORAGE_DOCS,
  ...listDocs(),
};

/** `Pod` → `io.k8s.api.core.v1.Pod`; `meta.ListMeta` → `io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta`. */
export function definitionName(typeName: string): string {
  return typeName.startsWith('meta.')
    ? `io.k8s.apimachinery.pkg.apis.meta.v1.${typeName.slice('meta.'.length)}`
    : `io.k8s.api.core.v1.${typeName}`;
}

const refPath = (style: RefStyle, def: string) =>
  style === 'v3' ? `#/components/schemas/${def}` : `#/definitions/${def}`;

/** Every object type reachable from the roots, by type name (first node seen wins). */
export function collectTypes(roots: readonly ObjectNode[] = ROOT_TYPES): Map<string, ObjectNode[]> {
  const seen = new Map<string, ObjectNode[]>();
  const visit = (n: SchemaNode): void => {
    if (typeof n === 'string') return;
    if ('items' in n || 'values' in n) {
      visit('items' in n ? n.items : n.values);
      return;
    }
    const same = seen.get(n.name);
    if (same?.includes(n)) return;
    if (same) same.push(n);
    else seen.set(n.name, [n]);
    for (const child of Object.values(n.fields)) visit(child);
  };
  for (const r of roots) visit(r);
  return seen;
}

/** All definitions of a document, keyed by their OpenAPI name. */
export function buildDefinitions(style: RefStyle): Record<string, JsonSchema> {
  // v3 states the alternatives (kube-openapi's OpenAPIV3OneOfTypes); without a top-level `type`,
  // kubectl explain names them by their definition (`<Quantity>`, `<IntOrString>`).
  const oneOf = (v2: JsonSchema, types: string[]) => (style === 'v3' ? { oneOf: types.map((type) => ({ type })) } : v2);
  const defs: Record<string, JsonSchema> = {
    [QUANTITY]: {
      description:
        'A fixed-point amount of a resource, written as a number with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (k, M, G, T, P, E, and m for thousandths) or an exponent (`1e3`). For example `500m` cpu, `128Mi` memory.',
      ...oneOf({ type: 'string' }, ['string', 'number']),
    },
    [INT_OR_STRING]: {
      description: 'A value that is either an integer or a string, such as a port number or a port name.',
      ...oneOf({ type: 'string' }, ['integer', 'string']),
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    },
  };
  const gvkOf = new Map(ROOT_TYPES.map((t) => [t.name, t]));
  for (const [name, nodes] of collectTypes()) {
    const node = nodes[0]!;
    const doc = TYPE_DOCS[name];
    const def = objectDefinition(node, doc, style);
    if (gvkOf.has(name) && !name.startsWith('meta.')) def[GVK_EXTENSION] = [{ group: '', version: 'v1', kind: name }];
    if (name === 'meta.Status') def[GVK_EXTENSION] = [{ group: '', version: 'v1', kind: 'Status' }];
    defs[definitionName(name)] = def;
  }
  return defs;
}

function objectDefinition(node: ObjectNode, doc: TypeDoc | undefined, style: RefStyle): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [field, child] of Object.entries(node.fields)) {
    const fd = fieldDoc(doc, field);
    properties[field] = fieldSchema(child, fd, style);
    if (fd.required) required.push(field);
  }
  return {
    description: doc?.d ?? '',
    type: 'object',
    ...(required.length > 0 ? { required } : {}),
    properties,
  };
}

export function fieldDoc(doc: TypeDoc | undefined, field: string): FieldDoc {
  const f = doc?.fields[field];
  if (f === undefined) return { d: '' };
  return typeof f === 'string' ? { d: f } : f;
}

function fieldSchema(node: SchemaNode, fd: FieldDoc, style: RefStyle): JsonSchema {
  const described = (s: JsonSchema): JsonSchema => (fd.d ? { ...s, description: fd.d } : s);
  if (typeof node === 'string' || !('items' in node || 'values' in node)) {
    return described(typeSchema(node, fd, style, true));
  }
  if ('values' in node) {
    return described({ type: 'object', additionalProperties: typeSchema(node.values, fd, style, false) });
  }
  return described({ type: 'array', items: typeSchema(node.items, fd, style, false), ...listExtensions(fd) });
}

/** A leaf or an object reference; `field` says whether enums/formats of the field apply here. */
function typeSchema(node: SchemaNode, fd: FieldDoc, style: RefStyle, field: boolean): JsonSchema {
  const ref = (def: string): JsonSchema =>
    style === 'v3' ? { allOf: [{ $ref: refPath(style, def) }] } : { $ref: refPath(style, def) };
  if (typeof node !== 'string') {
    if ('items' in node) return { type: 'array', items: typeSchema(node.items, fd, style, false) };
    if ('values' in node) return { type: 'object', additionalProperties: typeSchema(node.values, fd, style, false) };
    return ref(definitionName(node.name));
  }
  switch (node) {
    case 'string':
      return {
        type: 'string',
        ...(fd.format === 'byte' || fd.format === 'date-time' ? { format: fd.format } : {}),
        ...(field && fd.enum ? { enum: [...fd.enum] } : {}),
      };
    case 'integer':
      return { type: 'integer', format: fd.format === 'int64' ? 'int64' : 'int32' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int-or-string':
      return ref(INT_OR_STRING);
    case 'quantity':
      return ref(QUANTITY);
    case 'any':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
}

/** Strategic-merge and server-side-apply list semantics (the `+patchMergeKey`/`+listType` markers). */
function listExtensions(fd: FieldDoc): JsonSchema {
  if (fd.mergeKey) {
    return {
      'x-kubernetes-list-map-keys': [...(fd.listMapKeys ?? [fd.mergeKey])],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': fd.mergeKey,
      'x-kubernetes-patch-strategy': 'merge',
    };
  }
  if (fd.set) return { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' };
  return {};
}

function listDocs(): TypeDocs {
  const out: TypeDocs = {};
  for (const k of SERVED_KINDS) {
    out[`${k.name}List`] = {
      d: `A list of ${k.name} objects.`,
      fields: {
        apiVersion: META_DOCS['meta.Status']!.fields.apiVersion!,
        kind: META_DOCS['meta.Status']!.fields.kind!,
        metadata:
          'Standard list metadata: the resourceVersion the list was read at, and the continue token of a paged list.',
        items: `The ${k.name} objects.`,
      },
    };
  }
  return out;
}
