// The scheduler's VolumeBinding PreFilter on this one node
// (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go PreFilter,
// binder.go GetPodVolumeClaims; ephemeral.VolumeIsForPod): a pod whose claim does not
// exist, is being deleted, or (a generic ephemeral volume's) belongs to another object
// cannot be placed anywhere. WaitForFirstConsumer claims that are merely unbound pass:
// they are bound when the pod is placed (the storage manager's bindPodClaims).
// Pure; PodConfig runs it before the scheduler's Filters, as a PreFilter runs.
import { controllingPod, volumeClaimName } from '../apis/core/pod-claims.js';
import type { PersistentVolumeClaim } from '../apis/core/storage-types.js';
import type { ValidPod } from '../apis/core/types.js';
import type { FilterFailure } from '../scheduling/filters.js';

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

/** The PreFilter's failure, as the scheduler's FitError renders it (scheduling/filters.ts fitErrorMessage). */
export function volumeBindingPreFilter(pod: ValidPod, lookup: ClaimLookup): FilterFailure | undefined {
  const msg = volumeBindingMessage(pod, lookup);
  if (!msg) return undefined;
  return { plugin: 'VolumeBinding', code: 'UnschedulableAndUnresolvable', reasons: [msg], preFilter: true };
}
