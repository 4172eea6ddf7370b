import { test, beforeEach, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, getJson, LineReader, TABLE_ACCEPT, type Harness } from './helpers.js';
import { podManifest } from '../../fakes/fake-node.js';
import { waitFor } from '../../harness/wait.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const podsUrl = (ns = 'default') => `${h.url}/api/v1/namespaces/${ns}/pods`;
const create = (name: string, ns = 'default') => h.node.createPod(ns, podManifest(name));

/** fetch resolves when the response headers arrive; fail if that takes longer than ms. */
async function openWatch(
  url: string,
  headers: Record<string, string> = {},
  ms = 1000,
): Promise<{ res: Response; lines: LineReader }> {
  let t: NodeJS.Timeout | undefined;
  const res = await Promise.race([
    fetch(url, { headers }),
    new Promise<never>((_, rej) => {
      t = setTimeout(() => rej(new Error('watch headers did not arrive')), ms);
    }),
  ]);
  clearTimeout(t);
  return { res, lines: new LineReader(res) };
}

test('watch headers arrive before any event', async () => {
  const { res, lines } = await openWatch(`${podsUrl()}?resourceVersion=${h.node.resourceVersion()}&watch=true`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  await create('later');
  // The first line is the later change: no event came before it.
  const e = (await lines.next())!;
  assert.equal(e.type, 'ADDED');
  assert.equal(e.object.metadata.name, 'later');
  await lines.cancel();
});

test('watch with resourceVersion=0 (or unset) replays ADDED for current matches first', async () => {
  await create('a');
  await create('b');
  await create('c', 'other');
  for (const q of ['resourceVersion=0&watch=true', 'watch=1']) {
    const { lines } = await openWatch(`${podsUrl()}?${q}`);
    const got = [(await lines.next())!, (await lines.next())!];
    assert.deepEqual(
      got.map((e) => [e.type, e.object.metadata.name]),
      [
        ['ADDED', 'a'],
        ['ADDED', 'b'],
      ],
    );
    // Nothing else was replayed (not the other namespace's pod): the next line is a later change.
    h.node.setPodStatus('default', 'a', { message: q });
    const next = (await lines.next())!;
    assert.deepEqual([next.type, next.object.metadata.name], ['MODIFIED', 'a']);
    await lines.cancel();
  }
  // With a field selector: only the match.
  const { lines } = await openWatch(
    `${podsUrl()}?fieldSelector=${encodeURIComponent('metadata.name=b')}&resourceVersion=0&watch=true`,
  );
  assert.equal((await lines.next())!.object.metadata.name, 'b');
  h.node.setPodStatus('default', 'a', { phase: 'Running' });
  h.node.setPodStatus('default', 'b', { phase: 'Running' });
  const m = (await lines.next())!;
  assert.deepEqual([m.type, m.object.metadata.name, m.object.status.phase], ['MODIFIED', 'b', 'Running']);
  await lines.cancel();
});

test('watch with a concrete resourceVersion sends only later changes, including DELETED', async () => {
  await create('a');
  const { lines } = await openWatch(`${podsUrl()}?resourceVersion=${h.node.resourceVersion()}&watch=true`);
  // No replay: the first lines are the later changes.
  h.node.setPodStatus('default', 'a', { phase: 'Running' });
  h.node.removePod('default', 'a');
  assert.deepEqual([(await lines.next())!.type, (await lines.next())!.type], ['MODIFIED', 'DELETED']);
  await lines.cancel();
});

test('a change between the list and the watch is not lost', async () => {
  await create('web');
  const list = await getJson(
    `${podsUrl()}?fieldSelector=${encodeURIComponent('metadata.name=web')}&limit=500&resourceVersion=0`,
  );
  const rv = list.body.metadata.resourceVersion;
  h.node.setPodStatus('default', 'web', { phase: 'Running' }); // after the list, before the watch
  await create('other');
  const { lines } = await openWatch(
    `${podsUrl()}?allowWatchBookmarks=true&fieldSelector=${encodeURIComponent('metadata.name=web')}&resourceVersion=${rv}&timeoutSeconds=300&watch=true`,
  );
  const e = (await lines.next())!;
  assert.deepEqual([e.type, e.object.status.phase], ['MODIFIED', 'Running']);
  // The other pod is filtered out: the next line is web's next change.
  h.node.setPodStatus('default', 'web', { phase: 'Succeeded' });
  const next = (await lines.next())!;
  assert.deepEqual([next.type, next.object.metadata.name, next.object.status.phase], ['MODIFIED', 'web', 'Succeeded']);
  await lines.cancel();
});

test('watch timeoutSeconds ends the stream', async () => {
  const started = Date.now();
  const { lines } = await openWatch(
    `${podsUrl()}?resourceVersion=${h.node.resourceVersion()}&timeoutSeconds=1&watch=true`,
  );
  // The server ends it (we never cancel), and not before the timeout: a lower bound only,
  // how late it may end on a loaded machine is no property of the watch.
  assert.equal(await lines.next(8000), undefined);
  const took = Date.now() - started;
  assert.ok(took >= 900, `ended after ${took}ms`);
  assert.equal(h.server.openStreams(), 0);
});

test('Table watch: every event object is a one-row Table', async () => {
  await create('a');
  const { lines } = await openWatch(`${podsUrl()}?resourceVersion=0&watch=true`, { Accept: TABLE_ACCEPT });
  const e = (await lines.next())!;
  assert.equal(e.type, 'ADDED');
  assert.equal(e.object.kind, 'Table');
  assert.equal(e.object.rows.length, 1);
  assert.equal(e.object.rows[0]!.cells[0], 'a');
  assert.equal(e.object.rows[0]!.object.kind, 'PartialObjectMetadata');
  h.node.setPodStatus('default', 'a', { phase: 'Running' });
  const m = (await lines.next())!;
  assert.equal(m.type, 'MODIFIED');
  assert.equal(m.object.rows[0]!.cells[2], 'Running');
  await lines.cancel();
});

test('all-namespaces watch; a client that goes away unsubscribes', async () => {
  const { lines } = await openWatch(`${h.url}/api/v1/pods?resourceVersion=${h.node.resourceVersion()}&watch=true`);
  await create('x', 'ns1');
  await create('y', 'ns2');
  assert.deepEqual(
    [(await lines.next())!.object.metadata.namespace, (await lines.next())!.object.metadata.namespace],
    ['ns1', 'ns2'],
  );
  assert.equal(h.server.openStreams(), 1);
  await lines.cancel();
  await waitFor('the watch to end and unsubscribe', () => h.server.openStreams() === 0, 5000, 5);
  await create('z', 'ns3'); // must not throw on a closed response
});

test('closing the server ends open watches cleanly', async () => {
  const { lines } = await openWatch(`${podsUrl()}?watch=true`);
  const closed = h.close();
  assert.equal(await lines.next(2000), undefined);
  await closed;
});

test('an invalid resourceVersion is a 400', async () => {
  const r = await getJson(`${podsUrl()}?resourceVersion=abc&watch=true`);
  assert.equal(r.status, 400);
  assert.equal(r.body.kind, 'Status');
});

test('events: list with involvedObject selectors, Table, and watch', async () => {
  const web = await create('web');
  const db = await create('db');
  h.node.addEvent(web, 'Scheduled', 'assigned');
  h.node.addEvent(web, 'BackOff', 'back-off restarting', 'Warning');
  h.node.addEvent(db, 'Pulled', 'pulled');
  const sel = `involvedObject.name=web,involvedObject.namespace=default,involvedObject.uid=${web.metadata.uid}`;
  const r = await getJson(
    `${h.url}/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(sel)}&limit=500`,
  );
  assert.equal(r.body.kind, 'EventList');
  assert.ok(r.body.metadata.resourceVersion);
  assert.deepEqual(
    r.body.items.map((e) => e.reason),
    ['Scheduled', 'BackOff'],
  );
  const warn = await getJson(`${h.url}/api/v1/events?fieldSelector=${encodeURIComponent('type=Warning')}`);
  assert.deepEqual(
    warn.body.items.map((e) => e.reason),
    ['BackOff'],
  );
  const byKind = await getJson(
    `${h.url}/api/v1/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Pod,reason=Pulled')}`,
  );
  assert.deepEqual(
    byKind.body.items.map((e) => e.involvedObject.name),
    ['db'],
  );

  const t = await getJson(`${h.url}/api/v1/namespaces/default/events?limit=500`, { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(t.body.kind, 'Table');
  assert.equal(t.body.rows.length, 3);
  assert.deepEqual(t.body.rows[1]!.cells.slice(1, 4), ['Warning', 'BackOff', 'pod/web']);

  // `kubectl events --watch`: no resourceVersion → replay, then live.
  const { lines } = await openWatch(`${h.url}/api/v1/namespaces/default/events?limit=500&watch=true`);
  for (let i = 0; i < 3; i++) assert.equal((await lines.next())!.type, 'ADDED');
  h.node.addEvent(db, 'Started', 'started');
  const live = (await lines.next())!;
  assert.deepEqual([live.type, live.object.reason], ['ADDED', 'Started']);
  await lines.cancel();
});
