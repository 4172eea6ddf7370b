// The OpenAPI documents are generated from the decoder's schema: these tests are the
// "never drift" guarantee (every decoded field is published with a description, no
// description documents a field the decoder does not know) and pin what kubectl reads.
import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { SchemaNode } from '../../../../src/apis/core/schema.js';
import { DECODE_SCHEMAS, POD_SCHEMA } from '../../../../src/apis/core/schema.js';
import {
  GVK_EXTENSION,
  INT_OR_STRING,
  QUANTITY,
  ROOT_TYPES,
  TYPE_DOCS,
  buildDefinitions,
  collectTypes,
  definitionName,
  type JsonSchema,
} from '../../../../src/apis/core/openapi/schemas.js';
import { openApiV2, openApiV3 } from '../../../../src/apis/core/openapi/documents.js';

const v3 = buildDefinitions('v3');
const v2 = buildDefinitions('v2');
const def = (name: string): JsonSchema => v3[definitionName(name)] as JsonSchema;
const prop = (type: string, field: string): JsonSchema =>
  (def(type).properties as Record<string, JsonSchema>)[field] as JsonSchema;

/** Every `type.field` path the given schema nodes decode. */
function decodedFields(roots: readonly SchemaNode[]): string[] {
  const out = new Set<string>();
  const walk = (n: SchemaNode): void => {
    if (typeof n === 'string') return;
    if ('items' in n || 'values' in n) {
      walk('items' in n ? n.items : n.values);
      return;
    }
    for (const [f, child] of Object.entries(n.fields)) {
      if (out.has(`${n.name}.${f}`)) continue;
      out.add(`${n.name}.${f}`);
      walk(child);
    }
  };
  for (const r of roots) walk(r);
  return [...out];
}

describe('never drift: the documents are the decoder schema', () => {
  test('every field strict decoding accepts is in the v3 document with a description', () => {
    const missing: string[] = [];
    for (const path of decodedFields([...Object.values(DECODE_SCHEMAS), ...ROOT_TYPES])) {
      const [type, field] = [path.slice(0, path.lastIndexOf('.')), path.slice(path.lastIndexOf('.') + 1)];
      const p = (def(type)?.properties as Record<string, JsonSchema> | undefined)?.[field];
      if (!p || typeof p.description !== 'string' || p.description.length < 10) missing.push(path);
    }
    assert.deepEqual(missing, []);
  });

  test('every type has a description, and no doc names a type or field the decoder does not have', () => {
    const types = collectTypes();
    const stale: string[] = [];
    for (const [name, doc] of Object.entries(TYPE_DOCS)) {
      const node = types.get(name)?.[0];
      if (!node) stale.push(name);
      else for (const f of Object.keys(doc.fields)) if (!(f in node.fields)) stale.push(`${name}.${f}`);
    }
    assert.deepEqual(stale, []);
    for (const name of types.keys()) assert.ok(TYPE_DOCS[name]?.d, `type ${name} has no description`);
  });

  test('one type name means one shape: nodes sharing a name have the same fields', () => {
    for (const [name, nodes] of collectTypes()) {
      const shapes = new Set(nodes.map((n) => Object.keys(n.fields).sort().join(',')));
      assert.equal(shapes.size, 1, `${name} has ${shapes.size} different shapes`);
    }
  });

  test('the v2 and v3 documents define the same types with the same properties', () => {
    assert.deepEqual(Object.keys(v2).sort(), Object.keys(v3).sort());
    for (const [name, d] of Object.entries(v3)) {
      assert.deepEqual(Object.keys((v2[name] as JsonSchema).properties ?? {}), Object.keys(d.properties ?? {}), name);
    }
  });
});

