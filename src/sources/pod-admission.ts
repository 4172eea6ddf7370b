// Kubelet admission of a pod the node has been given (pkg/kubelet/lifecycle/predicate.go
// Admit, generalFilter; kubelet.go rejectPod). Only the pod-count limit is checked:
// a pod beyond --max-pods is not run; it stays visible, Failed with reason OutOfpods,
// and a Warning event says why. No container is created for it.
import type { PodStatus, ValidPod } from '../apis/core/types.js';
import { podQOSClass } from '../status/qos.js';

export interface Refusal {
  reason: string;
  message: string;
}

/**
 * The pod-count predicate: `used` active pods (admitted, not terminal) and one more
 * requested. Message as schedulerframework InsufficientResource renders it.
 */
export function podCountRefusal(used: number, capacity: number): Refusal | undefined {
  if (used + 1 <= capacity) return undefined;
  return {
    reason: 'OutOfpods',
    message: `Node didn't have enough resource: pods, requested: 1, used: ${used}, capacity: ${capacity}`,
  };
}

/** The status rejectPod publishes: Failed, the predicate's reason, `Pod was rejected: <message>`. */
export function rejectedStatus(pod: ValidPod, refusal: Refusal): PodStatus {
  return {
    phase: 'Failed',
    reason: refusal.reason,
    message: `Pod was rejected: ${refusal.message}`,
    qosClass: podQOSClass(pod),
  };
}
