import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { generatePodStatus } from '../../../src/status/generate.js';
import { imageID, terminatedState } from '../../../src/status/container-statuses.js';
import { exit, mkPod, rt, run, T0 } from './helpers.js';

const now = T0 + 60_000;

describe('container statuses', () => {
  test('no instance, no init containers: ContainerCreating', () => {
    const s = generatePodStatus(mkPod(), rt([]), { now });
    assert.deepEqual(s.containerStatuses?.[0], {
      name: 'app',
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: 'busybox:1.36',
      imageID: '',
      started: false,
    });
  });

  test('pod with init containers: PodInitializing for app and not-yet-started init containers', () => {
    const pod = mkPod({ init: ['i1', 'i2'] });
    const s = generatePodStatus(pod, rt([run('i1', { type: 'init' })]), { now });
    assert.deepEqual(
      s.initContainerStatuses?.map((c) => c.state),
      [{ running: { startedAt: '2026-01-01T00:00:01Z' } }, { waiting: { reason: 'PodInitializing' } }],
    );
    assert.deepEqual(s.containerStatuses?.[0]?.state, { waiting: { reason: 'PodInitializing' } });
  });

  test('reason cache overrides the default waiting reason', () => {
    const waitingReasons = new Map([['app', { reason: 'ErrImagePull', message: 'pull access denied' }]]);
    const s = generatePodStatus(mkPod(), rt([]), { now, waitingReasons });
    assert.deepEqual(s.containerStatuses?.[0]?.state, {
      waiting: { reason: 'ErrImagePull', message: 'pull access denied' },
    });
  });

  test('created (not started) instance: waiting without reason', () => {
    const s = generatePodStatus(mkPod(), rt([run('app', { state: 'created', startedAt: undefined })]), { now });
    assert.deepEqual(s.containerStatuses?.[0]?.state, { waiting: {} });
  });

  test('running instance: containerID, imageID, started, ready', () => {
    const s = generatePodStatus(mkPod(), rt([run('app', { id: 'abc123' })]), { now });
    const c = s.containerStatuses![0]!;
    assert.equal(c.containerID, 'docker://abc123');
    assert.equal(c.imageID, 'docker://sha256:abc');
    assert.equal(c.started, true);
    assert.equal(c.ready, true);
    assert.deepEqual(c.state, { running: { startedAt: '2026-01-01T00:00:01Z' } });
  });

  test('CrashLoopBackOff from the reason cache, lastState = the exited instance', () => {
    const message = 'back-off 10s restarting failed container=app pod=web_default(uid-1)';
    const waitingReasons = new Map([['app', { reason: 'CrashLoopBackOff', message }]]);
    const s = generatePodStatus(
      mkPod(),
      rt([exit('app', 1, { id: 'x2', restartCount: 1 }), exit('app', 1, { id: 'x1' })]),
      { now, waitingReasons },
    );
    const c = s.containerStatuses![0]!;
    assert.deepEqual(c.state, { waiting: { reason: 'CrashLoopBackOff', message } });
    assert.equal(c.lastState.terminated?.containerID, 'docker://x2');
    assert.equal(c.lastState.terminated?.reason, 'Error');
    assert.equal(c.restartCount, 1);
    assert.equal(c.ready, false);
  });

  test('exited and restartable but no reason cache entry: stays Terminated, lastState from the older instance', () => {
    const s = generatePodStatus(
      mkPod(),
      rt([exit('app', 0, { id: 'x2', restartCount: 1 }), exit('app', 1, { id: 'x1' })]),
      { now },
    );
    const c = s.containerStatuses![0]!;
    assert.equal(c.state.terminated?.reason, 'Completed');
    assert.equal(c.lastState.terminated?.containerID, 'docker://x1');
  });

  test('exited and not restarted (Never): Terminated even with a reason cache entry', () => {
    const waitingReasons = new Map([['app', { reason: 'CrashLoopBackOff' }]]);
    const s = generatePodStatus(mkPod({ restartPolicy: 'Never' }), rt([exit('app', 3)]), { now, waitingReasons });
    assert.equal(s.containerStatuses![0]!.state.terminated?.exitCode, 3);
  });

  test('terminated reasons', () => {
    const cases = [
      { name: 'exit 0', inst: exit('a', 0), want: 'Completed' },
      { name: 'exit 1', inst: exit('a', 1), want: 'Error' },
      { name: 'SIGKILL 137', inst: exit('a', 137), want: 'Error' },
      { name: 'OOMKilled wins over exit 0', inst: exit('a', 0, { oomKilled: true }), want: 'OOMKilled' },
      { name: 'OOMKilled with 137', inst: exit('a', 137, { oomKilled: true }), want: 'OOMKilled' },
    ];
    for (const tc of cases) assert.equal(terminatedState(tc.inst).reason, tc.want, tc.name);
  });

  test('ContainerCannotRun: never started, times = createdAt, message = runtime error', () => {
    const t = terminatedState(
      exit('a', 127, {
        startedAt: undefined,
        finishedAt: undefined,
        createdAt: '2026-01-01T00:00:03.5Z',
        error: 'exec: "nope": executable file not found in $PATH',
      }),
    );
    assert.equal(t.reason, 'ContainerCannotRun');
    assert.equal(t.startedAt, '2026-01-01T00:00:03Z');
    assert.equal(t.finishedAt, '2026-01-01T00:00:03Z');
    assert.equal(t.message, 'exec: "nope": executable file not found in $PATH');
  });

  test('termination message', () => {
    // The runtime's relist carries an exited instance's termination message.
    const inst = exit('app', 0, { id: 'tm', terminationMessage: 'all done' });
    const s = generatePodStatus(mkPod({ restartPolicy: 'Never' }), rt([inst]), { now });
    assert.equal(s.containerStatuses![0]!.state.terminated?.message, 'all done');
    assert.equal(terminatedState(exit('a', 1, { error: 'boom' }), 'msg').message, 'boom: msg');
  });

  test('regular containers sorted alphabetically, init containers in spec order', () => {
    const pod = mkPod({ containers: ['zeta', 'alpha', 'mid'], init: ['z-init', 'a-init'] });
    const s = generatePodStatus(pod, rt([]), { now });
    assert.deepEqual(
      s.containerStatuses?.map((c) => c.name),
      ['alpha', 'mid', 'zeta'],
    );
    assert.deepEqual(
      s.initContainerStatuses?.map((c) => c.name),
      ['z-init', 'a-init'],
    );
  });

  test('imageID forms', () => {
    const cases = [
      {
        name: 'local image',
        inst: run('a', { imageId: 'sha256:111' }),
        image: 'busybox:1.36',
        want: 'docker://sha256:111',
      },
      {
        name: 'repo digest with repo',
        inst: run('a', { imageDigest: 'busybox@sha256:222' }),
        image: 'busybox:1.36',
        want: 'docker-pullable://busybox@sha256:222',
      },
      {
        name: 'bare digest',
        inst: run('a', { imageDigest: 'sha256:333' }),
        image: 'reg:5000/team/app:v1',
        want: 'docker-pullable://reg:5000/team/app@sha256:333',
      },
    ];
    for (const tc of cases) assert.equal(imageID(tc.inst, tc.image), tc.want, tc.name);
  });

  test('readiness and startup probes', () => {
    const pod = mkPod({
      containers: [
        { name: 'a', image: 'x', readinessProbe: { exec: { command: ['true'] } } },
        { name: 'b', image: 'x', startupProbe: { exec: { command: ['true'] } } },
        { name: 'c', image: 'x', readinessProbe: { exec: { command: ['true'] } } },
      ],
    });
    const r = rt([run('a', { id: 'A' }), run('b', { id: 'B' }), run('c', { id: 'C' })]);
    const s = generatePodStatus(pod, r, { now, readiness: new Map([['C', true]]) });
    const by = (n: string) => s.containerStatuses!.find((c) => c.name === n)!;
    assert.deepEqual([by('a').started, by('a').ready], [true, false], 'no readiness result yet');
    assert.deepEqual([by('b').started, by('b').ready], [false, false], 'startup probe not yet succeeded');
    assert.deepEqual([by('c').started, by('c').ready], [true, true]);
    const s2 = generatePodStatus(pod, r, { now, startup: new Map([['B', true]]) });
    assert.deepEqual([s2.containerStatuses![1]!.started, s2.containerStatuses![1]!.ready], [true, true]);
  });

  test('init container ready = terminated exit 0', () => {
    const pod = mkPod({ init: ['i1', 'i2'] });
    const s = generatePodStatus(pod, rt([exit('i2', 1, { type: 'init' }), exit('i1', 0, { type: 'init' })]), { now });
    assert.deepEqual(
      s.initContainerStatuses?.map((c) => c.ready),
      [true, false],
    );
  });
});