describe('what kubectl explain and validation read', () => {
  test('served kinds carry x-kubernetes-group-version-kind', () => {
    for (const kind of ['Pod', 'Secret', 'ConfigMap', 'Namespace', 'Event', 'Node', 'PodList']) {
      assert.deepEqual(def(kind)[GVK_EXTENSION], [{ group: '', version: 'v1', kind }], kind);
    }
    assert.equal(def('Container')[GVK_EXTENSION], undefined);
  });

  test('nested objects are allOf-$ref in v3 and $ref in v2, with the field description beside it', () => {
    assert.deepEqual(prop('Pod', 'spec').allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodSpec' }]);
    assert.match(prop('Pod', 'spec').description as string, /containers/);
    const v2spec = ((v2[definitionName('Pod')] as JsonSchema).properties as Record<string, JsonSchema>).spec!;
    assert.equal(v2spec.$ref, '#/definitions/io.k8s.api.core.v1.PodSpec');
    assert.deepEqual(prop('Pod', 'metadata').allOf, [
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    ]);
    const items = prop('PodSpec', 'containers').items as JsonSchema;
    assert.deepEqual(items.allOf, [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Container' }]);
  });

  test('enums of the string fields kubectl explain prints under ENUM', () => {
    assert.deepEqual(prop('PodSpec', 'restartPolicy').enum, ['Always', 'Never', 'OnFailure']);
    assert.deepEqual(prop('Container', 'imagePullPolicy').enum, ['Always', 'IfNotPresent', 'Never']);
    assert.deepEqual(prop('ContainerPort', 'protocol').enum, ['SCTP', 'TCP', 'UDP']);
    assert.deepEqual(prop('PodSpec', 'dnsPolicy').enum, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']);
    assert.deepEqual(prop('HTTPGetAction', 'scheme').enum, ['HTTP', 'HTTPS']);
  });

  test('types and formats: int32/int64, int-or-string ports, quantities, required fields', () => {
    assert.deepEqual(prop('Probe', 'periodSeconds'), {
      type: 'integer',
      format: 'int32',
      description: prop('Probe', 'periodSeconds').description,
    });
    assert.equal(prop('PodSpec', 'terminationGracePeriodSeconds').format, 'int64');
    assert.deepEqual(prop('HTTPGetAction', 'port').allOf, [{ $ref: `#/components/schemas/${INT_OR_STRING}` }]);
    assert.equal(v3[INT_OR_STRING]!['x-kubernetes-int-or-string'], true);
    const limits = prop('ResourceRequirements', 'limits');
    assert.equal(limits.type, 'object');
    assert.deepEqual((limits.additionalProperties as JsonSchema).allOf, [{ $ref: `#/components/schemas/${QUANTITY}` }]);
    assert.equal((prop('Secret', 'data').additionalProperties as JsonSchema).format, 'byte');
    assert.deepEqual(def('Container').required, ['name']);
    assert.deepEqual(def('PodSpec').required, ['containers']);
    assert.deepEqual(def('HTTPGetAction').required, ['port']);
  });

  test('list merge keys for strategic-merge patches', () => {
    const containers = prop('PodSpec', 'containers');
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-list-type'], 'map');
    assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
    assert.equal(prop('Container', 'env')['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(prop('Container', 'volumeMounts')['x-kubernetes-patch-merge-key'], 'mountPath');
    const ports = prop('Container', 'ports');
    assert.equal(ports['x-kubernetes-patch-merge-key'], 'containerPort');
    assert.deepEqual(ports['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal(prop('PodSpec', 'volumes')['x-kubernetes-patch-merge-key'], 'name');
    // Lists without a merge key are replaced whole.
    assert.equal(prop('Container', 'command')['x-kubernetes-patch-merge-key'], undefined);
    assert.equal(prop('meta.ObjectMeta', 'finalizers')['x-kubernetes-list-type'], 'set');
  });

  test('the pod decoder and the Pod definition list the same fields', () => {
    assert.deepEqual(
      Object.keys(def('Container').properties as object),
      Object.keys(
        (POD_SCHEMA.fields.spec as { fields: Record<string, { items: { fields: object } }> }).fields.containers!.items
          .fields,
      ),
    );
  });
});

describe('operations kubectl apply verifies', () => {
  const resources = [
    { name: 'pods', kind: 'Pod', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'watch'] },
    { name: 'events', kind: 'Event', namespaced: true, verbs: ['get', 'list', 'watch'] },
    { name: 'namespaces', kind: 'Namespace', namespaced: false, verbs: ['get', 'list'] },
  ];
  const doc = openApiV3(resources);
  const paths = doc.paths as Record<string, Record<string, JsonSchema>>;

  test('a PATCH per writable kind, with its GVK, fieldValidation and strategic-merge content', () => {
    const patch = paths['/api/v1/namespaces/{namespace}/pods/{name}']!.patch!;
    assert.deepEqual(patch[GVK_EXTENSION], { group: '', version: 'v1', kind: 'Pod' });
    const params = patch.parameters as { name: string; in: string }[];
    assert.ok(params.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
    const content = (patch.requestBody as { content: Record<string, unknown> }).content;
    assert.ok('application/strategic-merge-patch+json' in content);
    const post = paths['/api/v1/namespaces/{namespace}/pods']!.post!;
    assert.ok((post.parameters as { name: string }[]).some((p) => p.name === 'fieldValidation'));
  });

  test('read-only kinds get no write operations; cluster-scoped kinds no namespace in the path', () => {
    assert.equal(paths['/api/v1/namespaces/{namespace}/events/{name}']!.patch, undefined);
    assert.ok(paths['/api/v1/namespaces/{namespace}/events/{name}']!.get);
    assert.ok(paths['/api/v1/namespaces/{name}']!.get);
    assert.ok(doc.components && (doc.components as { schemas: object }).schemas);
  });

  test('Swagger 2.0 carries the body as a parameter and definitions instead of components', () => {
    const d2 = openApiV2(resources);
    assert.equal(d2.swagger, '2.0');
    const post = (d2.paths as Record<string, Record<string, JsonSchema>>)['/api/v1/namespaces/{namespace}/pods']!.post!;
    const body = (post.parameters as { in: string; schema: JsonSchema }[]).find((p) => p.in === 'body')!;
    assert.equal(body.schema.$ref, '#/definitions/io.k8s.api.core.v1.Pod');
    assert.ok((d2.definitions as Record<string, unknown>)['io.k8s.api.core.v1.Node']);
  });
});
