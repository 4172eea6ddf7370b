// Which container a log/exec/attach request means: the one named, or the pod's only one.
import type { Pod } from '../apis/core/types.js';
import { KubeletError } from '../util/errors.js';

/**
 * The container a subresource request names, or the pod's only container
 * (pkg/registry/core/pod/strategy.go validateContainer / the logs defaulting).
 */
export function resolvePodContainer(pod: Pod, requested: string | undefined): string {
  const name = pod.metadata.name;
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...(pod.spec.ephemeralContainers ?? [])].map(
    (c) => c.name,
  );
  const container = requested ?? (pod.spec.containers.length === 1 ? pod.spec.containers[0]!.name : undefined);
  if (!container) {
    throw new KubeletError(
      'BadRequest',
      `a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`,
    );
  }
  if (!all.includes(container))
    throw new KubeletError('BadRequest', `container ${container} is not valid for pod ${name}`);
  return container;
}
