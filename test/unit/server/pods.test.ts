import { test, beforeEach, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, getJson, postJson, TABLE_ACCEPT, type Harness } from './helpers.js';
import { podManifest } from '../../fakes/fake-node.js';
import { envelope, podBody } from '../../fakes/k8s-protobuf.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const podsUrl = (ns = 'default') => `${h.url}/api/v1/namespaces/${ns}/pods`;

test('POST a pod: 201 with the pod; namespace from the URL', async () => {
  const r = await postJson(podsUrl(), podManifest('web'));
  assert.equal(r.status, 201);
  assert.equal(r.body.kind, 'Pod');
  assert.equal(r.body.metadata.name, 'web');
  assert.equal(r.body.metadata.namespace, 'default');
  assert.ok(h.node.pods.has('default/web'));
});

test('POST YAML is accepted', async () => {
  const yaml =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: y\nspec:\n  containers:\n  - name: app\n    image: busybox\n';
  const r = await postJson(podsUrl(), yaml, 'POST', 'application/yaml');
  assert.equal(r.status, 201);
  assert.equal(r.body.metadata.name, 'y');
});

test('POST a duplicate: 409 AlreadyExists', async () => {
  await postJson(podsUrl(), podManifest('web'));
  const r = await postJson(podsUrl(), podManifest('web'));
  assert.equal(r.status, 409);
  assert.deepEqual(r.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "web" already exists',
    reason: 'AlreadyExists',
    details: { name: 'web', kind: 'pods' },
    code: 409,
  });
});

test('POST an invalid pod: 422 with field causes', async () => {
  const r = await postJson(podsUrl(), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bad' },
    spec: { containers: [{ name: 'app' }] },
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.reason, 'Invalid');
  assert.equal(r.body.code, 422);
  assert.equal(r.body.message, 'Pod "bad" is invalid: spec.containers[0].image: Required value');
  assert.deepEqual(r.body.details, {
    name: 'bad',
    kind: 'Pod',
    causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].image' }],
  });
});

test('POST a protobuf Pod: decoded and validated; another kind: 415; malformed JSON: 400; namespace mismatch: 400', async () => {
  // kubectl debug --copy-to and node/ create pods with the clientset, in protobuf.
  const pb = await postJson(podsUrl(), podBody({ name: 'p' }), 'POST', 'application/vnd.kubernetes.protobuf');
  assert.equal(pb.status, 422);
  assert.equal(pb.body.message, 'Pod "p" is invalid: spec.containers: Required value');
  const svc = await postJson(
    podsUrl(),
    envelope('v1', 'Service', new Uint8Array()),
    'POST',
    'application/vnd.kubernetes.protobuf',
  );
  assert.equal(svc.status, 415);
  assert.equal(svc.body.reason, 'UnsupportedMediaType');
  const bad = await postJson(podsUrl(), '{nope', 'POST');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.reason, 'BadRequest');
  const m = podManifest('x');
  m.metadata.namespace = 'other';
  const mismatch = await postJson(podsUrl(), m);
  assert.equal(mismatch.status, 400);
  assert.match(mismatch.body.message, /does not match the namespace/);
});

test('GET a missing pod: the exact 404 Status', async () => {
  const r = await getJson(`${podsUrl()}/nope`);
  assert.equal(r.status, 404);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.deepEqual(r.body, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'pods "nope" not found',
    reason: 'NotFound',
    details: { name: 'nope', kind: 'pods' },
    code: 404,
  });
});

test('GET a pod and its status subresource', async () => {
  await postJson(podsUrl(), podManifest('web'));
  const r = await getJson(`${podsUrl()}/web`);
  assert.equal(r.status, 200);
  assert.equal(r.body.metadata.name, 'web');
  const s = await getJson(`${podsUrl()}/web/status`);
  assert.equal(s.body.status.phase, 'Pending');
});

test('list: PodList with resourceVersion; all namespaces; selectors', async () => {
  await postJson(podsUrl(), podManifest('a', { labels: { app: 'web', tier: 'front' } }));
  await postJson(podsUrl(), podManifest('b', { labels: { app: 'db' } }));
  await postJson(podsUrl('other'), podManifest('c', { labels: { app: 'web' } }));

  const all = await getJson(`${podsUrl()}?limit=500`);
  assert.equal(all.body.kind, 'PodList');
  assert.equal(all.body.apiVersion, 'v1');
  assert.equal(all.body.metadata.resourceVersion, h.node.resourceVersion());
  assert.deepEqual(
    all.body.items.map((p) => p.metadata.name),
    ['a', 'b'],
  );

  const everywhere = await getJson(`${h.url}/api/v1/pods`);
  assert.deepEqual(everywhere.body.items.map((p) => p.metadata.name).sort(), ['a', 'b', 'c']);

  const names = async (q: string, base = podsUrl()) =>
    (await getJson(`${base}?${q}`)).body.items.map((p) => p.metadata.name).sort();
  assert.deepEqual(await names(`fieldSelector=${encodeURIComponent('metadata.name=b')}`), ['b']);
  assert.deepEqual(
    await names(`fieldSelector=${encodeURIComponent('metadata.namespace=other')}`, `${h.url}/api/v1/pods`),
    ['c'],
  );
  assert.deepEqual(await names(`fieldSelector=${encodeURIComponent('metadata.name!=b,status.phase=Pending')}`), ['a']);
  assert.deepEqual(await names(`labelSelector=${encodeURIComponent('app=web')}`), ['a']);
  assert.deepEqual(await names(`labelSelector=${encodeURIComponent('app!=web')}`), ['b']);
  assert.deepEqual(await names(`labelSelector=tier`), ['a']);
  assert.deepEqual(await names(`labelSelector=${encodeURIComponent('!tier')}`), ['b']);
  assert.deepEqual(await names(`labelSelector=${encodeURIComponent('app in (web,db)')}`), ['a', 'b']);
  assert.deepEqual(await names(`labelSelector=${encodeURIComponent('app notin (web)')}`), ['b']);
  assert.deepEqual(await names(`labelSelector=${encodeURIComponent('app=web')}`, `${h.url}/api/v1/pods`), ['a', 'c']);

  const badField = await getJson(`${podsUrl()}?fieldSelector=${encodeURIComponent('spec.image=x')}`);
  assert.equal(badField.status, 400);
  assert.match(badField.body.message, /field label not supported: spec\.image/);
});

