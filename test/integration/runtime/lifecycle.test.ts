// Container lifecycle on the real engine: exit codes, OOM, failed starts, command/args
// semantics, stop with grace, restart instances, agent isolation.
import { after, before, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { timeKey } from '../../../src/runtime/relist.js';
import { LABEL } from '../../../src/runtime/labels.js';
import { watchEngineOoms } from '../../harness/engine-oom.js';
import { bb, instance, makePod, runPod, setUp, tearDown, type TestEnv, waitExited, waitFor } from './helpers.js';

const docker = new Dockerode();
let env: TestEnv;
let other: TestEnv;
before(async () => {
  env = await setUp('life');
  other = await setUp('life2');
});
after(async () => {
  await tearDown(env);
  await tearDown(other);
});

async function logsOf(id: string): Promise<string> {
  let s = '';
  for await (const c of (await env.runtime.containerLogs(id, {})) as Readable) s += c.toString();
  return s;
}

test('init() returns the pod network gateway', () => {
  assert.match(env.hostIP, /^10\.\d+\.\d+\.1$/);
});

test('exit codes, timestamps, labels-derived fields', async () => {
  const pod = makePod('exit-codes', [
    bb('three', { command: ['sh', '-c', 'exit 3'] }),
    bb('zero', { command: ['true'] }),
  ]);
  const { sandboxId, ids } = await runPod(env, pod);
  const three = await waitExited(env, pod.metadata.uid, 'three');
  const zero = await waitExited(env, pod.metadata.uid, 'zero');
  assert.equal(three.exitCode, 3);
  assert.equal(zero.exitCode, 0);
  assert.equal(three.id, ids.three);
  assert.equal(three.sandboxId, sandboxId);
  assert.equal(three.type, 'container');
  assert.equal(three.restartCount, 0);
  assert.match(three.hash, /^[0-9a-f]{8}$/);
  assert.equal(three.image, pod.spec.containers[0]!.image);
  assert.match(three.imageId, /^sha256:[0-9a-f]{64}$/);
  assert.ok(three.startedAt && three.finishedAt && three.createdAt);
  // Not asserted: finishedAt >= startedAt. For a process that exits at once the engine
  // records StartedAt after the exit, a few ms *later* than FinishedAt.
  assert.ok(timeKey(three.createdAt) <= timeKey(three.finishedAt));
  assert.equal(three.oomKilled, undefined);
  assert.equal(three.error, undefined);
  assert.equal(three.terminationMessagePath, '/dev/termination-log');
});

test('a memory hog under limits.memory is OOM-killed', async () => {
  // With the engine's event stream watched, as the agent does: dockerd may send `oom` after
  // the exit without setting the flag (relist.ts). The engine can also lose an OOM kill
  // altogether (engine-oom.ts): such a run is retried.
  const unwatch = env.runtime.watch(
    () => undefined,
    () => undefined,
  );
  const ooms = await watchEngineOoms(docker, `${LABEL.agent}=${env.agentId}`);
  try {
    for (let attempt = 1; ; attempt++) {
      const pod = makePod(`oom-${attempt}`, [
        bb('hog', {
          command: ['sh', '-c', 'x=a; while true; do x=$x$x; done'],
          resources: { limits: { memory: '10Mi' } },
        }),
      ]);
      await runPod(env, pod);
      const exited = await waitExited(env, pod.metadata.uid, 'hog', 30_000);
      assert.equal(exited.exitCode, 137);
      // The engine may apply the OOM flag, or send the event, a moment after the exit.
      const c = await waitFor(
        'OOMKilled',
        async () => {
          const x = instance(await env.runtime.getPodStatus(pod.metadata.uid), 'hog');
          return x?.oomKilled && x;
        },
        5000,
      ).catch(() => undefined);
      if (c) return;
      assert.equal(await ooms.told(exited.id), false, 'the engine reported the OOM kill; the relist does not say so');
      assert.ok(attempt < 3, 'the engine lost the OOM kill in 3 runs out of 3');
    }
  } finally {
    ooms.stop();
    unwatch();
  }
});

test('a command that does not exist fails the start and is reported as exited with an error', async () => {
  const pod = makePod('no-such-cmd', [bb('bad', { command: ['/no/such/binary'] })]);
  const sandboxId = await env.runtime.runSandbox(pod, 0);
  const id = await env.runtime.createContainer({
    pod,
    container: pod.spec.containers[0]!,
    type: 'container',
    sandboxId,
    restartCount: 0,
    env: [],
    command: ['/no/such/binary'],
  });
  await assert.rejects(env.runtime.startContainer(id), /no such file or directory/);
  const c = instance(await env.runtime.getPodStatus(pod.metadata.uid), 'bad')!;
  assert.equal(c.state, 'exited');
  assert.equal(c.exitCode, 127);
  assert.match(c.error ?? '', /no such file or directory/);
  assert.equal(c.startedAt, undefined);
  assert.equal(c.finishedAt, undefined);
});

test('command/args follow the Kubernetes entrypoint rules', async () => {
  // busybox: no ENTRYPOINT, CMD ["sh"].
  const pod = makePod('cmd-args', [
    bb('command-only', { command: ['echo', 'from-command'] }),
    bb('args-only', { args: ['echo', 'from-args'] }),
    bb('both', { command: ['sh', '-c'], args: ['echo "both $0"', 'x'] }),
    bb('neither'),
  ]);
  const { ids } = await runPod(env, pod);
  for (const n of ['command-only', 'args-only', 'both', 'neither']) await waitExited(env, pod.metadata.uid, n);
  assert.equal(await logsOf(ids['command-only']!), 'from-command\n');
  assert.equal(await logsOf(ids['args-only']!), 'from-args\n');
  assert.equal(await logsOf(ids.both!), 'both x\n');
  const neither = await env.docker.inspectContainer(ids.neither!);
  assert.deepEqual(neither.Config.Cmd, ['sh']);
  const cmdOnly = await env.docker.inspectContainer(ids['command-only']!);
  assert.deepEqual([cmdOnly.Config.Entrypoint, cmdOnly.Config.Cmd], [['echo', 'from-command'], null]);
});

test('stop: SIGTERM-ignoring PID 1 takes the grace and gives 137; a trap exits fast', async () => {
  const pod = makePod('stopper', [
    bb('stubborn', { command: ['sleep', '3600'] }),
    bb('polite', { command: ['sh', '-c', "trap 'exit 7' TERM; echo trapped; while true; do sleep 1; done"] }),
  ]);
  const { ids } = await runPod(env, pod);
  // The shell says when its trap is installed; a SIGTERM before that would kill it with 143.
  await waitFor('the polite trap to be installed', async () => (await logsOf(ids.polite!)).includes('trapped'));
  await env.runtime.stopContainer(ids.polite!, 10);
  const asked = Date.now();
  await env.runtime.stopContainer(ids.stubborn!, 2);
  const st = await env.runtime.getPodStatus(pod.metadata.uid);
  // The mechanism, not the time: the trap's code means SIGTERM ended it (SIGKILL after the
  // grace would be 137) ...
  assert.equal(instance(st, 'polite')!.exitCode, 7);
  // ... and the stubborn one was SIGKILLed (137), not before its 2 s grace had passed.
  const stubborn = instance(st, 'stubborn')!;
  assert.equal(stubborn.exitCode, 137);
  const lived = Date.parse(stubborn.finishedAt!) - asked;
  assert.ok(lived >= 1900, `killed ${lived} ms after the stop request`);
  // Stopping again, and removing twice, are no-ops.
  await env.runtime.stopContainer(ids.polite!, 1);
  await env.runtime.removeContainer(ids.polite!);
  await env.runtime.removeContainer(ids.polite!);
});

test('restart instances are listed newest first; a leftover name is recovered', async () => {
  const pod = makePod('restarts', [bb('c', { command: ['true'] })]);
  const c = pod.spec.containers[0]!;
  const sandboxId = await env.runtime.runSandbox(pod, 0);
  const mk = (restartCount: number, command = ['true']) =>
    env.runtime.createContainer({ pod, container: c, type: 'container', sandboxId, restartCount, env: [], command });
  const a = await mk(0);
  await env.runtime.startContainer(a);
  await waitExited(env, pod.metadata.uid, 'c');
  const b = await mk(1);
  // Same restartCount again: the non-running leftover `b` is removed and replaced.
  const b2 = await mk(1, ['sleep', '30']);
  assert.notEqual(b2, b);
  const st = await env.runtime.getPodStatus(pod.metadata.uid);
  assert.deepEqual(
    st.containers.map((x) => [x.id, x.restartCount, x.state]),
    [
      [b2, 1, 'created'],
      [a, 0, 'exited'],
    ],
  );
  // A running holder of the name is kept; the new one gets a random 8-hex suffix.
  await env.runtime.startContainer(b2);
  const g = await env.docker.inspectContainer(await mk(1));
  assert.match(g.Name, /^\/k8s_c_restarts_rt-test_[0-9a-f-]+_1_[0-9a-f]{8}$/);
  const st2 = await env.runtime.getPodStatus(pod.metadata.uid);
  assert.deepEqual(
    st2.containers.map((x) => x.restartCount),
    [1, 1, 0],
  );
});

test('two agents do not see each other', async () => {
  const mine = makePod('mine', [bb('c', { command: ['sleep', '30'] })]);
  const theirs = makePod('theirs', [bb('c', { command: ['sleep', '30'] })]);
  await runPod(env, mine);
  await runPod(other, theirs);
  const a = (await env.runtime.listPods()).map((p) => p.uid);
  const b = (await other.runtime.listPods()).map((p) => p.uid);
  assert.ok(a.includes(mine.metadata.uid) && !a.includes(theirs.metadata.uid));
  assert.deepEqual(b, [theirs.metadata.uid]);
  assert.equal((await env.runtime.getPodStatus(theirs.metadata.uid)).containers.length, 0);
  await env.runtime.removePod(theirs.metadata.uid); // not ours: must not touch it
  assert.equal((await other.runtime.getPodStatus(theirs.metadata.uid)).containers.length, 1);
});
