// PodWorkers / PodWorker over the FakeRuntime and FakeClock: one serial worker per
// UID, collapsed triggers, newest spec wins, termination during a sync, retries on
// the worker's timer (pkg/kubelet/pod_workers.go). Syncs are awaited through the fake
// runtime (idle, gates), never with sleeps.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { ValidPod } from '../../../src/apis/core/types.js';
import type { CreateContainerRequest } from '../../../src/runtime/runtime.js';
import { SYNC_ERROR_RETRY_MS } from '../../../src/sync/sync-pod.js';
import { pod } from '../../fixtures/pods.js';
import { newTestSync, RESYNC_MS } from '../../fakes/sync-harness.js';
import { NO_METRICS, type KubeletMetrics } from '../../../src/metrics/metrics.js';

const UID = 'uid-1';

function withEnv(p: ValidPod, value: string): ValidPod {
  return {
    ...p,
    spec: { ...p.spec, containers: p.spec.containers.map((c) => ({ ...c, env: [{ name: 'V', value }] })) },
  };
}

const envOf = (req: CreateContainerRequest) => req.container.env?.find((e) => e.name === 'V')?.value;

describe('PodWorkers: one serial worker per pod', () => {
  test('no second sync enters while one is inside the runtime; triggers meanwhile collapse into one more sync', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const gate = h.runtime.block('startContainer');
    workers.upsert(pod());
    await gate.entered;
    await h.runtime.idle();
    const inside = h.runtime.calls.length;

    // Triggers of every kind while the sync is held.
    workers.get(UID)!.wake();
    workers.get(UID)!.wake();
    workers.upsert(pod());
    workers.get(UID)!.wake();
    await h.runtime.idle();
    assert.equal(h.runtime.calls.length, inside, 'no runtime call from a second sync while the first is held');

    gate.release();
    await h.runtime.idle();
    // Sync 1: relist, sandbox, create+start, relist again. Sync 2 (the collapsed
    // triggers): one relist, nothing to change. Nothing after that.
    assert.equal(h.runtime.callsOf('getPodStatus').length, 3);
    assert.equal(h.runtime.callsOf('runSandbox').length, 1);
    assert.deepEqual(h.runtime.created(), ['app']);
    assert.equal(h.clock.pendingTimers(), 1, 'one resync timer');
    await workers.stop();
  });

  test('newest spec wins: two updates during a sync → the next sync sees only the latest', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const gate = h.runtime.block('startContainer');
    workers.upsert(withEnv(pod(), '1'));
    await gate.entered;
    workers.upsert(withEnv(pod(), '2'));
    workers.upsert(withEnv(pod(), '3'));
    gate.release();
    await h.runtime.idle();

    const creates = h.runtime.callsOf('createContainer').map((c) => envOf(c.args[0] as CreateContainerRequest));
    assert.deepEqual(creates, ['1', '3'], 'spec 2 was never synced');
    const first = h.runtime.callsOf('startContainer')[0]!.args[0];
    assert.ok(
      h.runtime.callsOf('stopContainer').some((c) => c.args[0] === first),
      'the instance of spec 1 is replaced',
    );
    assert.ok(h.events.forPod(UID).some((e) => e.message === 'Container app definition changed, will be restarted'));
    assert.deepEqual(h.runtime.running(UID), ['app']);
    assert.equal(envOf(h.runtime.container(UID, 'app')!.req!), '3');
    // Exactly two syncs, each of which changed the engine (two relists each).
    assert.equal(h.runtime.callsOf('getPodStatus').length, 4);
    await workers.stop();
  });

  test('different pods sync independently: a held sync of one does not hold another', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const a = pod({ name: 'a' });
    const b: ValidPod = { ...pod({ name: 'b' }), metadata: { ...pod({ name: 'b' }).metadata, uid: 'uid-2' } };
    const gate = h.runtime.block('startContainer');
    workers.upsert(a);
    await gate.entered;
    workers.upsert(b);
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running('uid-2'), ['app']);
    assert.deepEqual(h.runtime.running(UID), []);
    gate.release();
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), ['app']);
    await workers.stop();
  });
});