test('Table: list, single get, includeObject', async () => {
  await postJson(podsUrl(), podManifest('web', { containers: ['app', 'side'] }));
  const r = await getJson(`${podsUrl()}?limit=500`, { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(r.status, 200);
  assert.equal(r.body.kind, 'Table');
  assert.equal(r.body.apiVersion, 'meta.k8s.io/v1');
  assert.equal(r.body.metadata.resourceVersion, h.node.resourceVersion());
  assert.deepEqual(
    r.body.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name),
    ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
  );
  assert.equal(r.body.rows.length, 1);
  const row = r.body.rows[0]!;
  assert.deepEqual(row.cells.slice(0, 4), ['web', '0/2', 'Pending', '0']);
  assert.equal(row.object.kind, 'PartialObjectMetadata');
  assert.equal(row.object.apiVersion, 'meta.k8s.io/v1');
  assert.equal(row.object.metadata.name, 'web');
  assert.equal(row.object.metadata.namespace, 'default');

  const one = await getJson(`${podsUrl()}/web`, { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(one.body.kind, 'Table');
  assert.equal(one.body.rows.length, 1);

  const full = await getJson(`${podsUrl()}?includeObject=Object`, { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(full.body.rows[0]!.object.kind, 'Pod');
  assert.equal(full.body.rows[0]!.object.spec.containers.length, 2);

  const none = await getJson(`${podsUrl()}?includeObject=None`, { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(none.body.rows[0]!.object, undefined);

  const plain = await getJson(podsUrl(), { headers: { Accept: 'application/json' } });
  assert.equal(plain.body.kind, 'PodList');
});

test('DELETE: grace period from the body, from the query, or none; 200 with the pod', async () => {
  for (const n of ['a', 'b', 'c']) await postJson(podsUrl(), podManifest(n));
  const a = await postJson(
    `${podsUrl()}/a`,
    { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 5, propagationPolicy: 'Background' },
    'DELETE',
  );
  assert.equal(a.status, 200);
  assert.equal(a.body.kind, 'Pod');
  assert.ok(a.body.metadata.deletionTimestamp);
  assert.equal(a.body.metadata.deletionGracePeriodSeconds, 5);
  const b = await getJson(`${podsUrl()}/b?gracePeriodSeconds=0`, { method: 'DELETE' });
  assert.equal(b.status, 200);
  const c = await postJson(`${podsUrl()}/c`, { propagationPolicy: 'Background' }, 'DELETE');
  assert.equal(c.status, 200);
  assert.deepEqual(
    h.node.deleteCalls.map((x) => [x.name, x.grace]),
    [
      ['a', 5],
      ['b', 0],
      ['c', undefined],
    ],
  );
  assert.equal((await getJson(`${podsUrl()}/b`)).status, 404);
  const missing = await getJson(`${podsUrl()}/zzz`, { method: 'DELETE' });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'pods "zzz" not found');
  const neg = await getJson(`${podsUrl()}/a?gracePeriodSeconds=-3`, { method: 'DELETE' });
  assert.equal(neg.status, 400);
});

test('pods/{name}/ephemeralcontainers: GET the pod; PATCH and PUT reach the ephemeral update, answering the pod', async () => {
  await postJson(podsUrl(), podManifest('web'));
  const url = `${podsUrl()}/web/ephemeralcontainers`;
  const got = await getJson(url);
  assert.equal(got.status, 200);
  assert.equal(got.body.kind, 'Pod');
  const patched = await postJson(
    url,
    { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', stdin: true, tty: true }] } },
    'PATCH',
    'application/strategic-merge-patch+json',
  );
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.deepEqual(
    patched.body.spec.ephemeralContainers?.map((c: { name: string }) => c.name),
    ['dbg'],
  );
  // PUT: a whole pod; the app container's change is not taken, the new ephemeral one is.
  const put = structuredClone(patched.body);
  put.spec.containers[0]!.image = 'changed:1';
  put.spec.ephemeralContainers?.push({ name: 'dbg2', image: 'busybox' });
  const replaced = await postJson(url, put, 'PUT');
  assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
  assert.notEqual(replaced.body.spec.containers[0]?.image, 'changed:1');
  assert.deepEqual(
    replaced.body.spec.ephemeralContainers?.map((c: { name: string }) => c.name),
    ['dbg', 'dbg2'],
  );
  // The subresource never creates: server-side apply to a missing pod is NotFound.
  const applied = await postJson(
    `${podsUrl()}/nope/ephemeralcontainers?fieldManager=t`,
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nope' } },
    'PATCH',
    'application/apply-patch+yaml',
  );
  assert.equal(applied.status, 404);
});
