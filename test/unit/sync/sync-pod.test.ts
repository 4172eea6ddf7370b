// syncPod over the FakeRuntime and FakeClock: what one pass of the per-pod loop does in
// the engine and publishes, pass after pass (kuberuntime_manager.go SyncPod).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { ContainerStatus, RestartPolicy, ValidPod } from '../../../src/apis/core/types.js';
import type { CreateContainerRequest } from '../../../src/runtime/runtime.js';
import { backoffKey } from '../../../src/sync/pod-actions.js';
import { SYNC_ERROR_RETRY_MS } from '../../../src/sync/sync-pod.js';
import { pod } from '../../fixtures/pods.js';
import { CRASH_BACKOFF, newTestSync } from '../../fakes/sync-harness.js';

const UID = 'uid-1';

function statusOf(h: ReturnType<typeof newTestSync>, name: string): ContainerStatus {
  const s = h.status.getStatus(UID);
  const c = [...(s?.initContainerStatuses ?? []), ...(s?.containerStatuses ?? [])].find((x) => x.name === name);
  assert.ok(c, `no status for container ${name}`);
  return c;
}

function requests(h: ReturnType<typeof newTestSync>): CreateContainerRequest[] {
  return h.runtime.callsOf('createContainer').map((c) => c.args[0] as CreateContainerRequest);
}

function withEnv(p: ValidPod, container: string, value: string): ValidPod {
  return {
    ...p,
    spec: {
      ...p.spec,
      containers: p.spec.containers.map((c) => (c.name === container ? { ...c, env: [{ name: 'V', value }] } : c)),
    },
  };
}

describe('syncPod: init containers', () => {
  test('sandbox and first init container, then the next one after it exits 0, then every app container in one sync', async () => {
    const h = newTestSync();
    const p = pod({ init: ['i1', 'i2'], containers: ['a', 'b'] });
    h.admit(p);

    await h.sync(p);
    assert.equal(h.runtime.callsOf('runSandbox').length, 1);
    assert.deepEqual(h.runtime.created(), ['i1']);
    assert.deepEqual(h.runtime.running(UID), ['i1']);
    assert.equal(h.status.getStatus(UID)?.phase, 'Pending');
    assert.ok(statusOf(h, 'i1').state.running);
    assert.equal(statusOf(h, 'a').state.waiting?.reason, 'PodInitializing');

    // While i1 runs, a sync starts nothing.
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['i1']);

    h.runtime.exitContainer(UID, 'i1', 0);
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['i1', 'i2']);
    assert.equal(statusOf(h, 'i1').state.terminated?.reason, 'Completed');

    h.runtime.exitContainer(UID, 'i2', 0);
    const before = h.runtime.calls.length;
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['i1', 'i2', 'a', 'b']);
    // a and b were created in the same pass.
    assert.equal(h.runtime.calls.slice(before).filter((c) => c.method === 'startContainer').length, 2);
    assert.deepEqual(h.runtime.running(UID), ['a', 'b']);
    assert.equal(h.runtime.callsOf('runSandbox').length, 1, 'one sandbox all along');
    const s = h.status.getStatus(UID);
    assert.equal(s?.phase, 'Running');
    assert.equal(s?.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  });

  test('a failed init container under Always is re-run in the same sandbox; app containers wait', async () => {
    const h = newTestSync();
    const p = pod({ init: ['i1'], containers: ['a'] });
    h.admit(p);
    await h.sync(p);
    h.runtime.exitContainer(UID, 'i1', 1);
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['i1', 'i1']);
    assert.equal(requests(h)[1]?.restartCount, 1);
    assert.equal(h.runtime.callsOf('runSandbox').length, 1);
  });
});

