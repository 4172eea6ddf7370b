// Caps on long-lived streams: beyond them, 429 TooManyRequests with Retry-After; a
// freed slot is usable again. (Connection caps are exercised the same way.)
import { test, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, getJson, type Harness } from './helpers.js';
import { podManifest } from '../../fakes/fake-node.js';

let h: Harness | undefined;
afterEach(() => h?.close());

/** Retries `url` until it is answered 200 (a freed slot is released when the server sees the close). */
async function until200(url: string): Promise<Response> {
  const end = Date.now() + 5000;
  for (;;) {
    const res = await fetch(url);
    if (res.status === 200) return res;
    await res.body?.cancel();
    if (Date.now() > end) throw new Error(`still ${res.status}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('watches beyond maxWatches get 429 TooManyRequests with Retry-After; a closed one frees its slot', async () => {
  h = await startHarness(undefined, { maxWatches: 1 });
  const url = `${h.url}/api/v1/namespaces/default/pods?watch=true`;
  const ac = new AbortController();
  const first = await fetch(url, { signal: ac.signal });
  assert.equal(first.status, 200);
  const refused = await getJson(url);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '1');
  assert.equal(refused.body.kind, 'Status');
  assert.equal(refused.body.reason, 'TooManyRequests');
  assert.equal((refused.body.details as { retryAfterSeconds?: number }).retryAfterSeconds, 1);
  // Plain requests are not streams: still served.
  assert.equal((await getJson(`${h.url}/api/v1/pods`)).status, 200);
  ac.abort();
  const again = await until200(url);
  await again.body?.cancel();
});

test('followed logs beyond maxFollowedLogs get 429; plain log reads are not capped', async () => {
  h = await startHarness(undefined, { maxFollowedLogs: 1 });
  await h.node.createPod('default', podManifest('web'));
  const url = `${h.url}/api/v1/namespaces/default/pods/web/log`;
  const first = await fetch(`${url}?follow=true`);
  assert.equal(first.status, 200);
  const refused = await getJson(`${url}?follow=true`);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.reason, 'TooManyRequests');
  assert.match(String(refused.body.message), /too many open followed logs \(limit 1\)/);
  assert.equal((await getJson(url)).status, 200);
  h.node.logCalls[0]!.stream.end();
  assert.equal(await first.text(), 'line 1\nline 2\n');
  const again = await until200(`${url}?follow=true`);
  await again.body?.cancel();
});

test('requests on connections beyond maxConnections get 429 and the connection is closed', async () => {
  h = await startHarness(undefined, { maxConnections: 1 });
  const url = `${h.url}/api/v1/namespaces/default/pods?watch=true`;
  const ac = new AbortController();
  const held = await fetch(url, { signal: ac.signal });
  assert.equal(held.status, 200);
  const refused = await getJson(`${h.url}/api/v1/pods`);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.reason, 'TooManyRequests');
  assert.equal(refused.headers.get('connection'), 'close');
  ac.abort();
});
