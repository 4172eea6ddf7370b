// The FakeRuntime's relist must read like runtime/relist.ts on Docker, or the sync
// tests would test a different world: labels, order, states, injected errors, gates.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { containerHash } from '../../../src/runtime/labels.js';
import { pod } from '../../fixtures/pods.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeRuntime } from '../../fakes/fake-runtime.js';

const p = pod({ containers: ['app'] });
const app = p.spec.containers[0]!;
const req = (sandboxId: string, restartCount: number) => ({
  pod: p,
  container: app,
  type: 'container' as const,
  sandboxId,
  restartCount,
  env: [],
});

test('relist: identity, hash and restart count from labels; newest first; attempts', async () => {
  const clock = new FakeClock();
  const rt = new FakeRuntime(clock);
  const sb0 = await rt.runSandbox(p, 0);
  const c0 = await rt.createContainer(req(sb0, 0));
  await rt.startContainer(c0);
  rt.exit(c0, 2);
  const c1 = await rt.createContainer(req(sb0, 1));
  await rt.startContainer(c1);
  rt.killSandbox(p.metadata.uid);
  await rt.runSandbox(p, 1);

  const s = await rt.getPodStatus(p.metadata.uid);
  assert.equal(s.name, 'web');
  assert.equal(s.namespace, 'default');
  assert.deepEqual(
    s.sandboxes.map((x) => [x.attempt, x.state, x.ip !== undefined]),
    [
      [1, 'running', true],
      [0, 'exited', false],
    ],
  );
  assert.deepEqual(
    s.containers.map((x) => [x.id, x.restartCount, x.state, x.exitCode]),
    [
      [c1, 1, 'running', undefined],
      [c0, 0, 'exited', 2],
    ],
  );
  assert.equal(s.containers[0]?.hash, containerHash(app));
  assert.equal(s.containers[0]?.sandboxId, sb0);
  assert.equal(s.containers[1]?.finishedAt?.startsWith('2026-01-01T00:00:00.'), true);
  assert.deepEqual(await rt.getPodStatus('nope'), {
    uid: 'nope',
    name: '',
    namespace: '',
    sandboxes: [],
    containers: [],
  });
});

test('a failed start reads as Docker leaves it: exited 128 with the error, never started', async () => {
  const rt = new FakeRuntime(new FakeClock());
  const sb = await rt.runSandbox(p, 0);
  const id = await rt.createContainer(req(sb, 0));
  rt.inject('startContainer', new Error('exec: "nope": executable file not found'));
  await assert.rejects(rt.startContainer(id), /executable file not found/);
  const [c] = (await rt.getPodStatus(p.metadata.uid)).containers;
  assert.equal(c?.state, 'exited');
  assert.equal(c?.exitCode, 128);
  assert.match(c?.error ?? '', /executable file not found/);
  assert.equal(c?.startedAt, undefined);
  // Injected errors are one-shot.
  const id2 = await rt.createContainer(req(sb, 1));
  await rt.startContainer(id2);
});

test('a gate holds one call until released; idle() ignores the held call', async () => {
  const rt = new FakeRuntime(new FakeClock());
  const gate = rt.block('runSandbox');
  let done = false;
  const pending = rt.runSandbox(p, 0).then(() => {
    done = true;
  });
  const call = await gate.entered;
  assert.equal(call.method, 'runSandbox');
  await rt.idle();
  assert.equal(done, false);
  assert.equal((await rt.getPodStatus(p.metadata.uid)).sandboxes.length, 0);
  gate.release();
  await pending;
  assert.equal((await rt.getPodStatus(p.metadata.uid)).sandboxes.length, 1);
});

test('engine events reach watchers; removePod leaves nothing', async () => {
  const rt = new FakeRuntime(new FakeClock());
  const seen: string[] = [];
  const unwatch = rt.watch(
    (e) => seen.push(e.action),
    () => undefined,
  );
  const sb = await rt.runSandbox(p, 0);
  const id = await rt.createContainer(req(sb, 0));
  await rt.startContainer(id);
  rt.exit(id, 0);
  await rt.removePod(p.metadata.uid);
  unwatch();
  assert.deepEqual(seen, ['start', 'create', 'start', 'die', 'destroy', 'destroy']);
  assert.deepEqual(rt.podRecords(p.metadata.uid), []);
});
