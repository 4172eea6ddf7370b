import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { formatPodTable, podRow, podTableObject } from '../../../src/printers/pod-columns.js';
import type { ContainerState, ContainerStatus, Pod, PodStatus } from '../../../src/apis/core/types.js';

const NOW = Date.parse('2026-01-01T01:00:00Z');

function cs(name: string, state: ContainerState, over: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    name,
    state,
    lastState: {},
    ready: false,
    restartCount: 0,
    image: 'busybox',
    imageID: '',
    started: false,
    ...over,
  };
}
const running = (name: string, over: Partial<ContainerStatus> = {}) =>
  cs(name, { running: { startedAt: '2026-01-01T00:00:10Z' } }, { ready: true, started: true, ...over });
const waiting = (name: string, reason?: string) => cs(name, { waiting: reason ? { reason } : {} });
const term = (name: string, exitCode: number, reason?: string, signal?: number) =>
  cs(name, { terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}) } });

function pod(
  status: PodStatus,
  opts: { containers?: string[]; init?: string[]; sidecars?: string[]; deleting?: boolean } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'default',
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T01:00:30Z' } : {}),
    },
    spec: {
      containers: (opts.containers ?? ['app']).map((name) => ({ name, image: 'busybox' })),
      initContainers: [
        ...(opts.init ?? []).map((name) => ({ name, image: 'busybox' })),
        ...(opts.sidecars ?? []).map((name) => ({ name, image: 'busybox', restartPolicy: 'Always' as const })),
      ],
      nodeName: 'mini-node',
    },
    status,
  };
}

const initialized = (v: boolean) => ({
  type: 'Initialized',
  status: v ? ('True' as const) : ('False' as const),
  lastProbeTime: null,
  lastTransitionTime: '',
});
const readyCond = (v: boolean) => ({
  type: 'Ready',
  status: v ? ('True' as const) : ('False' as const),
  lastProbeTime: null,
  lastTransitionTime: '',
});

