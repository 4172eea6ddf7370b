import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { getPhase } from '../../../src/status/phase.js';
import { generatePodStatus } from '../../../src/status/generate.js';
import type { ContainerStatus, PodPhase, RestartPolicy } from '../../../src/apis/core/types.js';
import { exit, mkPod, rt, run, T0 } from './helpers.js';

type Kind = 'running' | 'runningUnstarted' | 'term0' | 'term1' | 'waiting' | 'waitingLast0' | 'waitingLast1';

function st(name: string, kind: Kind): ContainerStatus {
  const base = { name, ready: false, restartCount: 0, image: 'x', imageID: '', lastState: {}, started: false };
  switch (kind) {
    case 'running':
      return { ...base, state: { running: {} }, started: true, ready: true };
    case 'runningUnstarted':
      return { ...base, state: { running: {} } };
    case 'term0':
      return { ...base, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    case 'term1':
      return { ...base, state: { terminated: { exitCode: 1, reason: 'Error' } } };
    case 'waiting':
      return { ...base, state: { waiting: { reason: 'ContainerCreating' } } };
    case 'waitingLast0':
      return {
        ...base,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 0 } },
      };
    case 'waitingLast1':
      return {
        ...base,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1 } },
      };
  }
}

interface Case {
  name: string;
  policy: RestartPolicy;
  init?: [string, Kind | null][];
  sidecars?: [string, Kind | null][];
  containers: [string, Kind | null][];
  terminal?: boolean;
  want: PodPhase;
}

const cases: Case[] = [
  // rule a
  {
    name: 'a: init failed, Never',
    policy: 'Never',
    init: [['i', 'term1']],
    containers: [['app', 'waiting']],
    want: 'Failed',
  },
  {
    name: 'a: init failed and waiting to retry, Never',
    policy: 'Never',
    init: [['i', 'waitingLast1']],
    containers: [['app', 'waiting']],
    want: 'Failed',
  },
  {
    name: 'a not applied: init failed, OnFailure → Pending',
    policy: 'OnFailure',
    init: [['i', 'waitingLast1']],
    containers: [['app', 'waiting']],
    want: 'Pending',
  },
  {
    name: 'a not applied: init failed, Always → Pending',
    policy: 'Always',
    init: [['i', 'term1']],
    containers: [['app', 'waiting']],
    want: 'Pending',
  },
  // rule b
  {
    name: 'b: init without status',
    policy: 'Always',
    init: [['i', null]],
    containers: [['app', null]],
    want: 'Pending',
  },
  {
    name: 'b: init running',
    policy: 'Always',
    init: [['i', 'running']],
    containers: [['app', 'waiting']],
    want: 'Pending',
  },
  {
    name: 'b: init waiting, no lastState',
    policy: 'Always',
    init: [['i', 'waiting']],
    containers: [['app', 'waiting']],
    want: 'Pending',
  },
  {
    name: 'b: sidecar running not started, app not started',
    policy: 'Always',
    sidecars: [['s', 'runningUnstarted']],
    containers: [['app', 'waiting']],
    want: 'Pending',
  },
  {
    name: 'b not applied: sidecar restarting after app started',
    policy: 'Always',
    sidecars: [['s', 'runningUnstarted']],
    containers: [['app', 'running']],
    want: 'Running',
  },
  // rule c
  {
    name: 'c: init done, app waiting (PodInitializing)',
    policy: 'Always',
    init: [['i', 'term0']],
    containers: [['app', 'waiting']],
    want: 'Pending',
  },
  {
    name: 'c: one waiting, one running',
    policy: 'Always',
    containers: [
      ['a', 'running'],
      ['b', 'waiting'],
    ],
    want: 'Pending',
  },
  // rule d
  {
    name: 'd: all running',
    policy: 'Always',
    containers: [
      ['a', 'running'],
      ['b', 'running'],
    ],
    want: 'Running',
  },
  {
    name: 'd: one running, one exited',
    policy: 'Never',
    containers: [
      ['a', 'running'],
      ['b', 'term1'],
    ],
    want: 'Running',
  },
  {
    name: 'd: sidecar + app running',
    policy: 'Always',
    sidecars: [['s', 'running']],
    containers: [['app', 'running']],
    want: 'Running',
  },
  {
    name: 'd not applied: unknown container',
    policy: 'Always',
    containers: [
      ['a', 'running'],
      ['b', null],
    ],
    want: 'Pending',
  },
  // getPhase rule (e1) in src/status/phase.ts
  {
    name: 'e1: terminating, all exit 0',
    policy: 'Always',
    containers: [['a', 'term0']],
    terminal: true,
    want: 'Succeeded',
  },
  {
    name: 'e1: terminating, one failed',
    policy: 'Always',
    containers: [
      ['a', 'term0'],
      ['b', 'term1'],
    ],
    terminal: true,
    want: 'Failed',
  },
  // getPhase rule (e2) in src/status/phase.ts
  { name: 'e2: Always, exit 0', policy: 'Always', containers: [['a', 'term0']], want: 'Running' },
  { name: 'e2: Always, exit 1', policy: 'Always', containers: [['a', 'term1']], want: 'Running' },
  { name: 'e2: Always, CrashLoopBackOff', policy: 'Always', containers: [['a', 'waitingLast1']], want: 'Running' },
  // getPhase rule (e3) in src/status/phase.ts
  { name: 'e3: OnFailure, exit 0', policy: 'OnFailure', containers: [['a', 'term0']], want: 'Succeeded' },
  {
    name: 'e3: Never, exit 0',
    policy: 'Never',
    containers: [
      ['a', 'term0'],
      ['b', 'term0'],
    ],
    want: 'Succeeded',
  },
  {
    name: 'e3: sidecar terminated is ignored',
    policy: 'Never',
    sidecars: [['s', 'term1']],
    containers: [['a', 'term0']],
    want: 'Succeeded',
  },
  // getPhase rule (e4) in src/status/phase.ts
  {
    name: 'e4: Never, exit 1',
    policy: 'Never',
    containers: [
      ['a', 'term0'],
      ['b', 'term1'],
    ],
    want: 'Failed',
  },
  // getPhase rule (e5) in src/status/phase.ts
  { name: 'e5: OnFailure, exit 1', policy: 'OnFailure', containers: [['a', 'term1']], want: 'Running' },
  { name: 'e5: OnFailure, back-off', policy: 'OnFailure', containers: [['a', 'waitingLast1']], want: 'Running' },
  // getPhase rule (f) in src/status/phase.ts
  { name: 'f: no statuses', policy: 'Always', containers: [['a', null]], want: 'Pending' },
];