describe('PodWorkers: deletion during a sync', () => {
  test('terminate while a sync is held → after it, the pod is killed and removed, DELETED published', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const gate = h.runtime.block('startContainer');
    workers.upsert(pod());
    const held = await gate.entered;
    let terminated = false;
    const done = workers.terminate(UID, 0).then(() => {
      terminated = true;
    });
    await h.runtime.idle();
    assert.equal(terminated, false, 'termination waits for the sync in flight');
    assert.equal(h.runtime.callsOf('removePod').length, 0);

    gate.release();
    await done;
    await h.runtime.idle();
    // The container the held sync started is stopped, then everything is removed.
    assert.ok(h.runtime.callsOf('stopContainer').some((c) => c.args[0] === held.args[0]));
    assert.equal(h.runtime.callsOf('stopSandbox').length, 1);
    assert.deepEqual(
      h.runtime.callsOf('removePod').map((c) => c.args[0]),
      [UID],
    );
    assert.deepEqual(h.runtime.podRecords(UID), [], 'no container left in the engine');
    assert.equal(h.changes.at(-1)?.type, 'DELETED');
    assert.equal(h.changes.at(-1)?.uid, UID);
    assert.equal(h.status.getPod(UID), undefined);
    assert.equal(workers.has(UID), false);
    assert.equal(h.clock.pendingTimers(), 0, 'no timer left behind');
    await workers.stop();
  });

  test('terminate an idle pod: containers stopped with the given grace, removed', async () => {
    const h = newTestSync();
    const workers = h.workers();
    workers.upsert(pod({ containers: ['a', 'b'] }));
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), ['a', 'b']);
    await workers.terminate(UID, 5);
    const stops = h.runtime.callsOf('stopContainer');
    assert.equal(stops.length, 2);
    assert.ok(stops.every((c) => c.args[1] === 5));
    assert.deepEqual(h.runtime.podRecords(UID), []);
    assert.equal(h.changes.at(-1)?.type, 'DELETED');
  });

  test('termination cancels the sync in flight: it starts nothing more', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const gate = h.runtime.block('runSandbox');
    workers.upsert(pod());
    await gate.entered;
    const done = workers.terminate(UID, 0);
    gate.release();
    await done;
    assert.equal(h.runtime.callsOf('createContainer').length, 0, 'no container created after termination began');
    assert.equal(h.runtime.callsOf('startContainer').length, 0);
    assert.equal(h.runtime.callsOf('stopSandbox').length, 1, 'the sandbox the cancelled sync made is stopped');
    assert.deepEqual(h.runtime.podRecords(UID), [], 'and removed');
    assert.equal(workers.has(UID), false);
  });

  test('agent stop cancels the sync in flight: it creates nothing more and touches nothing it made', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const gate = h.runtime.block('runSandbox');
    workers.upsert(pod());
    await gate.entered;
    const stopped = workers.stop();
    gate.release();
    await stopped;
    await h.runtime.idle();
    assert.equal(h.runtime.callsOf('createContainer').length, 0, 'no container created after stop began');
    assert.equal(h.runtime.callsOf('stopSandbox').length, 0, 'the sandbox keeps running: a restarted agent adopts it');
    assert.equal(h.clock.pendingTimers(), 0, 'no worker timer left');
  });

  test('termination while the sandbox starts waits for the creations in flight, then removes what they made', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const hold = h.runtime.holdSandboxStart();
    const creating = h.runtime.block('createContainer');
    workers.upsert(pod());
    await hold.entered;
    await creating.entered;
    const done = workers.terminate(UID, 0);
    hold.release();
    await h.runtime.idle();
    assert.equal(h.runtime.callsOf('stopSandbox').length, 0, 'termination has not begun while a creation is in flight');
    creating.release();
    await done;
    assert.equal(h.runtime.callsOf('startContainer').length, 0, 'never started');
    assert.deepEqual(h.runtime.podRecords(UID), [], 'the container created meanwhile is removed with the pod');
  });

  test('a postStart hook that never returns does not hold deletion: the hook wait ends, termination runs', async () => {
    const h = newTestSync();
    const workers = h.workers();
    const p = pod();
    const hung: ValidPod = {
      ...p,
      spec: {
        ...p.spec,
        containers: p.spec.containers.map((c) => ({ ...c, lifecycle: { postStart: { exec: { command: ['hang'] } } } })),
      },
    };
    const gate = h.runtime.block('exec');
    workers.upsert(hung);
    await gate.entered;
    await workers.terminate(UID, 0);
    assert.ok(
      h.events.forPod(UID).some((e) => e.reason === 'Killing'),
      'the container is killed by the termination',
    );
    assert.ok(
      !h.events.forPod(UID).some((e) => e.reason === 'FailedPostStartHook'),
      'a cancelled hook is not a failed hook',
    );
    assert.deepEqual(h.runtime.podRecords(UID), []);
    assert.equal(workers.has(UID), false);
    gate.release();
    await h.runtime.idle();
  });
});

