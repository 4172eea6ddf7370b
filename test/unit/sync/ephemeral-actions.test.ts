// The ephemeral step of computePodActions (kuberuntime_manager.go): started once, in the
// running sandbox, joined to the target's PID namespace; never restarted; not during a
// new sandbox or a terminating pod. Their statuses stay out of READY, phase and conditions.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { computePodActions } from '../../../src/sync/pod-actions.js';
import { generatePodStatus } from '../../../src/status/generate.js';
import { Backoff } from '../../../src/util/backoff.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { exited, instance, pod, runtimeStatus, sandbox } from '../../fixtures/pods.js';
import type { RestartPolicy, ValidPod } from '../../../src/apis/core/types.js';

function withDebugger(opts: { init?: string[]; target?: string; restartPolicy?: RestartPolicy } = {}): ValidPod {
  const p = pod({
    containers: ['app'],
    ...(opts.init ? { init: opts.init } : {}),
    ...(opts.restartPolicy ? { restartPolicy: opts.restartPolicy } : {}),
  });
  p.spec.ephemeralContainers = [
    {
      name: 'dbg',
      image: 'minikubelet.local/busybox:1.35',
      imagePullPolicy: 'IfNotPresent',
      stdin: true,
      tty: true,
      ...(opts.target ? { targetContainerName: opts.target } : {}),
    },
  ];
  return p;
}

function plan(p: ValidPod, rt: ReturnType<typeof runtimeStatus>) {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:06Z'));
  return computePodActions(p, rt, { now: clock.now(), crashBackoff: new Backoff(clock, 10_000, 300_000, 600_000) });
}

describe('ephemeral containers: planning', () => {
  const cases: {
    name: string;
    pod: () => ValidPod;
    rt: (p: ValidPod) => ReturnType<typeof runtimeStatus>;
    start: string[];
    target?: string;
  }[] = [
    {
      name: 'added to a running pod: started in the sandbox',
      pod: () => withDebugger(),
      rt: (p) => runtimeStatus(p, [sandbox()], [instance(p, 'app')]),
      start: ['dbg'],
    },
    {
      name: 'with a target: joins the running target instance',
      pod: () => withDebugger({ target: 'app' }),
      rt: (p) => runtimeStatus(p, [sandbox()], [instance(p, 'app', { id: 'app-1' })]),
      start: ['dbg'],
      target: 'app-1',
    },
    {
      name: 'with a target that is not running: waits for it',
      pod: () => withDebugger({ target: 'app' }),
      rt: (p) => runtimeStatus(p, [sandbox()], [exited(p, 'app', 1)]),
      start: [],
    },
    {
      name: 'during init: started beside the init container',
      pod: () => withDebugger({ init: ['i1'] }),
      rt: (p) => runtimeStatus(p, [sandbox()], [instance(p, 'i1')]),
      start: ['dbg'],
    },
    {
      name: 'running already: nothing to do',
      pod: () => withDebugger(),
      rt: (p) => runtimeStatus(p, [sandbox()], [instance(p, 'dbg'), instance(p, 'app')]),
      start: [],
    },
    {
      name: 'exited (0 or not): never restarted, whatever the pod policy',
      pod: () => withDebugger({ restartPolicy: 'Always' }),
      rt: (p) => runtimeStatus(p, [sandbox()], [exited(p, 'dbg', 1), instance(p, 'app')]),
      start: [],
    },
    {
      name: 'no sandbox yet: only the sandbox and app containers',
      pod: () => withDebugger(),
      rt: (p) => runtimeStatus(p, [], []),
      start: [],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const p = c.pod();
      const a = plan(p, c.rt(p));
      assert.deepEqual(
        a.ephemeralToStart.map((t) => t.container.name),
        c.start,
      );
      for (const t of a.ephemeralToStart) {
        assert.equal(t.type, 'ephemeral');
        assert.equal(t.restartCount, 0);
        assert.equal(t.pidTargetId, c.target);
      }
      // An ephemeral container never counts as an app container to (re)start.
      assert.ok(!a.containersToStart.some((t) => t.container.name === 'dbg'));
    });
  }

  test('a terminating pod starts none', () => {
    const p = withDebugger();
    p.metadata.deletionTimestamp = '2026-01-01T00:00:05Z';
    assert.deepEqual(plan(p, runtimeStatus(p, [sandbox()], [instance(p, 'app')])).ephemeralToStart, []);
  });

  test('a Never pod whose app containers are done is finished even with a running debugger', () => {
    const p = withDebugger({ restartPolicy: 'Never' });
    const a = plan(p, runtimeStatus(p, [sandbox()], [instance(p, 'dbg'), exited(p, 'app', 0)]));
    assert.equal(a.podDone, true);
    assert.equal(a.killPod, true);
  });
});

describe('ephemeral containers: status', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  test('running then terminated; never ready; the pod stays Ready on its own containers', () => {
    const p = withDebugger({ target: 'app' });
    const running = generatePodStatus(p, runtimeStatus(p, [sandbox()], [instance(p, 'dbg'), instance(p, 'app')]), {
      now,
    });
    const dbg = running.ephemeralContainerStatuses?.[0];
    assert.equal(dbg?.name, 'dbg');
    assert.ok(dbg?.state.running);
    assert.equal(dbg?.ready, false);
    assert.equal(dbg?.restartCount, 0);
    assert.equal(dbg?.started, undefined);
    assert.deepEqual(
      running.containerStatuses?.map((s) => s.name),
      ['app'],
    );
    assert.equal(running.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(running.phase, 'Running');

    const done = generatePodStatus(p, runtimeStatus(p, [sandbox()], [exited(p, 'dbg', 0), instance(p, 'app')]), {
      now,
    });
    assert.equal(done.ephemeralContainerStatuses?.[0]?.state.terminated?.reason, 'Completed');
    assert.equal(done.phase, 'Running');
    assert.equal(done.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
  });

  test('not started yet: ContainerCreating; none listed for a pod without ephemeral containers', () => {
    const p = withDebugger();
    const s = generatePodStatus(p, runtimeStatus(p, [sandbox()], [instance(p, 'app')]), { now });
    assert.deepEqual(s.ephemeralContainerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    const plain = pod({ containers: ['app'] });
    assert.equal(
      generatePodStatus(plain, runtimeStatus(plain, [sandbox()], []), { now }).ephemeralContainerStatuses,
      undefined,
    );
  });
});
