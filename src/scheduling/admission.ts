// The kubelet's own predicate admission (pkg/kubelet/lifecycle/predicate.go Admit,
// generalFilter; scheduler AdmissionCheck): what a pod that skipped the scheduler (a
// static pod, or one created with spec.nodeName set) must still pass on this node.
// Only the first failure is reported: `OutOf<resource>` with the InsufficientResourceError
// text, or `Predicate <Plugin> failed: <reason>`.
import type { ValidPod } from '../apis/core/types.js';
import { isStaticPod } from '../apis/core/pod-util.js';
import {
  insufficientResources,
  nodeAffinityMatches,
  nodeTaints,
  REASONS,
  type ScheduleContext,
  tolerationsOf,
} from './filters.js';
import { hostPortConflict } from './node-ports.js';
import { firstUntoleratedTaint } from './taints.js';

export interface AdmitRefusal {
  reason: string;
  message: string;
}

const predicate = (name: string, reason: string): AdmitRefusal => ({
  reason: name,
  message: `Predicate ${name} failed: ${reason}`,
});

export function kubeletAdmitRefusal(pod: ValidPod, ctx: ScheduleContext): AdmitRefusal | undefined {
  const short = insufficientResources(pod, ctx)[0];
  if (short) {
    const { resource, requested, used, capacity } = short;
    return {
      reason: `OutOf${resource}`,
      message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
    };
  }
  if (!nodeAffinityMatches(pod, ctx.node)) return predicate('NodeAffinity', REASONS.nodeAffinity);
  if (pod.spec.nodeName && pod.spec.nodeName !== ctx.node.metadata.name) {
    return predicate('NodeName', REASONS.nodeName);
  }
  if (hostPortConflict(pod, ctx.pods)) return predicate('NodePorts', REASONS.nodePorts);
  // Only NoExecute taints matter to the kubelet, and static pods are exempt.
  if (!isStaticPod(pod) && firstUntoleratedTaint(nodeTaints(ctx.node), tolerationsOf(pod), ['NoExecute'])) {
    return predicate('TaintToleration', "node(s) had taints that the pod didn't tolerate");
  }
  return undefined;
}
