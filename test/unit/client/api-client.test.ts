import { test, beforeEach, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { ApiClient, ApiError } from '../../../src/client/api-client.js';
import { KubeletError, ValidationError, formatFieldError } from '../../../src/util/errors.js';
import { formatError } from '../../../src/cli/output.js';
import type { WatchEvent } from '../../../src/apis/core/types.js';
import type { Pod } from '../../../src/apis/core/types.js';
import { startHarness, type Harness } from '../server/helpers.js';
import { podManifest } from '../../fakes/fake-node.js';
import { waitFor } from '../../harness/wait.js';

/** Until the server holds `n` watch or follow streams open (the client is connected). */
const streamsOpen = (n: number) => waitFor(`${n} open streams`, () => h.server.openStreams() === n, 5000, 5);

let h: Harness;
let client: ApiClient;
beforeEach(async () => {
  h = await startHarness();
  client = new ApiClient(h.url);
});
afterEach(() => h.close());

test('create, get, list (namespace and all namespaces)', async () => {
  const p = await client.createPod('default', podManifest('web'));
  assert.equal(p.metadata.name, 'web');
  await client.createPod('other', podManifest('db'));
  assert.equal((await client.getPod('default', 'web')).metadata.uid, p.metadata.uid);
  assert.deepEqual(
    (await client.listPods('default')).map((x) => x.metadata.name),
    ['web'],
  );
  assert.deepEqual((await client.listPods()).map((x) => x.metadata.name).sort(), ['db', 'web']);
  assert.deepEqual((await client.listPods('*all*')).length, 2);
  const list = await client.listPodList('default', { labelSelector: 'missing' });
  assert.equal(list.items.length, 0);
  assert.equal(list.metadata.resourceVersion, h.node.resourceVersion());
  assert.equal((await client.version()).minor, '32');
});

test('server errors become KubeletErrors with the Status reason and message', async () => {
  const err = await client.getPod('default', 'x').catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 'NotFound');
  assert.equal(err.status, 404);
  assert.equal(err.message, 'pods "x" not found');
  assert.equal(formatError(err), 'Error from server (NotFound): pods "x" not found');

  await client.createPod('default', podManifest('web'));
  const dup = await client.createPod('default', podManifest('web')).catch((e: unknown) => e);
  assert.equal(formatError(dup), 'Error from server (AlreadyExists): pods "web" already exists');

  const invalid = await client
    .createPod('default', { kind: 'Pod', metadata: { name: 'bad' }, spec: { containers: [] } })
    .catch((e: unknown) => e);
  assert.ok(invalid instanceof ValidationError);
  assert.equal(invalid.code, 'Invalid');
  assert.equal(invalid.message, 'Pod "bad" is invalid: spec.containers: Required value');
  assert.deepEqual(invalid.fieldErrors.map(formatFieldError), ['spec.containers: Required value']);
  assert.equal((invalid as unknown as { fromServer: boolean }).fromServer, true);

  const gone = await startHarness();
  await gone.close();
  const refused = await new ApiClient(gone.url).listPods('default').catch((e: unknown) => e);
  assert.ok(refused instanceof KubeletError);
  assert.equal(
    refused.message,
    `The connection to the server ${gone.url.slice(7)} was refused - did you specify the right host or port?`,
  );
});

test('applyObject: pods are created once, secrets and configmaps are replaced', async () => {
  const created = await client.applyObject('default', podManifest('web'));
  assert.deepEqual([created.action, created.kind, created.metadata.name], ['created', 'Pod', 'web']);
  const again = await client.applyObject('default', podManifest('web')).catch((e: unknown) => e);
  assert.ok(again instanceof KubeletError);
  assert.equal(again.code, 'AlreadyExists');

  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } };
  assert.equal((await client.applyObject('default', secret)).action, 'created');
  const second = await client.applyObject('default', { ...secret, stringData: { a: 'c' } });
  assert.equal(second.action, 'configured');
  assert.deepEqual(((await client.getObject('Secret', 'default', 's')) as { stringData?: unknown }).stringData, {
    a: 'c',
  });
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: '1' } };
  assert.equal((await client.applyObject('default', cm)).action, 'created');
  assert.equal((await client.applyObject('default', cm)).action, 'configured');
  assert.equal((await client.listObjects('ConfigMap')).length, 1);
  await assert.rejects(
    client.applyObject('default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }),
    /no matches for kind "Deployment"/,
  );
});