describe('syncPod: crash-loop back-off', () => {
  test('first restart at once; then held with requeue ≈ back-off and no start, back-off unchanged; after it, start and double', async () => {
    const h = newTestSync();
    const p = pod();
    const key = backoffKey(p, p.spec.containers[0]!);
    h.admit(p);
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['app']);

    // First crash: restarted in the next sync, no wait.
    h.runtime.exitContainer(UID, 'app', 1);
    const r1 = await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['app', 'app']);
    assert.equal(r1.requeueAfterMs, undefined);
    assert.equal(h.crashBackoff.get(key), CRASH_BACKOFF.baseMs);

    // Second crash: held for the back-off counted from finishedAt.
    h.clock.advance(1_000);
    h.runtime.exitContainer(UID, 'app', 1);
    const r2 = await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['app', 'app'], 'not started while in back-off');
    assert.ok(r2.requeueAfterMs !== undefined && Math.abs(r2.requeueAfterMs - CRASH_BACKOFF.baseMs) <= 100);
    assert.equal(h.crashBackoff.get(key), CRASH_BACKOFF.baseMs, 'a held restart does not advance the back-off');
    const waiting = statusOf(h, 'app').state.waiting;
    assert.equal(waiting?.reason, 'CrashLoopBackOff');
    assert.equal(waiting?.message, 'back-off 10s restarting failed container=app pod=web_default(uid-1)');
    assert.equal(statusOf(h, 'app').lastState.terminated?.exitCode, 1);
    assert.ok(h.eventReasons(UID).includes('BackOff'));

    // Still held later on: requeue shrinks, nothing starts, back-off unchanged.
    h.clock.advance(4_000);
    const r3 = await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['app', 'app']);
    assert.ok(r3.requeueAfterMs !== undefined && Math.abs(r3.requeueAfterMs - 6_000) <= 100);
    assert.equal(h.crashBackoff.get(key), CRASH_BACKOFF.baseMs);

    // Past the back-off: started, and the next wait doubles.
    h.clock.advance(r3.requeueAfterMs);
    const r4 = await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['app', 'app', 'app']);
    assert.equal(requests(h)[2]?.restartCount, 2);
    assert.equal(r4.requeueAfterMs, undefined);
    assert.equal(h.crashBackoff.get(key), 2 * CRASH_BACKOFF.baseMs);
    assert.ok(statusOf(h, 'app').state.running);
  });

  test('a sync that fails before it starts a container does not consume its back-off', async () => {
    const h = newTestSync();
    const p1 = pod({ containers: ['a', 'b'] });
    const keyA = backoffKey(p1, p1.spec.containers[0]!);
    h.admit(p1);
    await h.sync(p1);
    h.runtime.exitContainer(UID, 'a', 1);
    // b's definition changes: the next sync must kill it before it starts anything.
    const p2 = withEnv(p1, 'b', '2');
    h.admit(p2);
    h.runtime.inject('stopContainer', new Error('engine timeout'));
    await assert.rejects(h.sync(p2), /engine timeout/);
    assert.deepEqual(h.runtime.created(), ['a', 'b'], 'nothing started by the failed sync');
    // kubelet: SyncPod returned at the failed kill, before doBackOff: no entry yet.
    assert.equal(h.crashBackoff.get(keyA), 0);
    // So a's first restart is still immediate in the next sync.
    await h.sync(p2);
    assert.deepEqual(h.runtime.created().sort(), ['a', 'a', 'b', 'b']);
  });
});

describe('syncPod: a failed start is retried', () => {
  const cases = [
    // Nothing was created: the container is Waiting with no last state, so the pod is Pending.
    {
      method: 'createContainer',
      reason: 'CreateContainerError',
      retryRestartCount: 0,
      phase: 'Pending',
      last: undefined,
    },
    // Docker keeps the failed instance (exit 128, ContainerCannotRun): it becomes the last
    // state, which getPhase counts as stopped → Running under Always, as the kubelet does.
    {
      method: 'startContainer',
      reason: 'RunContainerError',
      retryRestartCount: 1,
      phase: 'Running',
      last: 'ContainerCannotRun',
    },
  ] as const;
  for (const c of cases) {
    test(`${c.method} fails → Waiting ${c.reason}, requeue after SYNC_ERROR_RETRY_MS, next sync starts it`, async () => {
      const h = newTestSync();
      const p = pod();
      h.admit(p);
      h.runtime.inject(c.method, new Error('no space left on device'));
      const r1 = await h.sync(p);
      assert.equal(r1.requeueAfterMs, SYNC_ERROR_RETRY_MS);
      assert.equal(r1.terminal, false);
      assert.deepEqual(h.runtime.running(UID), []);
      const waiting = statusOf(h, 'app').state.waiting;
      assert.equal(waiting?.reason, c.reason);
      assert.match(waiting?.message ?? '', /no space left on device/);
      assert.equal(statusOf(h, 'app').lastState.terminated?.reason, c.last);
      assert.equal(h.status.getStatus(UID)?.phase, c.phase);
      assert.ok(h.events.forPod(UID).some((e) => e.reason === 'Failed' && e.type === 'Warning'));

      const r2 = await h.sync(p);
      assert.equal(r2.requeueAfterMs, undefined);
      assert.deepEqual(h.runtime.running(UID), ['app']);
      assert.equal(requests(h).at(-1)?.restartCount, c.retryRestartCount);
      assert.ok(statusOf(h, 'app').state.running);
      assert.equal(h.status.getStatus(UID)?.phase, 'Running');
      assert.equal(h.runtime.callsOf('runSandbox').length, 1);
    });
  }
});

