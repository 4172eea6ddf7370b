// Small facts about a pod that several modules ask: is its phase final
// (pkg/api/v1/pod/util.go IsPodPhaseTerminal), did it come from a static manifest
// (pkg/kubelet/types/pod_update.go ConfigSourceAnnotationKey, FileSource, IsStaticPod), and
// what is its hostname (pkg/kubelet/kubelet_pods.go GeneratePodHostNameAndDomain).
import type { PodPhase, ValidPod } from './types.js';

/** The annotation a pod source stamps on its pods, naming the source. */
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
/** The static pod's identity (its UID) and when its source first saw it. */
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';
/** The config.source value of pods read from the manifests directory. */
export const FILE_SOURCE = 'file';
/** The config.source value of pods submitted over the API. */
export const API_SOURCE = 'api';

/** Succeeded and Failed are final: a pod never leaves them. */
export function isPodPhaseTerminal(phase: PodPhase | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Static pods come from a file (or URL) source rather than the API. */
export function isStaticPod(pod: ValidPod): boolean {
  const src = pod.metadata.annotations?.[CONFIG_SOURCE_ANNOTATION];
  return src !== undefined && src !== API_SOURCE;
}

/** The longest hostname the kernel accepts (a DNS label). */
const MAX_HOSTNAME_LENGTH = 63;

/**
 * The pod's hostname: spec.hostname, else the pod name, cut to 63 characters with any
 * trailing `-` and `.` trimmed so the cut never leaves an invalid label
 * (kubelet_pods.go GeneratePodHostNameAndDomain, truncatePodHostnameIfNeeded).
 */
export function podHostname(pod: ValidPod): string {
  const hostname = pod.spec.hostname || pod.metadata.name;
  if (hostname.length <= MAX_HOSTNAME_LENGTH) return hostname;
  return hostname.slice(0, MAX_HOSTNAME_LENGTH).replace(/[-.]+$/, '');
}