describe('getPhase', () => {
  for (const tc of cases) {
    test(tc.name, () => {
      const pod = mkPod({
        restartPolicy: tc.policy,
        init: (tc.init ?? []).map(([n]) => n),
        sidecars: (tc.sidecars ?? []).map(([n]) => n),
        containers: tc.containers.map(([n]) => n),
      });
      const mk = (l: [string, Kind | null][]) => l.filter(([, k]) => k !== null).map(([n, k]) => st(n, k!));
      const inits = [...mk(tc.init ?? []), ...mk(tc.sidecars ?? [])];
      assert.equal(getPhase(pod, inits, mk(tc.containers), tc.terminal ?? false), tc.want);
    });
  }

  test('e1 skipped for static pods', () => {
    const pod = mkPod({ restartPolicy: 'Always' });
    pod.metadata.annotations = { 'kubernetes.io/config.source': 'file' };
    assert.equal(getPhase(pod, [], [st('app', 'term1')], true), 'Running');
  });
});

describe('phase through generatePodStatus', () => {
  const now = T0 + 10_000;
  test('terminal phase is sticky', () => {
    const pod = mkPod({ restartPolicy: 'Never' });
    const done = generatePodStatus(pod, rt([exit('app', 0)]), { now });
    assert.equal(done.phase, 'Succeeded');
    // Whatever the runtime says later (e.g. containers removed), it stays Succeeded.
    const later = generatePodStatus(pod, rt([], []), { now, previous: done });
    assert.equal(later.phase, 'Succeeded');
    const failed = generatePodStatus(pod, rt([run('app')]), { now, previous: { ...done, phase: 'Failed' } });
    assert.equal(failed.phase, 'Failed');
  });

  test('OnFailure exit 1 then CrashLoopBackOff is Running; killed pod then Failed', () => {
    const pod = mkPod({ restartPolicy: 'OnFailure' });
    const waitingReasons = new Map([['app', { reason: 'CrashLoopBackOff' }]]);
    const s = generatePodStatus(pod, rt([exit('app', 1)]), { now, waitingReasons });
    assert.equal(s.phase, 'Running');
    const killed = generatePodStatus(
      { ...pod, metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:09Z' } },
      rt([exit('app', 1)]),
      { now, previous: s, podIsTerminal: true },
    );
    assert.equal(killed.phase, 'Failed');
  });

  test('sidecar exit does not decide the phase', () => {
    const pod = mkPod({ restartPolicy: 'Never', sidecars: ['side'] });
    const s = generatePodStatus(pod, rt([exit('app', 0), exit('side', 137, { type: 'init' })]), {
      now,
      podIsTerminal: true,
    });
    assert.equal(s.phase, 'Succeeded');
  });
});