test('deletePod passes the grace period; waitForPodGone resolves on DELETED', async () => {
  await client.createPod('default', podManifest('web'));
  const d = await client.deletePod('default', 'web', 3);
  assert.ok(d.metadata.deletionTimestamp);
  assert.deepEqual(h.node.deleteCalls, [{ namespace: 'default', name: 'web', grace: 3 }]);
  let resolved = false;
  const wait = client.waitForPodGone('default', 'web', 5000).then(() => {
    resolved = true;
  });
  // Its watch is open while the pod exists: it waits on DELETED, not resolved yet.
  await streamsOpen(1);
  assert.equal(resolved, false);
  h.node.removePod('default', 'web');
  await wait;
  await client.waitForPodGone('default', 'web', 1000); // already gone: at once
  await client.createPod('default', podManifest('slow'));
  await assert.rejects(
    client.waitForPodGone('default', 'slow', 300),
    /timed out waiting for the condition on pods\/slow/,
  );
});

test('podLogs streams; follow ends with the node stream', async () => {
  await client.createPod('default', podManifest('web'));
  const s = await client.podLogs('default', 'web', { tailLines: 1 });
  let text = '';
  for await (const c of s) text += String(c);
  assert.equal(text, 'line 1\nline 2\n');
  assert.equal(h.node.logCalls[0]!.req.tailLines, 1);

  const f = await client.podLogs('default', 'web', { follow: true, container: 'app' });
  const chunks: string[] = [];
  const done = new Promise<void>((r) => f.on('end', r));
  f.on('data', (c) => chunks.push(String(c)));
  h.node.logCalls[1]!.stream.end('bye\n');
  await done;
  assert.equal(chunks.join(''), 'line 1\nline 2\nbye\n');
  await assert.rejects(
    client.podLogs('default', 'web', { container: 'zzz' }),
    /container zzz is not valid for pod web/,
  );
});

test('watchPods: replay without RV, only changes with the list RV; abort resolves', async () => {
  await client.createPod('default', podManifest('a'));
  const list = await client.listPodList('default');
  const seen: WatchEvent<Pod>[] = [];
  const fromRv: WatchEvent<Pod>[] = [];
  const ac = new AbortController();
  const w1 = client.watchPods('default', (e) => seen.push(e), ac.signal);
  const w2 = client.watchPods('default', (e) => fromRv.push(e), ac.signal, {
    resourceVersion: list.metadata.resourceVersion,
  });
  // w1 replays (ADDED) once connected; w2 gets changes after the list RV from the server's
  // history even if it connects after the change. Both open: the change is live for w1.
  await waitFor('w1 replay', () => seen.length === 1, 5000, 5);
  await streamsOpen(2);
  h.node.setPodStatus('default', 'a', { phase: 'Running' });
  await waitFor('the change on both watches', () => seen.length === 2 && fromRv.length === 1, 5000, 5);
  ac.abort();
  await Promise.all([w1, w2]);
  assert.deepEqual(
    seen.map((e) => e.type),
    ['ADDED', 'MODIFIED'],
  );
  assert.deepEqual(
    fromRv.map((e) => [e.type, e.object.status?.phase]),
    [['MODIFIED', 'Running']],
  );

  // The server ending the watch (timeoutSeconds) resolves too.
  await client.watchPods('default', () => {}, undefined, {
    resourceVersion: h.node.resourceVersion(),
    timeoutSeconds: 1,
  });
});

test('listEvents with a field selector; watchEvents', async () => {
  const web = await client.createPod('default', podManifest('web'));
  const db = await client.createPod('default', podManifest('db'));
  h.node.addEvent(web, 'Scheduled', 'ok');
  h.node.addEvent(db, 'Scheduled', 'ok');
  assert.equal((await client.listEvents('default')).length, 2);
  const mine = await client.listEvents('default', `involvedObject.uid=${web.metadata.uid}`);
  assert.deepEqual(
    mine.map((e) => e.involvedObject.name),
    ['web'],
  );
  const got: string[] = [];
  const ac = new AbortController();
  const w = client.watchEvents(
    undefined,
    (e) => {
      got.push(`${e.type}:${e.object.reason}`);
      if (got.length === 3) ac.abort();
    },
    ac.signal,
  );
  // The replay of the two existing events says the watch is connected.
  await waitFor('the replay', () => got.length === 2, 5000, 5);
  h.node.addEvent(web, 'Pulled', 'ok');
  await w;
  assert.deepEqual(got, ['ADDED:Scheduled', 'ADDED:Scheduled', 'ADDED:Pulled']);
});
