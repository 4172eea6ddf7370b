// The scheduler's Filter phase against this agent's one Node, in the default plugin
// order (pkg/scheduler/apis/config/v1/default_plugins.go), stopping at the first plugin
// that fails (framework RunFilterPlugins), and the FailedScheduling text the scheduler
// builds from it (framework/types.go FitError.Error, with the default preemption
// PostFilter's message). Pure: the caller passes the node, the pods on it and the
// namespaces' labels. VolumeRestrictions, NodeVolumeLimits and VolumeZone have nothing
// to check on one node without cloud volumes; VolumeBinding has its slot for the caller.
import type { Node, ValidPod } from '../apis/core/types.js';
import { type InterPodFailure, interPodAffinityFailure, type NamespaceLabels } from './inter-pod.js';
import { type Labels, matchesNodeSelectorTerms } from './labels.js';
import { hostPortConflict } from './node-ports.js';
import { podRequests, resourceList, sumRequests } from './requests.js';
import { topologySpreadFailure } from './spread.js';
import { firstUntoleratedTaint, tolerated, UNSCHEDULABLE_TAINT } from './taints.js';
import type { SchedulingSpec, Toleration } from './types.js';

export const SCHEDULER_NAME = 'default-scheduler';

/** framework.Code: U may be resolved by preemption, UAU cannot. */
export type FilterCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

export interface FilterFailure {
  plugin: PluginName;
  code: FilterCode;
  reasons: string[];
  /** A PreFilter rejected the pod: the message stands alone, without node counts. */
  preFilter?: boolean;
}

export interface ScheduleContext {
  node: Node;
  /** The pods on the node that hold resources (active, not terminal), the incoming one excluded. */
  pods: readonly ValidPod[];
  namespaceLabels: NamespaceLabels;
}

export type Filter = (pod: ValidPod, ctx: ScheduleContext) => FilterFailure | undefined;

export const FILTER_ORDER = [
  'NodeUnschedulable',
  'NodeName',
  'TaintToleration',
  'NodeAffinity',
  'NodePorts',
  'NodeResourcesFit',
  'VolumeRestrictions',
  'NodeVolumeLimits',
  'VolumeBinding',
  'VolumeZone',
  'PodTopologySpread',
  'InterPodAffinity',
] as const;
export type PluginName = (typeof FILTER_ORDER)[number];

/** The scheduler's reason strings (each plugin's ErrReason…). */
export const REASONS = {
  unschedulable: 'node(s) were unschedulable',
  nodeName: "node(s) didn't match the requested node name",
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  nodePorts: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  spread: "node(s) didn't match pod topology spread constraints",
  spreadMissingLabel: "node(s) didn't match pod topology spread constraints (missing required label)",
  affinity: "node(s) didn't match pod affinity rules",
  antiAffinity: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
} as const;

const fail = (plugin: PluginName, code: FilterCode, ...reasons: string[]): FilterFailure => ({
  plugin,
  code,
  reasons,
});
const U = 'Unschedulable' as const;
const UAU = 'UnschedulableAndUnresolvable' as const;

export const tolerationsOf = (pod: ValidPod): Toleration[] =>
  ((pod.spec as SchedulingSpec).tolerations ?? []) as Toleration[];

/** The node's taints as the scheduler sees them: a cordoned node carries the unschedulable taint. */
export function nodeTaints(node: Node) {
  const taints = node.spec.taints ?? [];
  const cordon = node.spec.unschedulable && !taints.some((t) => t.key === UNSCHEDULABLE_TAINT.key);
  return cordon ? [...taints, UNSCHEDULABLE_TAINT] : taints;
}

/** nodeSelector and required node affinity (nodeaffinity.GetRequiredNodeAffinity Match). */
export function nodeAffinityMatches(pod: ValidPod, node: Node): boolean {
  const labels: Labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = (pod.spec as SchedulingSpec).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return matchesNodeSelectorTerms(required.nodeSelectorTerms ?? [], labels, node.metadata.name!);
}

/** noderesources fitsRequest: the reasons a pod does not fit, pods count first. */
export function insufficientResources(pod: ValidPod, ctx: ScheduleContext): InsufficientResource[] {
  const alloc = ctx.node.status.allocatable ?? {};
  const out: InsufficientResource[] = [];
  const allowedPods = Number(alloc.pods ?? 0);
  if (ctx.pods.length + 1 > allowedPods) {
    out.push({ resource: 'pods', requested: 1, used: ctx.pods.length, capacity: allowedPods });
  }
  const req = podRequests(pod);
  if (req.milliCpu === 0 && req.memory === 0 && req.ephemeralStorage === 0) return out;
  const used = sumRequests(ctx.pods);
  const cap = resourceList(alloc);
  const check = (resource: string, r: number, u: number, c: number) => {
    if (r > 0 && r > c - u) out.push({ resource, requested: r, used: u, capacity: c });
  };
  check('cpu', req.milliCpu, used.milliCpu, cap.milliCpu);
  check('memory', req.memory, used.memory, cap.memory);
  // No ephemeral-storage allocatable reported means the node does not account it (LocalStorageCapacityIsolation off).
  if (alloc['ephemeral-storage'] !== undefined) {
    check('ephemeral-storage', req.ephemeralStorage, used.ephemeralStorage, cap.ephemeralStorage);
  }
  return out;
}

