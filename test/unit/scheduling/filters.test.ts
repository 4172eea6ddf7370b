// The scheduler's filters against one node, in the default order, and the FailedScheduling
// text (plugins under pkg/scheduler/framework/plugins; framework/types.go FitError).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { ContainerPort, Node, ValidPod } from '../../../src/apis/core/types.js';
import { fitErrorMessage, runFilters, type ScheduleContext } from '../../../src/scheduling/filters.js';
import { mkPod } from '../status/helpers.js';

function node(
  over: { labels?: Record<string, string>; spec?: Node['spec']; alloc?: Record<string, string> } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', disk: 'ssd', cores: '8', ...over.labels } },
    spec: over.spec ?? {},
    status: {
      capacity: {},
      allocatable: over.alloc ?? { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [],
      addresses: [],
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {} as Node['status']['nodeInfo'],
      images: [],
    },
  };
}

let seq = 0;
/** A pod with extra spec fields (affinity, tolerations… are loosely typed on PodSpec). */
function pod(spec: Record<string, unknown> = {}, labels: Record<string, string> = {}, ns = 'default'): ValidPod {
  const p = mkPod();
  seq++;
  return {
    ...p,
    metadata: { ...p.metadata, name: `p${seq}`, uid: `u${seq}`, namespace: ns, labels },
    spec: { ...p.spec, ...spec } as ValidPod['spec'],
  };
}
const requesting = (requests: Record<string, string>, extra: Record<string, unknown> = {}) =>
  pod({ containers: [{ name: 'app', image: 'x:1', resources: { requests } }], ...extra });
const withPort = (p: ContainerPort) => pod({ containers: [{ name: 'app', image: 'x:1', ports: [p] }] });

const ctx = (over: Partial<ScheduleContext> = {}): ScheduleContext => ({
  node: node(),
  pods: [],
  namespaceLabels: (ns) => ({ 'kubernetes.io/metadata.name': ns, ...(ns === 'team-a' ? { team: 'a' } : {}) }),
  ...over,
});

const UAU_TAIL = ' preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
const U_TAIL = ' preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
const msg = (body: string, tail: string) => `0/1 nodes are available: ${body}.${tail}`;

const nodeAffinity = (...terms: unknown[]) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } },
});
const expr = (key: string, operator: string, values?: string[]) => ({
  matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
});
const web = { app: 'web' };
const antiAffinity = (selector: Record<string, string>, topologyKey = 'kubernetes.io/hostname', extra = {}) => ({
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: selector }, topologyKey, ...extra },
      ],
    },
  },
});
const podAffinity = (selector: Record<string, string>, topologyKey = 'kubernetes.io/hostname', extra = {}) => ({
  affinity: {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: selector }, topologyKey, ...extra },
      ],
    },
  },
});
const spread = (c: Record<string, unknown>) => ({
  topologySpreadConstraints: [
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: web },
      ...c,
    },
  ],
});

