import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { computePodActions } from '../../../src/sync/pod-actions.js';
import { Backoff } from '../../../src/util/backoff.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { exited, instance, pod, runtimeStatus, sandbox } from '../../fixtures/pods.js';

function plan(
  p: ReturnType<typeof pod>,
  rt: ReturnType<typeof runtimeStatus>,
  clock = new FakeClock(Date.parse('2026-01-01T00:00:06Z')),
) {
  return computePodActions(p, rt, { now: clock.now(), crashBackoff: new Backoff(clock, 10_000, 300_000, 600_000) });
}
const names = (xs: { container: { name: string } }[]) => xs.map((x) => x.container.name);

describe('computePodActions', () => {
  test('a new pod: create sandbox attempt 0 and start every app container together', () => {
    const p = pod({ containers: ['a', 'b'] });
    const a = plan(p, runtimeStatus(p, [], []));
    assert.equal(a.createSandbox, true);
    assert.equal(a.sandboxAttempt, 0);
    assert.equal(a.sandboxChanged, false);
    assert.deepEqual(names(a.containersToStart), ['a', 'b']);
    assert.equal(a.initToStart, undefined);
  });

  test('a new pod with init containers: only the first init container starts', () => {
    const p = pod({ init: ['i1', 'i2'] });
    const a = plan(p, runtimeStatus(p, [], []));
    assert.equal(a.initToStart?.container.name, 'i1');
    assert.deepEqual(a.containersToStart, []);
  });

  test('init containers run strictly in order: i2 only after i1 exited 0', () => {
    const p = pod({ init: ['i1', 'i2'] });
    const running = plan(p, runtimeStatus(p, [sandbox()], [instance(p, 'i1')]));
    assert.equal(running.initToStart, undefined);
    assert.deepEqual(running.containersToStart, []);
    const done = plan(p, runtimeStatus(p, [sandbox()], [exited(p, 'i1', 0)]));
    assert.equal(done.initToStart?.container.name, 'i2');
  });

  test('app containers start only after every init container succeeded', () => {
    const p = pod({ init: ['i1', 'i2'], containers: ['a', 'b'] });
    const a = plan(p, runtimeStatus(p, [sandbox()], [exited(p, 'i2', 0), exited(p, 'i1', 0)]));
    assert.equal(a.initToStart, undefined);
    assert.deepEqual(names(a.containersToStart), ['a', 'b']);
  });

  test('a failed init container under Never fails the pod; app containers never start', () => {
    const p = pod({ init: ['i1'], restartPolicy: 'Never' });
    const a = plan(p, runtimeStatus(p, [sandbox()], [exited(p, 'i1', 1)]));
    assert.equal(a.podDone, true);
    assert.equal(a.killPod, true);
    assert.deepEqual(a.containersToStart, []);
  });

  test('a failed init container under Always is re-run (first restart immediate), restartCount + 1', () => {
    const p = pod({ init: ['i1'] });
    const a = plan(p, runtimeStatus(p, [sandbox()], [exited(p, 'i1', 1, { restartCount: 0 })]));
    assert.equal(a.initToStart?.container.name, 'i1');
    assert.equal(a.initToStart?.restartCount, 1);
  });

  test('a lost sandbox: SandboxChanged, kill, new attempt, init containers from the start', () => {
    const p = pod({ init: ['i1'] });
    const a = plan(
      p,
      runtimeStatus(
        p,
        [sandbox({ state: 'exited', attempt: 2 })],
        [exited(p, 'i1', 0), instance(p, 'app', { state: 'exited', exitCode: 137 })],
      ),
    );
    assert.equal(a.sandboxChanged, true);
    assert.equal(a.killPod, true);
    assert.equal(a.createSandbox, true);
    assert.equal(a.sandboxAttempt, 3);
    assert.equal(a.initToStart?.container.name, 'i1');
  });

  test('a sandbox removed from the engine: containers remain, so it changed; attempt moves on', () => {
    const p = pod();
    const a = plan(p, runtimeStatus(p, [], [instance(p, 'app', { sandboxId: 'gone' })]));
    assert.equal(a.sandboxChanged, true);
    assert.equal(a.killPod, true);
    assert.equal(a.sandboxAttempt, 1);
    assert.deepEqual(names(a.containersToStart), ['app']);
    assert.equal(a.containersToStart[0]!.restartCount, 1);
  });

  test('a Never pod whose containers ran is not brought back when its sandbox is gone', () => {
    const p = pod({ restartPolicy: 'Never' });
    const a = plan(p, runtimeStatus(p, [sandbox({ state: 'exited' })], [exited(p, 'app', 0)]));
    assert.equal(a.createSandbox, false);
    assert.equal(a.podDone, true);
  });

  test('restart decision per policy and exit code', () => {
    const cases: ['Always' | 'OnFailure' | 'Never', number, boolean][] = [
      ['Always', 0, true],
      ['Always', 1, true],
      ['OnFailure', 0, false],
      ['OnFailure', 2, true],
      ['Never', 0, false],
      ['Never', 1, false],
    ];
    for (const [policy, code, want] of cases) {
      const p = pod({ restartPolicy: policy });
      const a = plan(p, runtimeStatus(p, [sandbox()], [exited(p, 'app', code)]));
      assert.equal(a.containersToStart.length === 1, want, `plan ${policy} exit ${code}`);
      assert.equal(a.podDone, !want, `podDone ${policy} exit ${code}`);
    }
  });

  test('a deleted pod restarts nothing', () => {
    const p = pod();
    p.metadata.deletionTimestamp = '2026-01-01T00:00:30Z';
    const a = plan(p, runtimeStatus(p, [sandbox()], [exited(p, 'app', 1)]));
    assert.deepEqual(a.containersToStart, []);
    assert.equal(a.podDone, true);
  });

  test('crash loop: second crash within the back-off is held with the kubelet message', () => {
    const p = pod();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:06Z'));
    const backoff = new Backoff(clock, 10_000, 300_000, 600_000);
    const ctx = { now: clock.now(), crashBackoff: backoff };
    const first = computePodActions(
      p,
      runtimeStatus(p, [sandbox()], [exited(p, 'app', 1, { finishedAt: '2026-01-01T00:00:05Z' })]),
      ctx,
    );
    assert.equal(first.containersToStart.length, 1, 'first restart is immediate');
    const entry = first.containersToStart[0]!.backOff!;
    assert.equal(backoff.get(entry.key), 0, 'planning records nothing: syncPod does when it starts');
    backoff.next(entry.key, entry.sinceMs); // what syncPod does as it starts the container (doBackOff)
    const second = computePodActions(
      p,
      runtimeStatus(p, [sandbox()], [exited(p, 'app', 1, { restartCount: 1, finishedAt: '2026-01-01T00:00:06Z' })]),
      ctx,
    );
    assert.equal(second.containersToStart.length, 0);
    assert.equal(second.backOff.length, 1);
    assert.equal(second.backOff[0]!.message, 'back-off 10s restarting failed container=app pod=web_default(uid-1)');
    assert.equal(second.backOff[0]!.remainingMs, 10_000);
    clock.advance(10_000);
    const third = computePodActions(
      p,
      runtimeStatus(p, [sandbox()], [exited(p, 'app', 1, { restartCount: 1, finishedAt: '2026-01-01T00:00:06Z' })]),
      { now: clock.now(), crashBackoff: backoff },
    );
    assert.equal(third.containersToStart.length, 1);
    assert.equal(third.containersToStart[0]!.restartCount, 2);
  });

  test('a container in unknown state is killed before it is restarted', () => {
    const p = pod();
    const unknown = { ...exited(p, 'app', 1, { finishedAt: '2026-01-01T00:00:05Z' }), state: 'unknown' as const };
    const a = plan(p, runtimeStatus(p, [sandbox()], [unknown]));
    assert.deepEqual(
      a.containersToKill.map((k) => [k.id, k.message]),
      [[unknown.id, 'Container is in "unknown" state, try killing it before restart']],
    );
    assert.equal(a.containersToStart.length, 1);
  });

  test('a running container whose spec changed is killed and restarted', () => {
    const p = pod();
    const a = plan(p, runtimeStatus(p, [sandbox()], [instance(p, 'app', { hash: 'old' })]));
    assert.equal(a.containersToKill.length, 1);
    assert.match(a.containersToKill[0]!.message, /Container app definition changed, will be restarted/);
    assert.equal(a.containersToStart.length, 1);
  });

  test('all running: nothing to do', () => {
    const p = pod({ containers: ['a', 'b'] });
    const a = plan(p, runtimeStatus(p, [sandbox()], [instance(p, 'a'), instance(p, 'b')]));
    assert.equal(a.killPod, false);
    assert.equal(a.createSandbox, false);
    assert.deepEqual(a.containersToStart, []);
    assert.deepEqual(a.containersToKill, []);
  });
});
