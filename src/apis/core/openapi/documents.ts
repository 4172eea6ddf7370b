// The two documents kubectl reads: OpenAPI 3.0 for group-version `api/v1`
// (`GET /openapi/v3/api/v1`) and Swagger 2.0 (`GET /openapi/v2`). Besides the
// schemas, kubectl needs the operations: `apply` decides that the server
// validates fields itself when the PATCH operation of the object's kind carries
// the `fieldValidation` query parameter (k8s.io/cli-runtime pkg/resource
// query_param_verifier_v3.go supportsQueryParamV3), and picks a strategic-merge
// patch when that PATCH accepts application/strategic-merge-patch+json
// (k8s.io/kubectl pkg/cmd/apply patcher.go gvkSupportsPatchOpenAPIV3).
import { GVK_EXTENSION, buildDefinitions, definitionName, type JsonSchema, type RefStyle } from './schemas.js';

/** What the documents need to know of a served resource (taken from discovery). */
export interface ResourceOperations {
  /** The plural resource name: `pods`. */
  name: string;
  kind: string;
  namespaced: boolean;
  /** Discovery verbs: get, list, watch, create, update, patch, delete. */
  verbs: readonly string[];
}

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

const INFO = { title: 'Kubernetes', version: 'v1.32.0' };

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Op {
  method: Method;
  action: string;
  verb: string;
  /** The request body's schema, for writes. */
  body?: 'object' | 'patch';
  response: string;
  writeParams?: true;
}

export function openApiV3(resources: readonly ResourceOperations[]): JsonSchema {
  return {
    openapi: '3.0.0',
    info: INFO,
    paths: buildPaths(resources, 'v3'),
    components: { schemas: buildDefinitions('v3') },
  };
}

export function openApiV2(resources: readonly ResourceOperations[]): JsonSchema {
  return {
    swagger: '2.0',
    info: INFO,
    paths: buildPaths(resources, 'v2'),
    definitions: buildDefinitions('v2'),
  };
}

function buildPaths(resources: readonly ResourceOperations[], style: RefStyle): Record<string, JsonSchema> {
  const paths: Record<string, JsonSchema> = {};
  for (const r of resources) {
    const kindDef = definitionName(r.kind);
    const listDef = definitionName(`${r.kind}List`);
    const base = r.namespaced ? `/api/v1/namespaces/{namespace}/${r.name}` : `/api/v1/${r.name}`;
    const collection: Op[] = [{ method: 'get', action: 'list', verb: 'list', response: listDef }];
    collection.push({
      method: 'post',
      action: 'post',
      verb: 'create',
      body: 'object',
      response: kindDef,
      writeParams: true,
    });
    const item: Op[] = [
      { method: 'get', action: 'get', verb: 'get', response: kindDef },
      { method: 'put', action: 'put', verb: 'update', body: 'object', response: kindDef, writeParams: true },
      // Documented for every writable kind: apply reads it to learn that the server validates fields.
      { method: 'patch', action: 'patch', verb: 'patch', body: 'patch', response: kindDef, writeParams: true },
      { method: 'delete', action: 'delete', verb: 'delete', response: definitionName('meta.Status') },
    ];
    const writable = r.verbs.includes('create');
    const has = (op: Op) => r.verbs.includes(op.verb) || (writable && op.method === 'patch');
    const gvk = { group: '', version: 'v1', kind: r.kind };
    const pathParams = r.namespaced ? [pathParam('namespace', style)] : [];
    add(paths, base, collection.filter(has), pathParams, r, gvk, style);
    add(paths, `${base}/{name}`, item.filter(has), [pathParam('name', style), ...pathParams], r, gvk, style);
    if (r.namespaced && r.verbs.includes('list')) {
      add(paths, `/api/v1/${r.name}`, collection.slice(0, 1), [], r, gvk, style);
    }
  }
  return paths;
}

function add(
  paths: Record<string, JsonSchema>,
  path: string,
  ops: Op[],
  parameters: JsonSchema[],
  r: ResourceOperations,
  gvk: JsonSchema,
  style: RefStyle,
): void {
  if (ops.length === 0) return;
  const entry: JsonSchema = { parameters };
  for (const op of ops) entry[op.method] = operation(op, r, gvk, style);
  paths[path] = entry;
}

function operation(op: Op, r: ResourceOperations, gvk: JsonSchema, style: RefStyle): JsonSchema {
  const kindRef = {
    $ref: style === 'v3' ? `#/components/schemas/${definitionName(r.kind)}` : `#/definitions/${definitionName(r.kind)}`,
  };
  const responseRef = {
    $ref: style === 'v3' ? `#/components/schemas/${op.response}` : `#/definitions/${op.response}`,
  };
  const params: JsonSchema[] = op.writeParams ? writeParameters(op, style) : [];
  const out: JsonSchema = {
    tags: ['core_v1'],
    description: `${op.verb} ${op.verb === 'list' ? 'objects of kind' : 'the specified'} ${r.kind}`,
    operationId: `${op.verb}${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
    parameters: params,
    'x-kubernetes-action': op.action,
    [GVK_EXTENSION]: gvk,
  };
  const bodyTypes = op.body === 'patch' ? PATCH_TYPES : ['application/json', 'application/yaml'];
  const bodySchema = op.body === 'patch' ? { type: 'object', description: 'The patch to apply.' } : kindRef;
  if (style === 'v3') {
    if (op.body) {
      out.requestBody = {
        required: true,
        content: Object.fromEntries(bodyTypes.map((t) => [t, { schema: bodySchema }])),
      };
    }
    out.responses = { '200': { description: 'OK', content: { 'application/json': { schema: responseRef } } } };
  } else {
    if (op.body) {
      params.unshift({ name: 'body', in: 'body', required: true, schema: bodySchema });
      out.consumes = [...bodyTypes];
    }
    out.produces = ['application/json', 'application/yaml'];
    out.responses = { '200': { description: 'OK', schema: responseRef } };
  }
  return out;
}

/** The query parameters every write takes (metav1.CreateOptions, UpdateOptions, PatchOptions). */
function writeParameters(op: Op, style: RefStyle): JsonSchema[] {
  const q = (name: string, description: string, type = 'string'): JsonSchema =>
    style === 'v3'
      ? { name, in: 'query', description, schema: { type, uniqueItems: true } }
      : { name, in: 'query', description, type, uniqueItems: true };
  const params = [
    q('dryRun', 'When present (`All`), the request is checked but nothing is stored.'),
    q('fieldManager', 'The name of the actor making the change, recorded for server-side apply.'),
    q(
      'fieldValidation',
      'What the server does with unknown or duplicate fields in the body: Ignore drops them silently, Warn (the default) drops them and answers with a Warning header per field, Strict rejects the request with 400 BadRequest.',
    ),
  ];
  if (op.body === 'patch')
    params.push(q('force', 'Take over fields other managers own (apply patches only).', 'boolean'));
  return params;
}

function pathParam(name: 'name' | 'namespace', style: RefStyle): JsonSchema {
  const description = name === 'name' ? 'The name of the object.' : 'The namespace of the objects.';
  return style === 'v3'
    ? { name, in: 'path', required: true, description, schema: { type: 'string', uniqueItems: true } }
    : { name, in: 'path', required: true, description, type: 'string', uniqueItems: true };
}
