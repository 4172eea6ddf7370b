import { test, beforeEach, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, getJson, postJson, TABLE_ACCEPT, type Harness } from './helpers.js';
import { podManifest } from '../../fakes/fake-node.js';
import { waitFor } from '../../harness/wait.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  await h.node.createPod('default', podManifest('web', { containers: ['app', 'side'] }));
});
afterEach(() => h.close());

const logUrl = (q = '') => `${h.url}/api/v1/namespaces/default/pods/web/log${q}`;
const until = (cond: () => boolean, ms = 2000) => waitFor('condition', cond, ms, 10);

test('logs: text/plain, chunked, every query option reaches the node', async () => {
  const res = await fetch(
    logUrl('?container=side&previous=true&tailLines=2&timestamps=true&sinceSeconds=3600&limitBytes=100'),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain');
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  assert.equal(await res.text(), 'line 1\nline 2\n');
  assert.deepEqual(h.node.logCalls[0]!.req, {
    container: 'side',
    previous: true,
    tailLines: 2,
    timestamps: true,
    sinceSeconds: 3600,
    limitBytes: 100,
  });
  await fetch(logUrl('?sinceTime=2026-01-01T00%3A00%3A00Z')).then((r) => r.text());
  assert.equal(h.node.logCalls[1]!.req.sinceTime, '2026-01-01T00:00:00Z');
});

test('logs -f: streams as written and ends when the node stream ends', async () => {
  const res = await fetch(logUrl('?container=app&follow=true'));
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let got = '';
  while (!got.includes('line 2')) got += dec.decode((await reader.read()).value);
  const call = h.node.logCalls[0]!;
  assert.equal(call.req.follow, true);
  call.stream.write('more\n');
  let chunk = await reader.read();
  assert.equal(dec.decode(chunk.value), 'more\n');
  call.stream.end();
  chunk = await reader.read();
  assert.equal(chunk.done, true);
});

test('logs -f: a client that disconnects aborts the node stream', async () => {
  const ac = new AbortController();
  const res = await fetch(logUrl('?container=app&follow=true'), { signal: ac.signal });
  const reader = res.body!.getReader();
  await reader.read();
  ac.abort();
  await until(() => h.node.logCalls[0]!.signal?.aborted === true);
  assert.equal(h.node.logCalls[0]!.stream.destroyed, true);
});

test('logs: errors before streaming are Status answers', async () => {
  const bad = await getJson(logUrl('?container=nope'));
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'container nope is not valid for pod web');
  const missing = await getJson(`${h.url}/api/v1/namespaces/default/pods/ghost/log`);
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.body.details, { name: 'ghost', kind: 'pods' });
  const tail = await getJson(logUrl('?tailLines=x'));
  assert.equal(tail.status, 400);
});

test('closing the server ends a followed log', async () => {
  const res = await fetch(logUrl('?container=app&follow=true'));
  const text = res.text();
  await until(() => h.node.logCalls.length === 1);
  await h.close();
  assert.equal(await text, 'line 1\nline 2\n');
});

test('secrets: create, duplicate, get, list, replace, delete', async () => {
  const base = `${h.url}/api/v1/namespaces/default/secrets`;
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's1' },
    type: 'Opaque',
    data: { k: 'dmFsdWU=' },
  };
  const c = await postJson(base, secret);
  assert.equal(c.status, 201);
  assert.equal(c.body.metadata.namespace, 'default');
  const dup = await postJson(base, secret);
  assert.equal(dup.status, 409);
  assert.deepEqual(dup.body.details, { name: 's1', kind: 'secrets' });
  assert.equal((await getJson(`${base}/s1`)).body.data.k, 'dmFsdWU=');
  const list = await getJson(base);
  assert.equal(list.body.kind, 'SecretList');
  assert.deepEqual(
    list.body.items.map((s) => s.metadata.name),
    ['s1'],
  );
  assert.equal((await getJson(`${h.url}/api/v1/secrets`)).body.items.length, 1);
  assert.equal((await getJson(`${base}?fieldSelector=type%3DOpaque`)).body.items.length, 1);
  const put = await postJson(`${base}/s1`, { ...secret, data: { k: 'bmV3' } }, 'PUT');
  assert.equal(put.status, 200);
  assert.equal((await getJson(`${base}/s1`)).body.data.k, 'bmV3');
  const wrongName = await postJson(`${base}/s1`, { ...secret, metadata: { name: 'other' } }, 'PUT');
  assert.equal(wrongName.status, 400);
  const del = await getJson(`${base}/s1`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  const gone = await getJson(`${base}/s1`);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.body.details, { name: 's1', kind: 'secrets' });
  assert.equal(gone.body.message, 'secrets "s1" not found');
  const t = await getJson(base, { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(t.body.kind, 'Table');
});

