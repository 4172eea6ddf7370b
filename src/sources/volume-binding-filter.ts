// The scheduler's VolumeBinding PreFilter on this one node
// (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go PreFilter,
// binder.go GetPodVolumeClaims; ephemeral.VolumeIsForPod): a pod whose claim does not
// exist, is being deleted, or (a generic ephemeral volume's) belongs to another object
// cannot be placed anywhere. WaitForFirstConsumer claims that are merely unbound pass:
// they are bound when the pod is placed (the storage manager's bindPodClaims).
// Pure, so that it can join the scheduler-filter list beside NodePorts.
import { controllingPod, volumeClaimName } from '../apis/core/pod-claims.js';
import type { PersistentVolumeClaim } from '../apis/core/storage-types.js';
import type { ValidPod } from '../apis/core/types.js';
import type { Refusal } from './pod-admission.js';
import { UNSCHEDULABLE } from './pod-admission.js';

export type ClaimLookup = (namespace: string, name: string) => PersistentVolumeClaim | undefined;

/** The PreFilter's status message for the pod, or undefined when its claims let it through. */
export function volumeBindingMessage(pod: ValidPod, lookup: ClaimLookup): string | undefined {
  const ns = pod.metadata.namespace;
  for (const vol of pod.spec.volumes ?? []) {
    const name = volumeClaimName(pod, vol);
    if (!name) continue;
    const claim = lookup(ns, name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (vol.ephemeral && controllingPod(claim.metadata) !== pod.metadata.uid)
      return `PVC ${ns}/${name} was not created for pod ${ns}/${pod.metadata.name} (pod is not owner)`;
  }
  return undefined;
}

/**
 * As FitError renders a PreFilter rejection on a one-node cluster: the plugin's message,
 * then preemption's verdict (UnschedulableAndUnresolvable: preemption cannot help).
 */
export function volumeBindingRefusal(pod: ValidPod, lookup: ClaimLookup): Refusal | undefined {
  const msg = volumeBindingMessage(pod, lookup);
  if (!msg) return undefined;
  return {
    reason: UNSCHEDULABLE,
    message: `0/1 nodes are available: ${msg}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.`,
  };
}
