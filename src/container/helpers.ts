// Container facts shared by the sync loop, status generation and the prober
// (pkg/kubelet/container/helpers.go): which spec a runtime container belongs to, whether an
// init container is a sidecar, and whether an exited container will be started again.
// Pure, and neutral: imports only apis/core and util, so sync/, status/ and prober/ can all
// depend on it without depending on each other.
import type { Container, ValidPod } from '../apis/core/types.js';

/** Which list of the pod spec a container comes from (the kubelet's ContainerType label). */
export type ContainerType = 'init' | 'container' | 'ephemeral';
/** The engine state of one container instance (kubecontainer.State). */
export type RuntimeState = 'created' | 'running' | 'exited' | 'unknown';

/** A sidecar is an init container with `restartPolicy: Always` (podutil.IsRestartableInitContainer). */
export function isSidecar(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/** The spec of the container `name` in the list `type` names. */
export function findContainer(pod: ValidPod, name: string, type: ContainerType): Container | undefined {
  const list =
    type === 'init'
      ? (pod.spec.initContainers ?? [])
      : type === 'ephemeral'
        ? (pod.spec.ephemeralContainers ?? [])
        : pod.spec.containers;
  return list.find((c) => c.name === name);
}

/**
 * Will the kubelet (re)start this container on a later sync? (ShouldContainerBeRestarted,
 * extended with the init-container and sidecar rules of kuberuntime_container.go
 * computeInitContainerActions.) `newest` is the newest runtime instance of that container
 * name, if any. The sync loop uses it to decide what to start; status generation to decide
 * whether an exited container is shown as Waiting (about to be restarted) or stays Terminated.
 */
export function shouldContainerBeRestarted(
  pod: ValidPod,
  containerName: string,
  type: ContainerType,
  newest: { state: RuntimeState; exitCode?: number } | undefined,
): boolean {
  // A pod being deleted only winds down; nothing is started again.
  if (pod.metadata.deletionTimestamp) return false;
  // An ephemeral container runs once: only one that has no instance at all is started.
  if (type === 'ephemeral') return newest === undefined;
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
