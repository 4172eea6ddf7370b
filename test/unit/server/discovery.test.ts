import { test, before, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, getJson, type Harness } from './helpers.js';

const AGG_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

// The discovery documents kubectl reads (apimachinery's metav1 and apidiscovery/v2),
// as far as these tests look into them.
interface APIVersions {
  kind: string;
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}
interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}
interface APIResourceList {
  kind: string;
  groupVersion: string;
  resources: APIResource[];
}
interface APIResourceDiscovery {
  resource: string;
  scope: 'Namespaced' | 'Cluster';
  responseKind: { group: string; version: string; kind: string };
  shortNames?: string[];
  categories?: string[];
}
interface APIGroupDiscoveryList {
  kind: string;
  items: { versions: { version: string; resources: APIResourceDiscovery[] }[] }[];
}

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

test('GET /version reports minor 32', async () => {
  const r = await getJson(`${h.url}/version?timeout=5s`);
  assert.equal(r.status, 200);
  assert.equal(r.body.major, '1');
  assert.equal(r.body.minor, '32');
  assert.match(r.body.gitVersion, /^v1\.32\./);
});

test('health endpoints answer ok', async () => {
  for (const p of ['/healthz', '/readyz', '/livez']) {
    const res = await fetch(h.url + p);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
  }
});

test('GET /api: aggregated v2 with the exact Content-Type when asked', async () => {
  const r = await getJson<APIGroupDiscoveryList>(`${h.url}/api?timeout=32s`, { headers: { Accept: AGG_ACCEPT } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.equal(r.body.kind, 'APIGroupDiscoveryList');
  const res = r.body.items[0]!.versions[0]!.resources;
  const pods = res.find((x) => x.resource === 'pods')!;
  assert.deepEqual(pods.shortNames, ['po']);
  assert.deepEqual(pods.categories, ['all']);
  assert.deepEqual(pods.responseKind, { group: '', version: 'v1', kind: 'Pod' });
  assert.equal(res.find((x) => x.resource === 'namespaces')!.scope, 'Cluster');
  assert.deepEqual(res.find((x) => x.resource === 'events')!.shortNames, ['ev']);
  assert.deepEqual(res.find((x) => x.resource === 'configmaps')!.shortNames, ['cm']);
});

test('GET /api: legacy APIVersions otherwise, and kubectl 1.28 (v2beta1 only) gets legacy', async () => {
  for (const accept of [
    'application/json, */*',
    'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json',
  ]) {
    const r = await getJson<APIVersions>(`${h.url}/api`, { headers: { Accept: accept } });
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.body.kind, 'APIVersions');
    assert.deepEqual(r.body.versions, ['v1']);
    assert.equal(r.body.serverAddressByClientCIDRs[0]!.clientCIDR, '0.0.0.0/0');
  }
});

test('GET /apis: the storage.k8s.io group (storageclasses) in both variants', async () => {
  const agg = await getJson<{ items: { metadata: { name: string }; versions: { resources: unknown[] }[] }[] }>(
    `${h.url}/apis`,
    { headers: { Accept: AGG_ACCEPT } },
  );
  assert.equal(agg.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.deepEqual(
    agg.body.items.map((g) => g.metadata.name),
    ['storage.k8s.io'],
  );
  assert.deepEqual(agg.body.items[0]!.versions[0]!.resources, [
    {
      resource: 'storageclasses',
      responseKind: { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' },
      scope: 'Cluster',
      singularResource: 'storageclass',
      verbs: ['get', 'list'],
      shortNames: ['sc'],
    },
  ]);
  const legacy = await getJson(`${h.url}/apis`);
  const gv = { groupVersion: 'storage.k8s.io/v1', version: 'v1' };
  assert.deepEqual(legacy.body, {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [{ name: 'storage.k8s.io', versions: [gv], preferredVersion: gv }],
  });
});

test('GET /api/v1: APIResourceList with subresources and short names', async () => {
  const r = await getJson<APIResourceList>(`${h.url}/api/v1`);
  assert.equal(r.body.kind, 'APIResourceList');
  assert.equal(r.body.groupVersion, 'v1');
  const names = r.body.resources.map((x) => x.name);
  for (const n of [
    'pods',
    'pods/log',
    'pods/status',
    'events',
    'secrets',
    'configmaps',
    'namespaces',
    'persistentvolumeclaims',
    'persistentvolumes',
  ])
    assert.ok(names.includes(n), n);
  const pods = r.body.resources.find((x) => x.name === 'pods')!;
  assert.deepEqual(pods.shortNames, ['po']);
  assert.deepEqual(pods.categories, ['all']);
  assert.equal(pods.namespaced, true);
  assert.equal(r.body.resources.find((x) => x.name === 'namespaces')!.namespaced, false);
});

test('unknown path: 404 Status', async () => {
  const r = await getJson(`${h.url}/apis/apps/v1/deployments`);
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'the server could not find the requested resource',
    reason: 'NotFound',
    code: 404,
  });
});

test('wrong method: 405 Status', async () => {
  const r = await getJson(`${h.url}/api/v1/pods`, {
    method: 'POST',
    body: '{}',
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(r.status, 405);
  assert.equal(r.body.reason, 'MethodNotAllowed');
  assert.equal(r.body.code, 405);
});
