import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { generatePodStatus, podIsReady, isPodTerminal } from '../../../src/status/generate.js';
import type { PodStatus, ResourceRequirements } from '../../../src/apis/core/types.js';
import { exit, mkPod, rt, run, sandbox, T0 } from './helpers.js';

const cond = (s: PodStatus, type: string) => s.conditions!.find((c) => c.type === type)!;
const brief = (s: PodStatus, type: string) => {
  const c = cond(s, type);
  return [c.status, c.reason, c.message];
};

describe('conditions', () => {
  const now = T0 + 30_000;

  test('order, lastProbeTime null, PodScheduled True', () => {
    const s = generatePodStatus(mkPod(), rt([run('app')]), { now });
    assert.deepEqual(
      s.conditions!.map((c) => c.type),
      ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'],
    );
    assert.ok(s.conditions!.every((c) => c.lastProbeTime === null && c.lastTransitionTime === '2026-01-01T00:00:30Z'));
    assert.deepEqual(brief(s, 'PodScheduled'), ['True', undefined, undefined]);
  });

  test('PodReadyToStartContainers follows the running sandbox', () => {
    assert.equal(cond(generatePodStatus(mkPod(), rt([], []), { now }), 'PodReadyToStartContainers').status, 'False');
    assert.equal(
      cond(generatePodStatus(mkPod(), rt([], [sandbox({ state: 'exited' })]), { now }), 'PodReadyToStartContainers')
        .status,
      'False',
    );
    assert.equal(cond(generatePodStatus(mkPod(), rt([]), { now }), 'PodReadyToStartContainers').status, 'True');
  });

  test('Initialized: incomplete init containers listed Go-style', () => {
    const pod = mkPod({ init: ['init1', 'init2'] });
    const waitingReasons = new Map([['init1', { reason: 'CrashLoopBackOff' }]]);
    const s = generatePodStatus(pod, rt([exit('init1', 1, { type: 'init' })]), { now, waitingReasons });
    assert.deepEqual(brief(s, 'Initialized'), [
      'False',
      'ContainersNotInitialized',
      'containers with incomplete status: [init1 init2]',
    ]);
  });

  test('Initialized: sidecar must be started', () => {
    const pod = mkPod({ sidecars: ['side'], containers: [{ name: 'app', image: 'x' }] });
    pod.spec.initContainers![0]!.startupProbe = { exec: { command: ['true'] } };
    const s = generatePodStatus(pod, rt([run('side', { type: 'init', id: 'S' })]), { now });
    assert.deepEqual(brief(s, 'Initialized'), [
      'False',
      'ContainersNotInitialized',
      'containers with incomplete status: [side]',
    ]);
    const s2 = generatePodStatus(pod, rt([run('side', { type: 'init', id: 'S' })]), {
      now,
      startup: new Map([['S', true]]),
    });
    assert.equal(cond(s2, 'Initialized').status, 'True');
  });

  test('Initialized True without init containers, and once an app container has run', () => {
    assert.equal(cond(generatePodStatus(mkPod(), rt([]), { now }), 'Initialized').status, 'True');
    const pod = mkPod({ sidecars: ['side'] });
    const s = generatePodStatus(pod, rt([run('app'), exit('side', 1, { type: 'init' })]), { now });
    assert.equal(cond(s, 'Initialized').status, 'True');
  });

  test('ContainersReady / Ready: unready list in spec order, sidecars first', () => {
    const pod = mkPod({ containers: ['b', 'a'], sidecars: ['side'] });
    const s = generatePodStatus(pod, rt([exit('side', 1, { type: 'init' }), exit('b', 1)]), { now });
    const want = ['False', 'ContainersNotReady', 'containers with unready status: [side b a]'];
    assert.deepEqual(brief(s, 'ContainersReady'), want);
    assert.deepEqual(brief(s, 'Ready'), want);
    assert.equal(podIsReady(s), false);
  });

  test('all ready', () => {
    const s = generatePodStatus(mkPod({ containers: ['a', 'b'] }), rt([run('a'), run('b')]), { now });
    assert.deepEqual(brief(s, 'ContainersReady'), ['True', undefined, undefined]);
    assert.deepEqual(brief(s, 'Ready'), ['True', undefined, undefined]);
    assert.equal(podIsReady(s), true);
  });

  test('Succeeded → PodCompleted; Failed → PodFailed', () => {
    const ok = generatePodStatus(
      mkPod({ restartPolicy: 'Never', init: ['i'] }),
      rt([exit('app', 0), exit('i', 0, { type: 'init' })]),
      { now },
    );
    assert.equal(ok.phase, 'Succeeded');
    assert.ok(isPodTerminal(ok));
    assert.deepEqual(brief(ok, 'Initialized'), ['True', 'PodCompleted', undefined]);
    assert.deepEqual(brief(ok, 'ContainersReady'), ['False', 'PodCompleted', undefined]);
    assert.deepEqual(brief(ok, 'Ready'), ['False', 'PodCompleted', undefined]);
    const bad = generatePodStatus(
      mkPod({ restartPolicy: 'Never', containers: ['a', 'b'] }),
      rt([exit('a', 1), run('b')]),
      { now, previous: { phase: 'Failed' } },
    );
    assert.deepEqual(brief(bad, 'ContainersReady'), ['False', 'PodFailed', undefined]);
    assert.deepEqual(brief(bad, 'Ready'), ['False', 'PodFailed', undefined]);
  });

  test('readiness gates', () => {
    const pod = mkPod();
    pod.spec.readinessGates = [{ conditionType: 'example.com/gate' }];
    const s = generatePodStatus(pod, rt([run('app')]), { now });
    assert.deepEqual(brief(s, 'Ready'), [
      'False',
      'ReadinessGatesNotReady',
      'corresponding condition of pod readiness gate "example.com/gate" does not exist.',
    ]);
    const gate = {
      type: 'example.com/gate',
      status: 'False' as const,
      lastProbeTime: null,
      lastTransitionTime: '2026-01-01T00:00:00Z',
    };
    const s2 = generatePodStatus(pod, rt([run('app')]), {
      now,
      previous: { ...s, conditions: [gate, ...s.conditions!] },
    });
    assert.deepEqual(brief(s2, 'Ready'), [
      'False',
      'ReadinessGatesNotReady',
      'the status of pod readiness gate "example.com/gate" is not "True", but False',
    ]);
    assert.equal(s2.conditions![0]!.type, 'example.com/gate', 'foreign conditions are preserved');
    const s3 = generatePodStatus(pod, rt([run('app')]), {
      now,
      previous: { ...s, conditions: [{ ...gate, status: 'True' }, ...s.conditions!] },
    });
    assert.equal(cond(s3, 'Ready').status, 'True');
  });

  test('gate conditions stored with the pod (pods/status) win over the last status, and survive its loss', () => {
    const pod = mkPod();
    pod.spec.readinessGates = [{ conditionType: 'example.com/gate' }];
    const gate = (status: 'True' | 'False') => ({
      type: 'example.com/gate',
      status,
      lastProbeTime: null,
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    pod.status = { phase: 'Pending', conditions: [gate('True')] };
    // No previous status at all (a restarted agent): the stored condition still counts.
    const fresh = generatePodStatus(pod, rt([run('app')]), { now });
    assert.equal(cond(fresh, 'Ready').status, 'True');
    assert.deepEqual(cond(fresh, 'example.com/gate'), gate('True'));
    // A stale previous value does not override what the client stored.
    const s = generatePodStatus(pod, rt([run('app')]), {
      now,
      previous: { ...fresh, conditions: [gate('False'), ...fresh.conditions!.slice(1)] },
    });
    assert.equal(cond(s, 'Ready').status, 'True');
    // Cleared by the client: the gate's condition is gone, and Ready says so.
    pod.status = { phase: 'Pending', conditions: [] };
    const cleared = generatePodStatus(pod, rt([run('app')]), { now, previous: s });
    assert.equal(
      cleared.conditions!.find((c) => c.type === 'example.com/gate'),
      undefined,
    );
    assert.deepEqual(brief(cleared, 'Ready'), [
      'False',
      'ReadinessGatesNotReady',
      'corresponding condition of pod readiness gate "example.com/gate" does not exist.',
    ]);
  });

  test('lastTransitionTime kept while the status is unchanged, moved when it changes', () => {
    const pod = mkPod();
    const first = generatePodStatus(pod, rt([]), { now: T0 });
    const second = generatePodStatus(pod, rt([run('app')]), { now: T0 + 5000, previous: first });
    assert.equal(cond(second, 'PodScheduled').lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(cond(second, 'PodReadyToStartContainers').lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(cond(second, 'Ready').lastTransitionTime, '2026-01-01T00:00:05Z');
    assert.equal(cond(second, 'ContainersReady').lastTransitionTime, '2026-01-01T00:00:05Z');
  });
});

describe('pod-level fields', () => {
  test('podIP, hostIP, startTime, qosClass', () => {
    const pod = mkPod();
    const s = generatePodStatus(
      pod,
      rt(
        [run('app')],
        [
          sandbox({ id: 'new', ip: '10.244.0.9' }),
          sandbox({ id: 'old', state: 'exited', ip: undefined, createdAt: '2025-12-31T23:59:59.9Z' }),
        ],
      ),
      { now: T0 + 1000, hostIP: '192.168.1.5' },
    );
    assert.equal(s.podIP, '10.244.0.9');
    assert.deepEqual(s.podIPs, [{ ip: '10.244.0.9' }]);
    assert.equal(s.hostIP, '192.168.1.5');
    assert.deepEqual(s.hostIPs, [{ ip: '192.168.1.5' }]);
    assert.equal(s.startTime, '2025-12-31T23:59:59Z');
    assert.equal(s.qosClass, 'BestEffort');
    const kept = generatePodStatus(pod, rt([], []), { now: T0 + 9000, previous: s });
    assert.equal(kept.startTime, '2025-12-31T23:59:59Z');
    assert.equal(kept.podIP, '10.244.0.9', 'the last IP stays after the sandbox is gone');
  });

  test('no sandbox yet: no startTime, no podIP', () => {
    const s = generatePodStatus(mkPod(), rt([], []), { now: T0 });
    assert.equal(s.startTime, undefined);
    assert.equal(s.podIP, undefined);
  });

  test('qosClass', () => {
    const cases: { name: string; res: ResourceRequirements; want: string }[] = [
      { name: 'guaranteed (limits only)', res: { limits: { cpu: '100m', memory: '64Mi' } }, want: 'Guaranteed' },
      {
        name: 'guaranteed (equal requests)',
        res: { limits: { cpu: '0.1', memory: '64Mi' }, requests: { cpu: '100m', memory: '67108864' } },
        want: 'Guaranteed',
      },
      { name: 'burstable (requests only)', res: { requests: { cpu: '100m' } }, want: 'Burstable' },
      { name: 'burstable (memory limit only)', res: { limits: { memory: '64Mi' } }, want: 'Burstable' },
      { name: 'best effort', res: {}, want: 'BestEffort' },
    ];
    for (const tc of cases) {
      const pod = mkPod({ containers: [{ name: 'app', image: 'x', resources: tc.res }] });
      assert.equal(generatePodStatus(pod, rt([]), { now: T0 }).qosClass, tc.want, tc.name);
    }
  });

  test('reason/message kept while the phase stays', () => {
    const pod = mkPod({ restartPolicy: 'Never' });
    const prev: PodStatus = {
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      message: 'Pod was active on the node longer than the specified deadline',
    };
    const s = generatePodStatus(pod, rt([exit('app', 137)]), { now: T0, previous: prev });
    assert.equal(s.phase, 'Failed');
    assert.equal(s.reason, 'DeadlineExceeded');
  });
});