test('configmaps: create, list (Table), delete', async () => {
  const base = `${h.url}/api/v1/namespaces/team/configmaps`;
  const c = await postJson(base, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { a: '1' } });
  assert.equal(c.status, 201);
  assert.equal(c.body.metadata.namespace, 'team');
  const list = await getJson(base);
  assert.equal(list.body.kind, 'ConfigMapList');
  const t = await getJson(`${h.url}/api/v1/configmaps`, { headers: { Accept: TABLE_ACCEPT } });
  assert.deepEqual(
    t.body.rows.map((r) => r.cells[0]),
    ['cfg'],
  );
  assert.equal((await getJson(`${base}/cfg`, { method: 'DELETE' })).status, 200);
  assert.equal((await getJson(`${base}/cfg`)).status, 404);
});

test('namespaces: the initial four, create, get, delete answers Terminating', async () => {
  const list = await getJson(`${h.url}/api/v1/namespaces`);
  assert.equal(list.body.kind, 'NamespaceList');
  assert.deepEqual(
    list.body.items.map((n) => n.metadata.name),
    ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
  );
  assert.equal(list.body.items[0]!.status.phase, 'Active');
  const created = await postJson(`${h.url}/api/v1/namespaces`, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'team' },
  });
  assert.equal(created.status, 201);
  const one = await getJson(`${h.url}/api/v1/namespaces/team`);
  assert.equal(one.body.kind, 'Namespace');
  const table = await getJson(`${h.url}/api/v1/namespaces`, { headers: { Accept: TABLE_ACCEPT } });
  assert.deepEqual(
    table.body.columnDefinitions.map((c) => c.name),
    ['Name', 'Status', 'Age'],
  );
  const deleted = await getJson(`${h.url}/api/v1/namespaces/team`, { method: 'DELETE' });
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body.status.phase, 'Terminating');
  const none = await getJson(`${h.url}/api/v1/namespaces/nope`);
  assert.equal(none.status, 404);
  assert.equal(none.body.message, 'namespaces "nope" not found');
  assert.deepEqual(none.body.details, { name: 'nope', kind: 'namespaces' });
});

test('nodes: list as the kubectl Table, get, merge-patch a label', async () => {
  const t = await getJson(`${h.url}/api/v1/nodes`, { headers: { Accept: TABLE_ACCEPT } });
  assert.deepEqual(
    t.body.columnDefinitions.map((c) => c.name),
    [
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
      'Internal-IP',
      'External-IP',
      'OS-Image',
      'Kernel-Version',
      'Container-Runtime',
    ],
  );
  assert.deepEqual(t.body.rows[0]!.cells.slice(0, 3), ['fake-node', 'Ready', '<none>']);
  assert.equal((await getJson(`${h.url}/api/v1/nodes/other`)).status, 404);
  const patched = await getJson(`${h.url}/api/v1/nodes/fake-node`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { labels: { disktype: 'ssd' } } }),
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.metadata.labels?.disktype, 'ssd');
  const selected = await getJson(`${h.url}/api/v1/nodes?labelSelector=disktype%3Dssd`);
  assert.equal(selected.body.items.length, 1);
});