export interface InsufficientResource {
  resource: string;
  requested: number;
  used: number;
  capacity: number;
}

const INTER_POD: Record<InterPodFailure, [string, FilterCode]> = {
  affinity: [REASONS.affinity, UAU],
  'anti-affinity': [REASONS.antiAffinity, U],
  'existing-anti-affinity': [REASONS.existingAntiAffinity, U],
};

const BUILT_IN: Partial<Record<PluginName, Filter>> = {
  NodeUnschedulable: (pod, { node }) =>
    node.spec.unschedulable && !tolerated(UNSCHEDULABLE_TAINT, tolerationsOf(pod))
      ? fail('NodeUnschedulable', UAU, REASONS.unschedulable)
      : undefined,
  NodeName: (pod, { node }) =>
    pod.spec.nodeName && pod.spec.nodeName !== node.metadata.name ? fail('NodeName', UAU, REASONS.nodeName) : undefined,
  TaintToleration: (pod, { node }) => {
    const t = firstUntoleratedTaint(nodeTaints(node), tolerationsOf(pod), ['NoSchedule', 'NoExecute']);
    return t ? fail('TaintToleration', UAU, `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`) : undefined;
  },
  NodeAffinity: (pod, { node }) =>
    nodeAffinityMatches(pod, node) ? undefined : fail('NodeAffinity', UAU, REASONS.nodeAffinity),
  NodePorts: (pod, { pods }) => (hostPortConflict(pod, pods) ? fail('NodePorts', U, REASONS.nodePorts) : undefined),
  NodeResourcesFit: (pod, ctx) => {
    const short = insufficientResources(pod, ctx);
    if (short.length === 0) return undefined;
    const reasons = short.map((s) => (s.resource === 'pods' ? REASONS.tooManyPods : `Insufficient ${s.resource}`));
    return fail('NodeResourcesFit', U, ...reasons);
  },
  PodTopologySpread: (pod, { pods, node }) => {
    const f = topologySpreadFailure(pod, pods, node.metadata.labels ?? {});
    if (f === 'missing-label') return fail('PodTopologySpread', UAU, REASONS.spreadMissingLabel);
    return f === 'skew' ? fail('PodTopologySpread', U, REASONS.spread) : undefined;
  },
  InterPodAffinity: (pod, { pods, node, namespaceLabels }) => {
    const f = interPodAffinityFailure(pod, pods, node.metadata.labels ?? {}, namespaceLabels);
    if (!f) return undefined;
    const [reason, code] = INTER_POD[f];
    return fail('InterPodAffinity', code, reason);
  },
};

/**
 * Run the filters in order; `extra` fills the slots this module leaves to others
 * (VolumeBinding: the claims live outside the scheduling tier). The first failure wins.
 */
export function runFilters(
  pod: ValidPod,
  ctx: ScheduleContext,
  extra: Partial<Record<PluginName, Filter>> = {},
): FilterFailure | undefined {
  for (const name of FILTER_ORDER) {
    const f = extra[name] ?? BUILT_IN[name];
    const failure = f?.(pod, ctx);
    if (failure) return failure;
  }
  return undefined;
}

/**
 * FitError.Error for one node: `0/1 nodes are available: 1 <reason>, 1 <reason>.` (reasons
 * string-sorted), or the PreFilter message alone, then the preemption PostFilter's verdict:
 * a pod with preemptionPolicy Never is not eligible (DefaultPreemption
 * PodEligibleToPreemptOthers); else an UAU node is not helped by preemption, and an U node
 * would be if it had lower-priority pods to evict (this agent does not preempt: none found).
 */
export function fitErrorMessage(f: FilterFailure, pod?: ValidPod): string {
  const body = f.preFilter
    ? f.reasons.join(', ')
    : f.reasons
        .map((r) => `1 ${r}`)
        .sort()
        .join(', ');
  const head = `0/1 nodes are available: ${body}.`;
  if ((pod?.spec as { preemptionPolicy?: string } | undefined)?.preemptionPolicy === 'Never') {
    return `${head} preemption: not eligible due to preemptionPolicy=Never.`;
  }
  const preemption =
    f.code === UAU ? '1 Preemption is not helpful for scheduling' : '1 No preemption victims found for incoming pod';
  return `${head} preemption: 0/1 nodes are available: ${preemption}.`;
}