describe('syncPod: restart policy', () => {
  const cases: { policy: RestartPolicy; exit: number; phase?: 'Succeeded' | 'Failed' }[] = [
    { policy: 'Never', exit: 0, phase: 'Succeeded' },
    { policy: 'Never', exit: 1, phase: 'Failed' },
    { policy: 'OnFailure', exit: 0, phase: 'Succeeded' },
    { policy: 'OnFailure', exit: 1 },
    { policy: 'Always', exit: 0 },
    { policy: 'Always', exit: 1 },
  ];
  for (const c of cases) {
    const what = c.phase ? `terminal ${c.phase}, sandbox stopped` : 'restarted';
    test(`${c.policy}, exit ${c.exit}: ${what}`, async () => {
      const h = newTestSync();
      const p = pod({ restartPolicy: c.policy });
      h.admit(p);
      await h.sync(p);
      h.runtime.exitContainer(UID, 'app', c.exit);
      const r = await h.sync(p);
      if (c.phase) {
        assert.equal(r.terminal, true);
        assert.equal(h.status.getStatus(UID)?.phase, c.phase);
        assert.deepEqual(h.runtime.created(), ['app']);
        assert.equal(h.runtime.sandboxOf(UID)?.status, 'exited', 'a terminal pod keeps nothing running');
        assert.equal(statusOf(h, 'app').state.terminated?.exitCode, c.exit);
        // Terminal is final: another sync starts nothing.
        const again = await h.sync(p);
        assert.equal(again.terminal, true);
        assert.deepEqual(h.runtime.created(), ['app']);
        assert.equal(h.runtime.callsOf('runSandbox').length, 1);
      } else {
        assert.equal(r.terminal, false);
        assert.deepEqual(h.runtime.created(), ['app', 'app']);
        assert.deepEqual(h.runtime.running(UID), ['app']);
        assert.equal(h.status.getStatus(UID)?.phase, 'Running');
        assert.equal(statusOf(h, 'app').restartCount, 1);
        assert.equal(statusOf(h, 'app').lastState.terminated?.exitCode, c.exit);
      }
    });
  }

  test('Never with two containers: Running while one still runs, Failed once both ended and one failed', async () => {
    const h = newTestSync();
    const p = pod({ containers: ['a', 'b'], restartPolicy: 'Never' });
    h.admit(p);
    await h.sync(p);
    h.runtime.exitContainer(UID, 'a', 1);
    assert.equal((await h.sync(p)).terminal, false);
    assert.equal(h.status.getStatus(UID)?.phase, 'Running');
    h.runtime.exitContainer(UID, 'b', 0);
    assert.equal((await h.sync(p)).terminal, true);
    assert.equal(h.status.getStatus(UID)?.phase, 'Failed');
    assert.deepEqual(h.runtime.created(), ['a', 'b']);
  });
});

describe('syncPod: sandbox lost', () => {
  const cases = [
    { what: 'the pause container exited', lose: (h: ReturnType<typeof newTestSync>) => h.runtime.killSandbox(UID) },
    {
      what: 'the pause container was removed',
      lose: (h: ReturnType<typeof newTestSync>) => h.runtime.removeSandbox(UID),
    },
  ];
  for (const c of cases) {
    test(`${c.what}: SandboxChanged, containers killed, new sandbox attempt + 1, containers re-created`, async () => {
      const h = newTestSync();
      const p = pod({ init: ['i1'], containers: ['a'] });
      h.admit(p);
      await h.sync(p);
      h.runtime.exitContainer(UID, 'i1', 0);
      await h.sync(p);
      const oldApp = h.runtime.container(UID, 'a')!;
      assert.equal(oldApp.status, 'running');

      c.lose(h);
      await h.sync(p);
      assert.ok(h.eventReasons(UID).includes('SandboxChanged'));
      assert.deepEqual(
        h.runtime.callsOf('runSandbox').map((x) => x.args[1]),
        [0, 1],
      );
      assert.ok(
        h.runtime.callsOf('stopContainer').some((x) => x.args[0] === oldApp.id),
        'the old app container is killed',
      );
      // A new sandbox re-runs the init containers from the first one.
      assert.deepEqual(h.runtime.created(), ['i1', 'a', 'i1']);
      assert.equal(requests(h).at(-1)?.sandboxId, h.runtime.sandboxOf(UID)?.id);
      assert.deepEqual(h.runtime.running(UID), ['i1']);

      h.runtime.exitContainer(UID, 'i1', 0);
      await h.sync(p);
      assert.deepEqual(h.runtime.running(UID), ['a']);
      assert.equal(requests(h).at(-1)?.restartCount, 1);
      assert.equal(h.status.getStatus(UID)?.phase, 'Running');
    });
  }
});