describe('STATUS column', () => {
  const cases: { name: string; p: Pod; want: string }[] = [
    {
      name: 'Init:0/2',
      p: pod(
        {
          phase: 'Pending',
          initContainerStatuses: [running('i1'), waiting('i2', 'PodInitializing')],
          containerStatuses: [waiting('app', 'PodInitializing')],
        },
        { init: ['i1', 'i2'] },
      ),
      want: 'Init:0/2',
    },
    {
      name: 'Init:1/2',
      p: pod(
        {
          phase: 'Pending',
          initContainerStatuses: [term('i1', 0, 'Completed'), running('i2')],
          containerStatuses: [waiting('app', 'PodInitializing')],
        },
        { init: ['i1', 'i2'] },
      ),
      want: 'Init:1/2',
    },
    {
      name: 'Init:Error',
      p: pod(
        {
          phase: 'Failed',
          initContainerStatuses: [term('i1', 1, 'Error'), waiting('i2', 'PodInitializing')],
          containerStatuses: [waiting('app', 'PodInitializing')],
        },
        { init: ['i1', 'i2'] },
      ),
      want: 'Init:Error',
    },
    {
      name: 'Init:CrashLoopBackOff',
      p: pod(
        {
          phase: 'Pending',
          initContainerStatuses: [waiting('i1', 'CrashLoopBackOff')],
          containerStatuses: [waiting('app', 'PodInitializing')],
        },
        { init: ['i1'] },
      ),
      want: 'Init:CrashLoopBackOff',
    },
    {
      name: 'Init:Signal:9',
      p: pod({ phase: 'Failed', initContainerStatuses: [term('i1', 137, undefined, 9)] }, { init: ['i1'] }),
      want: 'Init:Signal:9',
    },
    {
      name: 'Init:ExitCode:3',
      p: pod({ phase: 'Failed', initContainerStatuses: [term('i1', 3)] }, { init: ['i1'] }),
      want: 'Init:ExitCode:3',
    },
    {
      name: 'PodInitializing',
      p: pod(
        {
          phase: 'Pending',
          conditions: [initialized(true)],
          initContainerStatuses: [term('i1', 0, 'Completed')],
          containerStatuses: [waiting('app', 'PodInitializing')],
        },
        { init: ['i1'] },
      ),
      want: 'PodInitializing',
    },
    {
      name: 'ContainerCreating',
      p: pod({ phase: 'Pending', containerStatuses: [waiting('app', 'ContainerCreating')] }),
      want: 'ContainerCreating',
    },
    {
      name: 'CrashLoopBackOff',
      p: pod({ phase: 'Running', containerStatuses: [waiting('app', 'CrashLoopBackOff')] }),
      want: 'CrashLoopBackOff',
    },
    {
      name: 'Completed',
      p: pod({ phase: 'Succeeded', containerStatuses: [term('app', 0, 'Completed')] }),
      want: 'Completed',
    },
    { name: 'Error', p: pod({ phase: 'Failed', containerStatuses: [term('app', 1, 'Error')] }), want: 'Error' },
    {
      name: 'OOMKilled',
      p: pod({ phase: 'Failed', containerStatuses: [term('app', 137, 'OOMKilled')] }),
      want: 'OOMKilled',
    },
    {
      name: 'ExitCode without reason',
      p: pod({ phase: 'Failed', containerStatuses: [term('app', 2)] }),
      want: 'ExitCode:2',
    },
    {
      name: 'first container with a reason wins',
      p: pod(
        { phase: 'Pending', containerStatuses: [waiting('a', 'ErrImagePull'), waiting('b', 'ContainerCreating')] },
        { containers: ['a', 'b'] },
      ),
      want: 'ErrImagePull',
    },
    {
      name: 'Completed + running, not ready → NotReady',
      p: pod(
        {
          phase: 'Running',
          conditions: [readyCond(false)],
          containerStatuses: [term('a', 0, 'Completed'), running('b')],
        },
        { containers: ['a', 'b'] },
      ),
      want: 'NotReady',
    },
    {
      name: 'Completed + running, Ready → Running',
      p: pod(
        {
          phase: 'Running',
          conditions: [readyCond(true)],
          containerStatuses: [term('a', 0, 'Completed'), running('b')],
        },
        { containers: ['a', 'b'] },
      ),
      want: 'Running',
    },
    { name: 'Running', p: pod({ phase: 'Running', containerStatuses: [running('app')] }), want: 'Running' },
    {
      name: 'Running but not ready',
      p: pod({ phase: 'Running', containerStatuses: [running('app', { ready: false })] }),
      want: 'Running',
    },
    {
      name: 'Terminating',
      p: pod({ phase: 'Running', containerStatuses: [running('app')] }, { deleting: true }),
      want: 'Terminating',
    },
    {
      name: 'deleted but terminal: not Terminating',
      p: pod({ phase: 'Succeeded', containerStatuses: [term('app', 0, 'Completed')] }, { deleting: true }),
      want: 'Completed',
    },
    {
      name: 'NodeLost → Unknown',
      p: pod({ phase: 'Running', reason: 'NodeLost' }, { deleting: true }),
      want: 'Unknown',
    },
    { name: 'status.reason', p: pod({ phase: 'Failed', reason: 'DeadlineExceeded' }), want: 'DeadlineExceeded' },
    { name: 'no status yet', p: pod({ phase: 'Pending' }), want: 'Pending' },
    {
      name: 'SchedulingGated',
      p: pod({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'SchedulingGated',
            lastProbeTime: null,
            lastTransitionTime: '',
          },
        ],
      }),
      want: 'SchedulingGated',
    },
    {
      name: 'sidecar started: skipped in the init walk',
      p: pod(
        {
          phase: 'Running',
          conditions: [initialized(true)],
          initContainerStatuses: [running('side')],
          containerStatuses: [running('app')],
        },
        { sidecars: ['side'] },
      ),
      want: 'Running',
    },
  ];
  for (const tc of cases) test(tc.name, () => assert.equal(podRow(tc.p, NOW).status, tc.want));
});

