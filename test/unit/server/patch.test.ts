// PATCH and PUT of pods over HTTP against a FakeNode: the patch types kubectl sends,
// the resourceVersion precondition, server-side apply (create, merge, conflicts,
// managedFields) and the errors' codes.
import { test, beforeEach, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, postJson, type Harness } from './helpers.js';
import { podManifest } from '../../fakes/fake-node.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const podUrl = (name: string, q = '') => `${h.url}/api/v1/namespaces/default/pods/${name}${q}`;
const patch = (name: string, body: unknown, type: string, q = '') => postJson(podUrl(name, q), body, 'PATCH', type);
const SMP = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

interface Entry {
  manager: string;
  operation: string;
}
const managed = (pod: { metadata: { managedFields?: unknown[] } }) => (pod.metadata.managedFields ?? []) as Entry[];

async function createWeb(): Promise<void> {
  const r = await postJson(
    `${h.url}/api/v1/namespaces/default/pods?fieldManager=kubectl-create`,
    podManifest('web', { containers: ['app', 'side'] }),
  );
  assert.equal(r.status, 201);
}

test('POST records the creating manager in managedFields (operation Update)', async () => {
  await createWeb();
  const mf = h.node.getPod('default', 'web').metadata.managedFields as {
    manager: string;
    operation: string;
    fieldsV1: object;
  }[];
  assert.equal(mf.length, 1);
  assert.equal(mf[0]!.manager, 'kubectl-create');
  assert.equal(mf[0]!.operation, 'Update');
  assert.deepEqual(
    Object.keys((mf[0]!.fieldsV1 as { 'f:spec': { 'f:containers': object } })['f:spec']['f:containers']),
    ['k:{"name":"app"}', 'k:{"name":"side"}'],
  );
});

test('merge patch (kubectl label): labels merged, the whole object handed to the node', async () => {
  await createWeb();
  const r = await patch(
    'web',
    { metadata: { labels: { tier: 'web' } } },
    'application/merge-patch+json',
    '?fieldManager=kubectl-label',
  );
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.metadata.labels, { tier: 'web' });
  const sent = h.node.updateCalls.at(-1)!.body;
  assert.deepEqual(
    sent.spec.containers.map((c) => c.name),
    ['app', 'side'],
  );
  const managers = (sent.metadata.managedFields as { manager: string }[]).map((e) => e.manager);
  assert.deepEqual(managers, ['kubectl-create', 'kubectl-label']);
});

test('strategic merge patch (kubectl set image): one container changed by name', async () => {
  await createWeb();
  const r = await patch('web', { spec: { containers: [{ name: 'side', image: 'busybox:2' }] } }, SMP);
  assert.equal(r.status, 200);
  assert.deepEqual(
    r.body.spec.containers.map((c) => `${c.name}=${c.image}`),
    ['app=busybox', 'side=busybox:2'],
  );
});

test('JSON patch applies; a failing test op is 422', async () => {
  await createWeb();
  const ok = await patch(
    'web',
    [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }],
    'application/json-patch+json',
  );
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.metadata.labels, { a: 'b' });
  const bad = await patch('web', [{ op: 'test', path: '/metadata/name', value: 'x' }], 'application/json-patch+json');
  assert.equal(bad.status, 422);
});

test('PATCH with another media type is 415; of a missing pod 404; a malformed patch 400', async () => {
  await createWeb();
  const r = await patch('web', { a: 1 }, 'application/json');
  assert.equal(r.status, 415);
  assert.match(r.body.message, /accepted media types include: application\/json-patch\+json/);
  assert.equal((await patch('nope', {}, SMP)).status, 404);
  assert.equal((await patch('web', { spec: { containers: [{ image: 'x' }] } }, SMP)).status, 400);
});

test('a stale resourceVersion is 409 Conflict with the API server message (PATCH and PUT)', async () => {
  await createWeb();
  const live = h.node.getPod('default', 'web');
  const r = await patch('web', { metadata: { resourceVersion: '1', labels: { a: 'b' } } }, SMP);
  assert.equal(r.status, 409);
  assert.equal(r.body.reason, 'Conflict');
  assert.equal(
    r.body.message,
    'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
  );
  const put = await postJson(podUrl('web'), { ...live, metadata: { ...live.metadata, resourceVersion: '1' } }, 'PUT');
  assert.equal(put.status, 409);
  const fresh = await postJson(podUrl('web'), { ...live, metadata: { ...live.metadata, labels: { x: 'y' } } }, 'PUT');
  assert.equal(fresh.status, 200);
  assert.deepEqual(fresh.body.metadata.labels, { x: 'y' });
});

test('PUT: the name must match the URL; a missing pod is 404', async () => {
  await createWeb();
  assert.equal((await postJson(podUrl('web'), podManifest('other'), 'PUT')).status, 400);
  assert.equal((await postJson(podUrl('nope'), podManifest('nope'), 'PUT')).status, 404);
});

test('server-side apply: creates (201), merges (200), conflicts with another manager (409) unless forced', async () => {
  const cfg = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'ssa', labels: { a: '1' } },
    spec: { containers: [{ name: 'app', image: 'busybox:1' }] },
  };
  const q = '?fieldManager=kubectl&force=false';
  const created = await patch('ssa', cfg, APPLY, q);
  assert.equal(created.status, 201);
  assert.equal(managed(created.body)[0]!.operation, 'Apply');

  // Another manager changes the image: applying the old image now conflicts.
  const set = await patch(
    'ssa',
    { spec: { containers: [{ name: 'app', image: 'busybox:2' }] } },
    SMP,
    '?fieldManager=kubectl-set',
  );
  assert.equal(set.status, 200);
  const conflict = await patch('ssa', cfg, APPLY, q);
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.reason, 'Conflict');
  assert.equal(
    conflict.body.message,
    'Apply failed with 1 conflict: conflict with "kubectl-set" using v1: .spec.containers[name="app"].image',
  );

  // Forced: the field changes hands; a label no longer applied (and owned by nobody else) is removed.
  const forced = await patch('ssa', { ...cfg, metadata: { name: 'ssa' } }, APPLY, '?fieldManager=kubectl&force=true');
  assert.equal(forced.status, 200);
  assert.equal(forced.body.spec.containers[0]!.image, 'busybox:1');
  assert.equal(forced.body.metadata.labels?.a, undefined);
  const managers = managed(forced.body).map((e) => e.manager);
  assert.deepEqual(managers, ['kubectl']);
});

test('server-side apply requires fieldManager', async () => {
  const r = await patch('x', podManifest('x'), APPLY);
  assert.equal(r.status, 400);
  assert.match(r.body.message, /require fieldManager/);
});
