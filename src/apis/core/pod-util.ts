// Small facts about a pod that several modules ask: is its phase final
// (pkg/api/v1/pod/util.go IsPodPhaseTerminal), and did it come from a static manifest
// (pkg/kubelet/types/pod_update.go ConfigSourceAnnotationKey, FileSource, IsStaticPod).
import type { PodPhase, ValidPod } from './types.js';

/** The annotation a pod source stamps on its pods, naming the source. */
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
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