describe('READY and RESTARTS columns', () => {
  test('READY counts sidecars', () => {
    const p = pod(
      {
        phase: 'Running',
        conditions: [initialized(true)],
        initContainerStatuses: [running('side')],
        containerStatuses: [running('a'), running('b', { ready: false })],
      },
      { containers: ['a', 'b'], sidecars: ['side'] },
    );
    assert.equal(podRow(p, NOW).ready, '2/3');
    const notStarted = pod(
      {
        phase: 'Pending',
        initContainerStatuses: [running('side', { started: false, ready: false })],
        containerStatuses: [waiting('a', 'PodInitializing')],
      },
      { containers: ['a'], sidecars: ['side'] },
    );
    assert.equal(podRow(notStarted, NOW).ready, '0/2');
    assert.equal(podRow(notStarted, NOW).status, 'Init:0/1');
  });

  test('RESTARTS with (age ago) from the newest lastState.terminated.finishedAt', () => {
    const crash = cs(
      'app',
      { waiting: { reason: 'CrashLoopBackOff' } },
      {
        restartCount: 5,
        lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:59:55Z' } },
      },
    );
    const other = cs(
      'b',
      { running: {} },
      { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:30:00Z' } } },
    );
    assert.equal(
      podRow(pod({ phase: 'Running', containerStatuses: [crash, other] }, { containers: ['app', 'b'] }), NOW).restarts,
      '6 (5s ago)',
    );
    assert.equal(podRow(pod({ phase: 'Running', containerStatuses: [running('app')] }), NOW).restarts, '0');
  });

  test('RESTARTS while initializing: init containers only', () => {
    const i1 = cs(
      'i1',
      { waiting: { reason: 'CrashLoopBackOff' } },
      { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:58:00Z' } } },
    );
    const app = cs('app', { waiting: { reason: 'PodInitializing' } }, { restartCount: 7 });
    assert.equal(
      podRow(pod({ phase: 'Pending', initContainerStatuses: [i1], containerStatuses: [app] }, { init: ['i1'] }), NOW)
        .restarts,
      '3 (2m ago)',
    );
  });

  test('RESTARTS after init: sidecars plus app containers, not regular init containers', () => {
    const i1 = cs('i1', { terminated: { exitCode: 0, reason: 'Completed' } }, { restartCount: 2 });
    const side = running('side', { restartCount: 1 });
    const app = running('app', { restartCount: 1 });
    assert.equal(
      podRow(
        pod(
          { phase: 'Running', initContainerStatuses: [i1, side], containerStatuses: [app] },
          { init: ['i1'], sidecars: ['side'] },
        ),
        NOW,
      ).restarts,
      '2',
    );
  });

  test('AGE and wide columns', () => {
    const r = podRow(pod({ phase: 'Running', podIPs: [{ ip: '10.1.0.5' }], containerStatuses: [running('app')] }), NOW);
    assert.equal(r.age, '60m');
    assert.deepEqual([r.ip, r.node, r.nominatedNode, r.readinessGates], ['10.1.0.5', 'mini-node', '<none>', '<none>']);
    assert.equal(podRow(pod({ phase: 'Pending' }), NOW).ip, '<none>');
  });
});

describe('tables', () => {
  const p = pod({ phase: 'Running', podIPs: [{ ip: '10.1.0.5' }], containerStatuses: [running('app')] });

  test('formatPodTable', () => {
    assert.equal(
      formatPodTable([p], NOW),
      'NAME   READY   STATUS    RESTARTS   AGE\nweb    1/1     Running   0          60m\n',
    );
    const wide = formatPodTable([p], NOW, { wide: true, showNamespace: true });
    assert.equal(
      wide,
      'NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   IP         NODE        NOMINATED NODE   READINESS GATES\n' +
        'default     web    1/1     Running   0          60m   10.1.0.5   mini-node   <none>           <none>\n',
    );
  });

  test('podTableObject', () => {
    const t = podTableObject([p], NOW, '42');
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.metadata, { resourceVersion: '42' });
    assert.deepEqual(
      t.columnDefinitions.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Ready', 0],
        ['Status', 0],
        ['Restarts', 0],
        ['Age', 0],
        ['IP', 1],
        ['Node', 1],
        ['Nominated Node', 1],
        ['Readiness Gates', 1],
      ],
    );
    assert.deepEqual(t.rows[0]!.cells, [
      'web',
      '1/1',
      'Running',
      '0',
      '60m',
      '10.1.0.5',
      'mini-node',
      '<none>',
      '<none>',
    ]);
    assert.equal(t.rows[0]!.object.kind, 'PartialObjectMetadata');
    assert.equal((t.rows[0]!.object.metadata as { name: string }).name, 'web');
  });
});