/** [name, pod, context, expected message or undefined (fits)]. */
const cases: [string, ValidPod, ScheduleContext, string | undefined][] = [
  ['a plain pod fits', pod(), ctx(), undefined],
  // NodeUnschedulable
  [
    'a cordoned node',
    pod(),
    ctx({ node: node({ spec: { unschedulable: true } }) }),
    msg('1 node(s) were unschedulable', UAU_TAIL),
  ],
  [
    'a cordoned node, the unschedulable taint tolerated',
    pod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
    ctx({ node: node({ spec: { unschedulable: true } }) }),
    undefined,
  ],
  // NodeName
  [
    'another node name',
    pod({ nodeName: 'other' }),
    ctx(),
    msg("1 node(s) didn't match the requested node name", UAU_TAIL),
  ],
  // TaintToleration
  [
    'an untolerated NoSchedule taint',
    pod(),
    ctx({ node: node({ spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }) }),
    msg('1 node(s) had untolerated taint {dedicated: gpu}', UAU_TAIL),
  ],
  [
    'an untolerated NoExecute taint without value',
    pod(),
    ctx({ node: node({ spec: { taints: [{ key: 'k', effect: 'NoExecute' }] } }) }),
    msg('1 node(s) had untolerated taint {k: }', UAU_TAIL),
  ],
  [
    'a PreferNoSchedule taint only scores',
    pod(),
    ctx({ node: node({ spec: { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] } }) }),
    undefined,
  ],
  [
    'a taint tolerated by Equal',
    pod({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
    ctx({ node: node({ spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }) }),
    undefined,
  ],
  [
    'a toleration of another value does not match',
    pod({ tolerations: [{ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }] }),
    ctx({ node: node({ spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } }) }),
    msg('1 node(s) had untolerated taint {dedicated: gpu}', UAU_TAIL),
  ],
  [
    'an empty-key Exists toleration tolerates everything',
    pod({ tolerations: [{ operator: 'Exists' }] }),
    ctx({ node: node({ spec: { unschedulable: true, taints: [{ key: 'a', effect: 'NoExecute' }] } }) }),
    undefined,
  ],
  [
    'a cordoned node reports NodeUnschedulable before a taint (filter order)',
    pod(),
    ctx({ node: node({ spec: { unschedulable: true, taints: [{ key: 'a', effect: 'NoSchedule' }] } }) }),
    msg('1 node(s) were unschedulable', UAU_TAIL),
  ],
  // NodeAffinity
  ['nodeSelector matches', pod({ nodeSelector: { disk: 'ssd' } }), ctx(), undefined],
  [
    'nodeSelector does not match',
    pod({ nodeSelector: { disk: 'hdd' } }),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  ['affinity In', pod(nodeAffinity(expr('disk', 'In', ['hdd', 'ssd']))), ctx(), undefined],
  [
    'affinity NotIn',
    pod(nodeAffinity(expr('disk', 'NotIn', ['ssd']))),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  ['affinity NotIn of an absent label', pod(nodeAffinity(expr('gpu', 'NotIn', ['x']))), ctx(), undefined],
  ['affinity Exists', pod(nodeAffinity(expr('disk', 'Exists'))), ctx(), undefined],
  [
    'affinity DoesNotExist',
    pod(nodeAffinity(expr('disk', 'DoesNotExist'))),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  ['affinity Gt', pod(nodeAffinity(expr('cores', 'Gt', ['4']))), ctx(), undefined],
  [
    'affinity Gt not met',
    pod(nodeAffinity(expr('cores', 'Gt', ['8']))),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  ['affinity Lt', pod(nodeAffinity(expr('cores', 'Lt', ['16']))), ctx(), undefined],
  [
    'affinity Gt on a non-integer label',
    pod(nodeAffinity(expr('disk', 'Gt', ['1']))),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  ['terms are ORed', pod(nodeAffinity(expr('disk', 'In', ['hdd']), expr('cores', 'In', ['8']))), ctx(), undefined],
  [
    'an empty term matches nothing',
    pod(nodeAffinity({})),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  [
    'matchFields metadata.name',
    pod(nodeAffinity({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] })),
    ctx(),
    undefined,
  ],
  [
    'matchFields metadata.name of another node',
    pod(nodeAffinity({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] })),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  [
    'nodeSelector and affinity are ANDed',
    pod({ nodeSelector: { disk: 'ssd' }, ...nodeAffinity(expr('cores', 'In', ['2'])) }),
    ctx(),
    msg("1 node(s) didn't match Pod's node affinity/selector", UAU_TAIL),
  ],
  // NodePorts
  [
    'a host port held by another pod',
    withPort({ containerPort: 80, hostPort: 8080, protocol: 'TCP' }),
    ctx({ pods: [withPort({ containerPort: 81, hostPort: 8080, protocol: 'TCP' })] }),
    msg("1 node(s) didn't have free ports for the requested pod ports", U_TAIL),
  ],
  [
    'the same port on another protocol',
    withPort({ containerPort: 80, hostPort: 8080, protocol: 'UDP' }),
    ctx({ pods: [withPort({ containerPort: 81, hostPort: 8080, protocol: 'TCP' })] }),
    undefined,
  ],
  [
    'two distinct host addresses',
    withPort({ containerPort: 80, hostPort: 8080, protocol: 'TCP', hostIP: '127.0.0.1' }),
    ctx({ pods: [withPort({ containerPort: 81, hostPort: 8080, protocol: 'TCP', hostIP: '127.0.0.2' })] }),
    undefined,
  ],
  [
    'an address against the wildcard',
    withPort({ containerPort: 80, hostPort: 8080, protocol: 'TCP', hostIP: '127.0.0.1' }),
    ctx({ pods: [withPort({ containerPort: 81, hostPort: 8080, protocol: 'TCP' })] }),
    msg("1 node(s) didn't have free ports for the requested pod ports", U_TAIL),
  ],
  // NodeResourcesFit
  ['requests within allocatable', requesting({ cpu: '1', memory: '1Gi' }), ctx(), undefined],
  ['cpu beyond allocatable', requesting({ cpu: '3' }), ctx(), msg('1 Insufficient cpu', U_TAIL)],
  [
    'cpu and memory beyond, sorted',
    requesting({ memory: '5Gi', cpu: '2500m' }),
    ctx(),
    msg('1 Insufficient cpu, 1 Insufficient memory', U_TAIL),
  ],
  [
    'what other pods request counts',
    requesting({ cpu: '1500m' }),
    ctx({ pods: [requesting({ cpu: '600m' })] }),
    msg('1 Insufficient cpu', U_TAIL),
  ],
  [
    'a limit without request counts as the request',
    pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { memory: '8Gi' } } }] }),
    ctx(),
    msg('1 Insufficient memory', U_TAIL),
  ],
  [
    'init containers: the largest one, not the sum',
    pod({
      initContainers: [
        { name: 'i1', image: 'x', resources: { requests: { cpu: '1500m' } } },
        { name: 'i2', image: 'x', resources: { requests: { cpu: '1500m' } } },
      ],
    }),
    ctx(),
    undefined,
  ],
  [
    'an init container beside a sidecar: both count',
    pod({
      initContainers: [
        { name: 's', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } },
        { name: 'i', image: 'x', resources: { requests: { cpu: '1500m' } } },
      ],
    }),
    ctx(),
    msg('1 Insufficient cpu', U_TAIL),
  ],
  [
    'a sidecar adds to the app containers',
    pod({
      initContainers: [{ name: 's', image: 'x', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } }],
      containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '1500m' } } }],
    }),
    ctx(),
    msg('1 Insufficient cpu', U_TAIL),
  ],
  [
    'overhead is added',
    requesting({ cpu: '1900m' }, { overhead: { cpu: '200m' } }),
    ctx(),
    msg('1 Insufficient cpu', U_TAIL),
  ],
  [
    'too many pods',
    pod(),
    ctx({ node: node({ alloc: { cpu: '2', memory: '4Gi', pods: '1' } }), pods: [pod()] }),
    msg('1 Too many pods', U_TAIL),
  ],
  [
    'too many pods and too much cpu',
    requesting({ cpu: '3' }),
    ctx({ node: node({ alloc: { cpu: '2', memory: '4Gi', pods: '1' } }), pods: [pod()] }),
    msg('1 Insufficient cpu, 1 Too many pods', U_TAIL),
  ],
  // PodTopologySpread
  ['one domain: skew never exceeds 1', pod(spread({}), web), ctx({ pods: [pod({}, web), pod({}, web)] }), undefined],
  [
    'minDomains above the one domain there is',
    pod(spread({ minDomains: 2 }), web),
    ctx({ pods: [pod({}, web)] }),
    msg("1 node(s) didn't match pod topology spread constraints", U_TAIL),
  ],
  [
    'minDomains with room in maxSkew',
    pod(spread({ minDomains: 2, maxSkew: 2 }), web),
    ctx({ pods: [pod({}, web)] }),
    undefined,
  ],
  [
    'the node lacks the topology key',
    pod(spread({ topologyKey: 'zone' }), web),
    ctx(),
    msg("1 node(s) didn't match pod topology spread constraints (missing required label)", UAU_TAIL),
  ],
  [
    'ScheduleAnyway only scores',
    pod(spread({ topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }), web),
    ctx(),
    undefined,
  ],
  // InterPodAffinity
  [
    'anti-affinity to a pod on the node',
    pod(antiAffinity(web)),
    ctx({ pods: [pod({}, web)] }),
    msg("1 node(s) didn't match pod anti-affinity rules", U_TAIL),
  ],
  [
    'anti-affinity, the pod is in another namespace',
    pod(antiAffinity(web)),
    ctx({ pods: [pod({}, web, 'other')] }),
    undefined,
  ],
  [
    'anti-affinity naming the namespace',
    pod(antiAffinity(web, 'kubernetes.io/hostname', { namespaces: ['other'] })),
    ctx({ pods: [pod({}, web, 'other')] }),
    msg("1 node(s) didn't match pod anti-affinity rules", U_TAIL),
  ],
  [
    'anti-affinity by namespaceSelector',
    pod(antiAffinity(web, 'kubernetes.io/hostname', { namespaceSelector: { matchLabels: { team: 'a' } } })),
    ctx({ pods: [pod({}, web, 'team-a')] }),
    msg("1 node(s) didn't match pod anti-affinity rules", U_TAIL),
  ],
  [
    'an empty namespaceSelector selects every namespace',
    pod(antiAffinity(web, 'kubernetes.io/hostname', { namespaceSelector: {} })),
    ctx({ pods: [pod({}, web, 'elsewhere')] }),
    msg("1 node(s) didn't match pod anti-affinity rules", U_TAIL),
  ],
  ['anti-affinity on a key the node lacks', pod(antiAffinity(web, 'zone')), ctx({ pods: [pod({}, web)] }), undefined],
  [
    "an existing pod's anti-affinity",
    pod({}, web),
    ctx({ pods: [pod(antiAffinity(web))] }),
    msg("1 node(s) didn't satisfy existing pods anti-affinity rules", U_TAIL),
  ],
  ['affinity to a pod on the node', pod(podAffinity(web)), ctx({ pods: [pod({}, web)] }), undefined],
  [
    'affinity to a pod that is not there',
    pod(podAffinity(web)),
    ctx({ pods: [pod({}, { app: 'db' })] }),
    msg("1 node(s) didn't match pod affinity rules", UAU_TAIL),
  ],
  ['affinity: the first pod of a self-affine group may go', pod(podAffinity(web), web), ctx(), undefined],
  [
    'affinity on a key the node lacks',
    pod(podAffinity(web, 'zone')),
    ctx({ pods: [pod({}, web)] }),
    msg("1 node(s) didn't match pod affinity rules", UAU_TAIL),
  ],
];

