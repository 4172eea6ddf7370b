// The field path that names a container inside its pod, for events' involvedObject
// (pkg/kubelet/container/ref.go GenerateContainerRef / fieldPath).
import type { ValidPod } from '../apis/core/types.js';

/** `spec.initContainers{name}`, `spec.ephemeralContainers{name}`, else `spec.containers{name}`. */
export function containerFieldPath(pod: ValidPod, containerName: string): string {
  const has = (list: { name: string }[] | undefined) => list?.some((c) => c.name === containerName) ?? false;
  if (has(pod.spec.initContainers)) return `spec.initContainers{${containerName}}`;
  if (has(pod.spec.ephemeralContainers)) return `spec.ephemeralContainers{${containerName}}`;
  return `spec.containers{${containerName}}`;
}
