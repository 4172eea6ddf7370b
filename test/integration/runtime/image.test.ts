// Image presence and pull failures against the real engine (no registry is reachable,
// so only loopback addresses are used).
import { after, before, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, setUp, tearDown, type TestEnv } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setUp('image');
});
after(async () => {
  await tearDown(env);
});

test('imageExists', async () => {
  assert.equal(await env.runtime.imageExists(BUSYBOX), true);
  assert.equal(await env.runtime.imageExists('minikubelet.local/busybox'), false); // :latest
  assert.equal(await env.runtime.imageExists('minikubelet.local/no-such:1'), false);
});

test('a pull from an unreachable registry fails with the engine message', async () => {
  await assert.rejects(
    env.runtime.pullImage('127.0.0.1:9/nothing/here:v1'),
    /127\.0\.0\.1:9|connection refused|dial tcp/,
  );
});