describe('syncPod: sandbox lost while crash-looping', () => {
  test('containers re-created in the new sandbox still honour their crash-loop back-off', async () => {
    const h = newTestSync();
    const p = pod();
    h.admit(p);
    await h.sync(p);
    h.runtime.exitContainer(UID, 'app', 1);
    await h.sync(p); // first restart at once; back-off entry 10s from this crash
    assert.deepEqual(h.runtime.created(), ['app', 'app']);
    h.clock.advance(1_000);
    h.runtime.killSandbox(UID);
    const r = await h.sync(p);
    assert.deepEqual(
      h.runtime.callsOf('runSandbox').map((x) => x.args[1]),
      [0, 1],
    );
    // doBackOff: the newest exited instance finished 1s ago, inside the 10s back-off.
    assert.deepEqual(h.runtime.created(), ['app', 'app'], 'not started in the new sandbox yet');
    assert.ok(r.requeueAfterMs !== undefined && r.requeueAfterMs <= CRASH_BACKOFF.baseMs);
  });
});

describe('syncPod: container in unknown state', () => {
  test('is killed before it is restarted', async () => {
    const h = newTestSync();
    const p = pod();
    h.admit(p);
    await h.sync(p);
    const old = h.runtime.container(UID, 'app')!;
    h.runtime.setState(old.id, 'unknown');
    await h.sync(p);
    const stopAt = h.runtime.calls.findIndex((c) => c.method === 'stopContainer' && c.args[0] === old.id);
    const createAt = h.runtime.calls.findLastIndex((c) => c.method === 'createContainer');
    assert.ok(stopAt >= 0, 'the unknown instance is stopped');
    assert.ok(stopAt < createAt, 'before the new instance is created');
    assert.ok(
      h.events
        .forPod(UID)
        .some(
          (e) =>
            e.reason === 'Killing' && e.message === 'Container is in "unknown" state, try killing it before restart',
        ),
    );
  });
});

describe('syncPod: containers created while the sandbox starts (issue #17, lever 2)', () => {
  test('every app container is created before the sandbox has started, and started only after it runs', async () => {
    const h = newTestSync();
    const p = pod({ containers: ['a', 'b', 'c'] });
    h.admit(p);
    const hold = h.runtime.holdSandboxStart();
    const syncing = h.sync(p);
    await hold.entered;
    await h.runtime.idle();
    assert.deepEqual(h.runtime.created().sort(), ['a', 'b', 'c'], 'created while the sandbox is held');
    assert.equal(h.runtime.callsOf('startContainer').length, 0, 'nothing started before the sandbox runs');
    hold.release();
    await syncing;
    assert.deepEqual(h.runtime.running(UID).sort(), ['a', 'b', 'c']);
    assert.equal(h.runtime.callsOf('createContainer').length, 3, 'each created once');
    assert.equal(h.status.getStatus(UID)?.phase, 'Running');
  });

  test('with init containers only the first init container is created early; the app containers wait for the inits', async () => {
    const h = newTestSync();
    const p = pod({ init: ['i1', 'i2'], containers: ['a'] });
    h.admit(p);
    const hold = h.runtime.holdSandboxStart();
    const syncing = h.sync(p);
    await hold.entered;
    await h.runtime.idle();
    assert.deepEqual(h.runtime.created(), ['i1']);
    hold.release();
    await syncing;
    assert.deepEqual(h.runtime.running(UID), ['i1']);
  });

  test('a container whose env needs the pod IP is created after the sandbox has its IP', async () => {
    const h = newTestSync();
    const base = pod({ containers: ['a'] });
    const p: ValidPod = {
      ...base,
      spec: {
        ...base.spec,
        containers: base.spec.containers.map((c) => ({
          ...c,
          env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        })),
      },
    };
    h.admit(p);
    const hold = h.runtime.holdSandboxStart();
    const syncing = h.sync(p);
    await hold.entered;
    await h.runtime.idle();
    assert.deepEqual(h.runtime.created(), [], 'not created while the sandbox has no IP');
    hold.release();
    await syncing;
    const ip = requests(h)[0]
      ?.env?.find((e) => e.startsWith('IP='))
      ?.slice(3);
    assert.match(ip ?? '', /^10\.244\.0\.\d+$/, 'the env carries the pod IP');
  });

  test('a sandbox that fails to start takes the containers created for it along; nothing is started', async () => {
    const h = newTestSync();
    const p = pod({ containers: ['a', 'b'] });
    h.admit(p);
    const hold = h.runtime.holdSandboxStart({ fail: 'failed to set up sandbox container network: ADD failed' });
    const syncing = h.sync(p);
    await hold.entered;
    await h.runtime.idle();
    assert.equal(h.runtime.callsOf('createContainer').length, 2);
    hold.release();
    await assert.rejects(syncing, /ADD failed/);
    assert.equal(h.runtime.callsOf('startContainer').length, 0);
    assert.deepEqual(h.runtime.podRecords(UID), [], 'no container of the pod is left');
    assert.ok(h.eventReasons(UID).includes('FailedCreatePodSandBox'));
  });
});
