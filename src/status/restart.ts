// The kubelet's restart decision (pkg/kubelet/container/helpers.go ShouldContainerBeRestarted),
// extended with the init-container and sidecar rules of §4/§8. Pure: the sync loop uses
// it to decide what to start, and status generation uses it to decide whether an exited
// container is shown as Waiting (about to be restarted) or stays Terminated.
import type { Container, ValidPod } from '../apis/core/types.js';
import type { ContainerType, RuntimeContainer } from '../runtime/runtime.js';

/** A sidecar is an init container with `restartPolicy: Always`. */
export function isSidecar(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

export function findContainer(pod: ValidPod, name: string, type: ContainerType): Container | undefined {
  const list = type === 'init' ? (pod.spec.initContainers ?? []) : pod.spec.containers;
  return list.find((c) => c.name === name);
}

/**
 * Will the kubelet (re)start this container on a later sync?
 * `newest` is the newest runtime instance of that container name, if any.
 */
export function shouldContainerBeRestarted(
  pod: ValidPod,
  containerName: string,
  type: ContainerType,
  newest: RuntimeContainer | undefined,
): boolean {
  // A pod being deleted only winds down; nothing is started again.
  if (pod.metadata.deletionTimestamp) return false;
  // Never created, or created but never started: it still has to run.
  if (!newest || newest.state === 'created' || newest.state === 'unknown') return true;
  if (newest.state === 'running') return false;
  const exitCode = newest.exitCode ?? 0;
  if (type === 'init') {
    // Sidecars restart whatever the pod policy says.
    if (isSidecar(findContainer(pod, containerName, type))) return true;
    // A regular init container that succeeded is never re-run; a failed one is retried
    // unless the pod policy is Never (then the pod fails).
    if (exitCode === 0) return false;
    return pod.spec.restartPolicy !== 'Never';
  }
  switch (pod.spec.restartPolicy) {
    case 'Never':
      return false;
    case 'OnFailure':
      return exitCode !== 0;
    default:
      return true; // Always: exit 0 is restarted too
  }
}
