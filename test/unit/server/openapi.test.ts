// /openapi/v2 and /openapi/v3 as kubectl fetches them, and the fieldValidation modes
// of write bodies (kube-apiserver: Strict → 400, Warn → Warning headers, Ignore).
import { test, before, after, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, getJson, postJson, type Harness } from './helpers.js';

interface V3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}
interface V3Doc {
  openapi: string;
  paths: Record<string, Record<string, { 'x-kubernetes-group-version-kind'?: { kind: string } }>>;
  components: { schemas: Record<string, { 'x-kubernetes-group-version-kind'?: unknown }> };
}

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

describe('openapi documents', () => {
  test('the v3 root points at the api/v1 document by content hash; that URL serves it', async () => {
    const root = await getJson<V3Root>(`${h.url}/openapi/v3?timeout=32s`);
    assert.equal(root.status, 200);
    const url = root.body.paths['api/v1']!.serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{64}$/);
    const doc = await getJson<V3Doc>(`${h.url}${url}`);
    assert.equal(doc.status, 200);
    assert.equal(doc.headers.get('content-type'), 'application/json');
    assert.equal(doc.headers.get('etag'), `"${url.split('hash=')[1]}"`);
    assert.equal(doc.headers.get('cache-control'), 'public, immutable');
    assert.equal(doc.body.openapi, '3.0.0');
    assert.ok(doc.body.components.schemas['io.k8s.api.core.v1.Pod']!['x-kubernetes-group-version-kind']);
    const patch = doc.body.paths['/api/v1/namespaces/{namespace}/pods/{name}']!.patch!;
    assert.equal(patch['x-kubernetes-group-version-kind']!.kind, 'Pod');
    const secretPatch = doc.body.paths['/api/v1/namespaces/{namespace}/secrets/{name}']!.patch!;
    assert.equal(secretPatch['x-kubernetes-group-version-kind']!.kind, 'Secret');
  });

  test('If-None-Match with the current ETag answers 304 without a body', async () => {
    const first = await fetch(`${h.url}/openapi/v3/api/v1`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const again = await fetch(`${h.url}/openapi/v3/api/v1`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    const stale = await fetch(`${h.url}/openapi/v3/api/v1`, { headers: { 'If-None-Match': '"old"' } });
    assert.equal(stale.status, 200);
    await stale.arrayBuffer();
  });

  test('v2 is JSON for JSON clients and 406 for a protobuf-only Accept', async () => {
    const json = await getJson<{ swagger: string; definitions: Record<string, unknown> }>(`${h.url}/openapi/v2`, {
      headers: { Accept: 'application/json' },
    });
    assert.equal(json.status, 200);
    assert.equal(json.body.swagger, '2.0');
    assert.ok(json.body.definitions['io.k8s.api.core.v1.Node']);
    const pb = await getJson(`${h.url}/openapi/v2`, {
      headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    assert.equal(pb.status, 406);
    assert.equal(pb.body.reason, 'NotAcceptable');
  });
});

describe('fieldValidation on write bodies', () => {
  const pods = () => `${h.url}/api/v1/namespaces/default/pods`;
  const pod = (name: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'busybox', imagee: 'typo' }], foo: 1 },
  });

  test('Strict: 400 with the strict decoding error, nothing created', async () => {
    const r = await postJson(`${pods()}?fieldValidation=Strict`, pod('strict'));
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'BadRequest');
    assert.equal(
      r.body.message,
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee", unknown field "spec.foo"',
    );
    assert.equal((await getJson(`${pods()}/strict`)).status, 404);
  });

  test('Warn (also the default): created without the unknown fields, one Warning header per field', async () => {
    for (const [name, q] of [
      ['warned', '?fieldValidation=Warn'],
      ['defaulted', ''],
    ] as const) {
      const r = await postJson(`${pods()}${q}`, pod(name));
      assert.equal(r.status, 201, name);
      assert.equal(
        r.headers.get('warning'),
        '299 - "unknown field \\"spec.containers[0].imagee\\"", 299 - "unknown field \\"spec.foo\\""',
      );
      const stored = await getJson(`${pods()}/${name}`);
      assert.equal(JSON.stringify(stored.body).includes('imagee'), false);
    }
  });

  test('Ignore: created silently without the unknown fields', async () => {
    const r = await postJson(`${pods()}?fieldValidation=Ignore`, pod('ignored'));
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('warning'), null);
    assert.equal(JSON.stringify(r.body).includes('imagee'), false);
  });

  test('Secrets and ConfigMaps use their own schema; an unknown mode is a 400', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringdata: {} };
    const r = await postJson(`${h.url}/api/v1/namespaces/default/secrets?fieldValidation=Strict`, secret);
    assert.equal(r.status, 400);
    assert.match(
      r.body.message,
      /^Secret in version "v1" cannot be handled as a Secret: .*unknown field "stringdata"$/,
    );
    const bad = await postJson(`${pods()}?fieldValidation=Loud`, pod('loud'));
    assert.equal(bad.status, 400);
    assert.equal(
      bad.body.message,
      'fieldValidation: Unsupported value: "Loud": supported values: "Ignore", "Strict", "Warn"',
    );
  });
});
