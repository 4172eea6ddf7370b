// Which container a verb means when -c is not given, as kubectl picks it
// (k8s.io/kubectl pkg/cmd/util/podcmd/podcmd.go FindOrDefaultContainerByName): the
// `kubectl.kubernetes.io/default-container` annotation, else the first app container,
// with a note on stderr when the pod has others.
import type { Pod } from '../apis/core/types.js';

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/** podcmd.AllContainerNames: app containers, then init containers marked `(init)`. */
export function allContainerNames(pod: Pod): string {
  return [
    ...pod.spec.containers.map((c) => c.name),
    ...(pod.spec.initContainers ?? []).map((c) => `${c.name} (init)`),
  ].join(', ');
}

/** The container to use when none was named; warnings go to `warn` (stderr). */
export function defaultContainer(pod: Pod, warn: (line: string) => void): string | undefined {
  const annotated = pod.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated) {
    if (pod.spec.containers.some((c) => c.name === annotated)) return annotated;
    warn(`Warning: default container name "${annotated}" not found in pod ${pod.metadata.name}`);
  }
  const first = pod.spec.containers[0]?.name;
  if (first && (pod.spec.containers.length > 1 || (pod.spec.initContainers?.length ?? 0) > 0))
    warn(`Defaulted container "${first}" out of: ${allContainerNames(pod)}`);
  return first;
}
