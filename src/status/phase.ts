// Pod phase from the generated container statuses (pkg/kubelet/kubelet_pods.go getPhase).
import type { ContainerStatus, PodPhase, PodStatus, ValidPod } from '../apis/core/types.js';
import { isSidecar } from '../container/helpers.js';
import { isPodPhaseTerminal, isStaticPod } from '../apis/core/pod-util.js';

export function isPodTerminal(status: PodStatus | undefined): boolean {
  return isPodPhaseTerminal(status?.phase);
}

const find = (list: ContainerStatus[], name: string) => list.find((s) => s.name === name);

/**
 * Has the pod got past initialization? True once a regular container has run, or the last
 * init container is done (a sidecar started, a regular one exited 0).
 */
export function hasPodInitialized(
  pod: ValidPod,
  initStatuses: ContainerStatus[],
  statuses: ContainerStatus[],
): boolean {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) return true;
  if (statuses.some((s) => s.lastState.terminated || !s.state.waiting)) return true;
  const last = inits[inits.length - 1]!;
  const st = find(initStatuses, last.name);
  if (!st) return false;
  if (isSidecar(last)) return st.started === true;
  return st.state.terminated?.exitCode === 0;
}

export function getPhase(
  pod: ValidPod,
  initStatuses: ContainerStatus[],
  statuses: ContainerStatus[],
  podIsTerminal: boolean,
): PodPhase {
  const policy = pod.spec.restartPolicy;
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  let unknown = 0,
    running = 0,
    waiting = 0,
    stopped = 0,
    succeeded = 0;

  for (const c of pod.spec.initContainers ?? []) {
    const st = find(initStatuses, c.name);
    if (isSidecar(c)) {
      if (!st) {
        unknown++;
        continue;
      }
      if (st.state.running) {
        if (st.started !== true) pendingSidecars++;
        running++;
      } else if (st.state.terminated) {
        // Terminated sidecars do not count.
      } else if (st.state.waiting) {
        if (!st.lastState.terminated) {
          pendingSidecars++;
          waiting++;
        }
      } else {
        pendingSidecars++;
        unknown++;
      }
      continue;
    }
    if (!st) {
      pendingInit++;
      continue;
    }
    if (st.state.running) pendingInit++;
    else if (st.state.terminated) {
      if (st.state.terminated.exitCode !== 0) failedInit++;
    } else if (st.state.waiting) {
      if (st.lastState.terminated) {
        if (st.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }

  for (const c of pod.spec.containers) {
    const st = find(statuses, c.name);
    if (!st) {
      unknown++;
      continue;
    }
    if (st.state.running) running++;
    else if (st.state.terminated) {
      stopped++;
      if (st.state.terminated.exitCode === 0) succeeded++;
    } else if (st.state.waiting) {
      if (st.lastState.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  // (a) A failed init container that will not be retried fails the pod.
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  // (b) Still initializing.
  if (pendingInit > 0 || (pendingSidecars > 0 && !hasPodInitialized(pod, initStatuses, statuses))) return 'Pending';
  // (c) Some container has not started yet.
  if (waiting > 0) return 'Pending';
  // (d)
  if (running > 0 && unknown === 0) return 'Running';
  // (e) Everything that runs has stopped.
  if (running === 0 && stopped > 0 && unknown === 0) {
    // (e1) A pod being killed will not restart anything (static pods excepted, upstream TODO #116484).
    if (podIsTerminal && !isStaticPod(pod)) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running'; // (e2) restarting
    if (stopped === succeeded) return 'Succeeded'; // (e3)
    if (policy === 'Never') return 'Failed'; // (e4)
    return 'Running'; // (e5) OnFailure, restarting the failed ones
  }
  return 'Pending'; // (f)
}
