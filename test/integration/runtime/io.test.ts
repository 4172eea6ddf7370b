// Logs, exec and engine events on the real engine.
import { after, before, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import type { RuntimeEvent } from '../../../src/runtime/runtime.js';
import { bb, makePod, runPod, setUp, tearDown, type TestEnv, waitExited, waitFor } from './helpers.js';

let env: TestEnv;
before(async () => {
  env = await setUp('io');
});
after(async () => {
  await tearDown(env);
});

async function text(r: Readable): Promise<string> {
  let s = '';
  for await (const c of r) s += c.toString();
  return s;
}

test('logs: stdout and stderr demultiplexed, tail, limitBytes, timestamps', async () => {
  const pod = makePod('logs', [
    bb('c', { command: ['sh', '-c', 'echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three'] }),
  ]);
  const { ids } = await runPod(env, pod);
  await waitExited(env, pod.metadata.uid, 'c');
  const id = ids.c!;
  const all = await text(await env.runtime.containerLogs(id, {}));
  // stdout and stderr are separate pipes: only writes apart in time have a fixed order.
  assert.equal(all, 'one\ntwo\nthree\n');
  assert.equal(await text(await env.runtime.containerLogs(id, { tailLines: 1 })), 'three\n');
  assert.equal(await text(await env.runtime.containerLogs(id, { limitBytes: 6 })), 'one\ntw');
  const ts = await text(await env.runtime.containerLogs(id, { timestamps: true, tailLines: 1 }));
  assert.match(ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z three\n$/);
  assert.equal(await text(await env.runtime.containerLogs(id, { sinceSeconds: 3600 })), all);
  const future = new Date(Date.now() + 60_000).toISOString();
  assert.equal(await text(await env.runtime.containerLogs(id, { sinceTime: future })), '');
});

test('logs: a followed stream yields lines as they come and ends when the container exits', async () => {
  const pod = makePod('follow', [
    bb('c', { command: ['sh', '-c', 'for i in 1 2 3; do echo line$i; sleep 0.3; done'] }),
  ]);
  const { ids } = await runPod(env, pod);
  const out = await text(await env.runtime.containerLogs(ids.c!, { follow: true }));
  assert.equal(out, 'line1\nline2\nline3\n');
  // It ended because the container exited (the test's bound catches a stream that never ends).
  assert.equal((await waitExited(env, pod.metadata.uid, 'c')).exitCode, 0);
});

test('logs: an aborted follow ends the stream', async () => {
  const pod = makePod('follow-abort', [
    bb('c', { command: ['sh', '-c', 'while true; do echo tick; sleep 0.2; done'] }),
  ]);
  const { ids } = await runPod(env, pod);
  const ac = new AbortController();
  const stream = await env.runtime.containerLogs(ids.c!, { follow: true }, ac.signal);
  // Abort once the stream is live (its first line came); the container never exits by itself.
  const out = await (async () => {
    let s = '';
    for await (const c of stream) {
      s += c.toString();
      ac.abort();
    }
    return s;
  })().catch(() => 'aborted-with-error');
  assert.ok(out === 'aborted-with-error' || out.startsWith('tick\n'), out);
});

test('logs of a TTY container are raw', async () => {
  const pod = makePod('tty', [bb('c', { command: ['sh', '-c', 'echo hi'], tty: true })]);
  const { ids } = await runPod(env, pod);
  await waitExited(env, pod.metadata.uid, 'c');
  assert.equal(await text(await env.runtime.containerLogs(ids.c!, {})), 'hi\r\n');
});

test('exec: exit code, combined output, cap, timeout', async () => {
  const pod = makePod('exec', [bb('c', { command: ['sleep', '3600'] })]);
  const { ids } = await runPod(env, pod);
  const id = ids.c!;
  const r = await env.runtime.exec(id, ['sh', '-c', 'echo out; echo err >&2; exit 4'], 5000);
  assert.equal(r.exitCode, 4);
  assert.equal(r.timedOut, false);
  assert.deepEqual(r.output.split('\n').sort(), ['', 'err', 'out']);
  const big = await env.runtime.exec(
    id,
    ['sh', '-c', 'i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done'],
    10_000,
  );
  assert.equal(big.exitCode, 0);
  assert.equal(big.output.length, 10 * 1024);
  const slow = await env.runtime.exec(id, ['sleep', '600'], 500);
  assert.equal(slow.timedOut, true);
  // It returned at the timeout, not when the command ended: the command still runs.
  assert.match((await env.runtime.exec(id, ['ps'], 5000)).output, /sleep 600$/m);
  const missing = await env.runtime.exec(id, ['/no/such'], 5000);
  assert.notEqual(missing.exitCode, 0);
});

test('events fire for this agent with the pod uid, and unsubscribe stops them', async () => {
  const seen: RuntimeEvent[] = [];
  const errors: Error[] = [];
  const unwatch = env.runtime.watch(
    (e) => seen.push(e),
    (e) => errors.push(e),
  );
  // No wait for the stream to connect: the watch asks for events since it began.
  const pod = makePod('events', [bb('c', { command: ['sh', '-c', 'exit 1'] })]);
  const { ids, sandboxId } = await runPod(env, pod);
  await waitFor('die event', async () => seen.some((e) => e.containerId === ids.c && e.action === 'die'));
  const mine = seen.filter((e) => e.podUid === pod.metadata.uid);
  assert.ok(mine.some((e) => e.action === 'create' && e.containerId === sandboxId));
  assert.ok(mine.some((e) => e.action === 'start' && e.containerId === ids.c));
  assert.deepEqual(errors, []);
  unwatch();
  const before = seen.length;
  // A second, still subscribed watch says when the removal's events have been delivered.
  const control: RuntimeEvent[] = [];
  const controlErrors: Error[] = [];
  const unwatchControl = env.runtime.watch(
    (e) => control.push(e),
    (e) => controlErrors.push(e),
  );
  await env.runtime.removePod(pod.metadata.uid);
  await waitFor('the destroy events on the control watch', async () =>
    [sandboxId, ids.c].every((id) => control.some((e) => e.containerId === id && e.action === 'destroy')),
  );
  unwatchControl();
  assert.deepEqual(controlErrors, []);
  assert.equal(seen.length, before);
});
