// computePodActions with probe results: liveness/startup failures kill and restart,
// sidecars gate the init sequence on their startup probe.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { computePodActions, type PlanContext } from '../../../src/sync/pod-actions.js';
import { Backoff } from '../../../src/util/backoff.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { exited, instance, pod, runtimeStatus, sandbox } from '../../fixtures/pods.js';

function plan(
  p: ReturnType<typeof pod>,
  rt: ReturnType<typeof runtimeStatus>,
  extra: Partial<PlanContext>,
  backoff?: Backoff,
) {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:06Z'));
  return computePodActions(p, rt, {
    now: clock.now(),
    crashBackoff: backoff ?? new Backoff(clock, 10_000, 300_000, 600_000),
    ...extra,
  });
}

describe('computePodActions with probe failures', () => {
  test("liveness Failure: kill with the probe's grace and restart at once (first time)", () => {
    const p = pod();
    p.spec.containers[0]!.livenessProbe = { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 };
    const app = instance(p, 'app', { restartCount: 0 });
    const a = plan(p, runtimeStatus(p, [sandbox()], [app]), { probeFailures: new Map([[app.id, 'liveness']]) });
    assert.deepEqual(a.containersToKill, [
      { id: app.id, name: 'app', message: 'Container app failed liveness probe, will be restarted', graceSeconds: 5 },
    ]);
    assert.equal(a.containersToStart.length, 1);
    assert.equal(a.containersToStart[0]!.restartCount, 1);
    assert.equal(a.podDone, false);
  });

  test('startup Failure: "failed startup probe"; no probe grace → the pod\'s', () => {
    const p = pod();
    p.spec.containers[0]!.startupProbe = { exec: { command: ['true'] } };
    const app = instance(p, 'app');
    const a = plan(p, runtimeStatus(p, [sandbox()], [app]), { probeFailures: new Map([[app.id, 'startup']]) });
    assert.equal(a.containersToKill[0]!.message, 'Container app failed startup probe, will be restarted');
    assert.equal(a.containersToKill[0]!.graceSeconds, undefined);
  });

  test('under Never with another container running: killed, not restarted, no ", will be restarted"', () => {
    const p = pod({ containers: ['app', 'other'], restartPolicy: 'Never' });
    const app = instance(p, 'app');
    const a = plan(p, runtimeStatus(p, [sandbox()], [app, instance(p, 'other')]), {
      probeFailures: new Map([[app.id, 'liveness']]),
    });
    assert.equal(a.containersToKill[0]!.message, 'Container app failed liveness probe');
    assert.deepEqual(a.containersToStart, []);
    assert.equal(a.podDone, false);
  });

  test('a repeated liveness kill restarts under crash-loop back-off (from the previous exit)', () => {
    const p = pod();
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:06Z'));
    const backoff = new Backoff(clock, 10_000, 300_000, 600_000);
    const prev = exited(p, 'app', 137, { restartCount: 0, finishedAt: '2026-01-01T00:00:04Z' });
    backoff.next(
      `${p.metadata.uid}/${p.metadata.name}_${p.metadata.namespace}/app/${prev.hash}`,
      Date.parse('2026-01-01T00:00:02Z'),
    );
    const app = instance(p, 'app', { restartCount: 1 });
    const a = plan(
      p,
      runtimeStatus(p, [sandbox()], [app, prev]),
      { probeFailures: new Map([[app.id, 'liveness']]) },
      backoff,
    );
    assert.equal(a.containersToKill.length, 1);
    assert.deepEqual(a.containersToStart, [], 'held back');
    assert.equal(a.backOff[0]?.name, 'app');
  });

  test('a failure for an old instance ID does nothing to the new one', () => {
    const p = pod();
    const app = instance(p, 'app');
    const a = plan(p, runtimeStatus(p, [sandbox()], [app]), { probeFailures: new Map([['old-id', 'liveness']]) });
    assert.deepEqual(a.containersToKill, []);
  });

  test('a sidecar failing liveness is killed ("Init container … failed liveness probe")', () => {
    const p = pod({ sidecars: ['side'] });
    const side = instance(p, 'side');
    const a = plan(p, runtimeStatus(p, [sandbox()], [side, instance(p, 'app')]), {
      probeFailures: new Map([[side.id, 'liveness']]),
    });
    assert.deepEqual(
      a.containersToKill.map((k) => k.message),
      ['Init container side failed liveness probe'],
    );
  });

  test('app containers wait until a sidecar with a startup probe has started', () => {
    const p = pod({ sidecars: ['side'] });
    p.spec.initContainers![0]!.startupProbe = { exec: { command: ['true'] } };
    const side = instance(p, 'side');
    const rt = runtimeStatus(p, [sandbox()], [side]);
    assert.deepEqual(plan(p, rt, { startup: new Map() }).containersToStart, []);
    assert.deepEqual(
      plan(p, rt, { startup: new Map([[side.id, true]]) }).containersToStart.map((t) => t.container.name),
      ['app'],
    );
  });
});