describe('PodWorkers: retries on the worker timer', () => {
  test('a failed start is retried SYNC_ERROR_RETRY_MS later', async () => {
    const h = newTestSync();
    const workers = h.workers();
    h.runtime.inject('startContainer', new Error('OCI runtime create failed'));
    workers.upsert(pod());
    await h.runtime.idle();
    assert.equal(h.status.getStatus(UID)?.containerStatuses?.[0]?.state.waiting?.reason, 'RunContainerError');
    assert.deepEqual(h.runtime.running(UID), []);

    h.clock.advance(SYNC_ERROR_RETRY_MS - 1);
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), [], 'not before the retry period');
    h.clock.advance(1);
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), ['app']);
    assert.ok(h.status.getStatus(UID)?.containerStatuses?.[0]?.state.running);
    await workers.stop();
  });

  test('a crash-looping container held by back-off is started by the timer when the back-off ends', async () => {
    const h = newTestSync();
    const workers = h.workers();
    workers.upsert(pod());
    await h.runtime.idle();
    h.runtime.exitContainer(UID, 'app', 1);
    workers.get(UID)!.wake();
    await h.runtime.idle();
    assert.equal(h.runtime.created().length, 2, 'first restart at once');
    h.runtime.exitContainer(UID, 'app', 1);
    workers.get(UID)!.wake();
    await h.runtime.idle();
    assert.equal(h.runtime.created().length, 2, 'held');
    assert.equal(h.status.getStatus(UID)?.containerStatuses?.[0]?.state.waiting?.reason, 'CrashLoopBackOff');

    h.clock.advance(9_000);
    await h.runtime.idle();
    assert.equal(h.runtime.created().length, 2);
    h.clock.advance(1_100);
    await h.runtime.idle();
    assert.equal(h.runtime.created().length, 3, 'started when the 10s back-off ended');
    assert.ok(h.clock.pendingTimers() >= 1);
    await workers.stop();
  });

  test('an idle pod is resynced every resync period', async () => {
    const h = newTestSync();
    const workers = h.workers();
    workers.upsert(pod());
    await h.runtime.idle();
    const relists = h.runtime.callsOf('getPodStatus').length;
    h.clock.advance(RESYNC_MS);
    await h.runtime.idle();
    assert.equal(h.runtime.callsOf('getPodStatus').length, relists + 1);
    await workers.stop();
  });
});

describe('PodWorkers: engine events', () => {
  test('die events drive the init sequence without any timer', async () => {
    const h = newTestSync();
    const workers = h.workers({ start: true });
    workers.upsert(pod({ init: ['i1', 'i2'], containers: ['a'] }));
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), ['i1']);
    h.runtime.exitContainer(UID, 'i1', 0);
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), ['i2']);
    h.runtime.exitContainer(UID, 'i2', 0);
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), ['a']);
    assert.deepEqual(h.runtime.created(), ['i1', 'i2', 'a']);
    assert.equal(h.status.getStatus(UID)?.phase, 'Running');
    await workers.stop();
  });
});

describe('PodWorkers: a terminal pod', () => {
  test('an oom event after the exit it went Failed on reaches its status (reason OOMKilled); nothing is restarted', async () => {
    const h = newTestSync();
    const workers = h.workers({ start: true });
    workers.upsert(pod({ restartPolicy: 'Never' }));
    await h.runtime.idle();
    const app = h.runtime.container(UID, 'app')!;
    h.runtime.exit(app.id, 137);
    await h.runtime.idle();
    const failed = h.status.getStatus(UID);
    assert.equal(failed?.phase, 'Failed');
    assert.equal(failed?.containerStatuses?.[0]?.state.terminated?.reason, 'Error');

    const calls = h.runtime.calls.length;
    h.runtime.reportOom(app.id);
    await h.runtime.idle();
    const after = h.status.getStatus(UID);
    assert.equal(after?.phase, 'Failed');
    assert.equal(after?.containerStatuses?.[0]?.state.terminated?.reason, 'OOMKilled');
    assert.equal(after?.containerStatuses?.[0]?.state.terminated?.exitCode, 137);
    assert.deepEqual(
      h.runtime.calls.slice(calls).map((c) => c.method),
      ['getPodStatus'],
      'one relist, nothing started or stopped',
    );
    await workers.stop();
  });

  test('other engine events do not sync a terminal pod again', async () => {
    const h = newTestSync();
    const workers = h.workers({ start: true });
    workers.upsert(pod({ restartPolicy: 'Never' }));
    await h.runtime.idle();
    h.runtime.exitContainer(UID, 'app', 1);
    await h.runtime.idle();
    assert.equal(h.status.getStatus(UID)?.phase, 'Failed');
    const calls = h.runtime.calls.length;
    h.runtime.removeSandbox(UID); // a destroy event
    await h.runtime.idle();
    assert.equal(h.runtime.calls.length, calls, 'no runtime call');
    assert.equal(h.status.getStatus(UID)?.phase, 'Failed');
    await workers.stop();
  });
});

describe('PodWorkers: metrics', () => {
  test('sync durations by SyncPodType (create, update, sync, kill); pod start recorded once, at Pending → Running', async () => {
    const ops: string[] = [];
    const starts: number[] = [];
    const metrics: KubeletMetrics = {
      ...NO_METRICS,
      podWorkerDuration: (op, seconds) => {
        assert.ok(seconds >= 0);
        ops.push(op);
      },
      podStartDuration: (s) => starts.push(s),
    };
    const h = newTestSync({ metrics });
    const workers = h.workers();
    workers.upsert(pod());
    await h.runtime.idle();
    assert.equal(ops[0], 'create', 'the first sync of a pod');
    assert.equal(h.status.getStatus(UID)?.phase, 'Running');
    assert.equal(starts.length, 1, 'the pod started once');
    ops.length = 0;
    workers.upsert(withEnv(pod(), 'x'));
    await h.runtime.idle();
    assert.equal(ops[0], 'update', 'a changed spec');
    workers.get(UID)!.wake();
    await h.runtime.idle();
    assert.equal(ops.at(-1), 'sync');
    await workers.terminate(UID, 0);
    assert.equal(ops.at(-1), 'kill');
    assert.equal(starts.length, 1, 'restarts and teardown record no second start');
  });
});
