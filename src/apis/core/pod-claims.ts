// The claims a pod's volumes use: a `persistentVolumeClaim` names one, a generic
// `ephemeral` volume has `<pod>-<volume>` (k8s.io/component-helpers/storage/ephemeral
// VolumeClaimName). One home for the rule the scheduler filter, the storage
// controllers and the runtime share.
import type { ValidPod, Volume } from './types.js';

export function volumeClaimName(pod: ValidPod, vol: Volume): string | undefined {
  if (vol.persistentVolumeClaim) return vol.persistentVolumeClaim.claimName;
  if (vol.ephemeral) return `${pod.metadata.name}-${vol.name}`;
  return undefined;
}

/** Every claim the pod uses, in volume order. */
export function podClaimNames(pod: ValidPod): string[] {
  return (pod.spec.volumes ?? []).map((v) => volumeClaimName(pod, v)).filter((n): n is string => n !== undefined);
}

/** The uid of the pod that controls an object (an ephemeral volume's claim), if any. */
export function controllingPod(meta: { ownerReferences?: unknown[] }): string | undefined {
  const refs = (meta.ownerReferences ?? []) as { kind?: string; uid?: string; controller?: boolean }[];
  return refs.find((r) => r.kind === 'Pod' && r.controller === true)?.uid;
}
