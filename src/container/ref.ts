// The field path that names a container inside its pod, for events' involvedObject
// (pkg/kubelet/container/ref.go GenerateContainerRef / fieldPath).
import type { ValidPod } from '../apis/core/types.js';

/** `spec.initContainers{name}` for an init container, else `spec.containers{name}`. */
export function containerFieldPath(pod: ValidPod, containerName: string): string {
  const isInit = pod.spec.initContainers?.some((c) => c.name === containerName) ?? false;
  return isInit ? `spec.initContainers{${containerName}}` : `spec.containers{${containerName}}`;
}