describe('runFilters + fitErrorMessage', () => {
  for (const [name, p, c, want] of cases) {
    test(name, () => {
      const f = runFilters(p, c);
      assert.equal(f ? fitErrorMessage(f) : undefined, want);
    });
  }

  test('preemptionPolicy Never: not eligible for preemption, whatever the code', () => {
    const p = requesting({ cpu: '3' }, { preemptionPolicy: 'Never' });
    assert.equal(
      fitErrorMessage(runFilters(p, ctx())!, p),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  test('the VolumeBinding slot runs after NodeResourcesFit and before PodTopologySpread', () => {
    const seen: string[] = [];
    const f = runFilters(requesting({ cpu: '1' }), ctx(), {
      VolumeBinding: () => {
        seen.push('VolumeBinding');
        return {
          plugin: 'VolumeBinding',
          code: 'UnschedulableAndUnresolvable',
          reasons: ['pod has unbound immediate PersistentVolumeClaims'],
          preFilter: true,
        };
      },
    });
    assert.deepEqual(seen, ['VolumeBinding']);
    assert.equal(fitErrorMessage(f!), msg('pod has unbound immediate PersistentVolumeClaims', UAU_TAIL));
    // A pod that fails an earlier plugin never reaches the slot.
    runFilters(pod({ nodeSelector: { disk: 'hdd' } }), ctx(), { VolumeBinding: () => assert.fail('ran') });
  });
});
