// Container statuses from the runtime relist (kubelet_pods.go convertToAPIContainerStatuses
// plus cri-dockerd's state mapping): newest instance → state, second newest → lastState,
// restart-pending exits shown as Waiting with the reason cache entry.
import type {
  Container,
  ContainerState,
  ContainerStateTerminated,
  ContainerStatus,
  ValidPod,
} from '../apis/core/types.js';
import type { ContainerType, RuntimeContainer, RuntimePodStatus } from '../runtime/runtime.js';
import { isSidecar, shouldContainerBeRestarted } from '../container/helpers.js';
import { apiTime } from './times.js';

export interface ContainerStatusInputs {
  waitingReasons?: Map<string, { reason: string; message?: string }>;
  readiness?: Map<string, boolean>;
  startup?: Map<string, boolean>;
}

export const containerID = (id: string): string => `docker://${id}`;

/** The repository part of an image reference: no tag, no digest. */
export function imageRepo(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/** dockershim-era imageID: the repo digest when the image came from a registry, else the local ID. */
export function imageID(inst: RuntimeContainer, specImage: string): string {
  if (inst.imageDigest) {
    const ref = inst.imageDigest.includes('@') ? inst.imageDigest : `${imageRepo(specImage)}@${inst.imageDigest}`;
    return `docker-pullable://${ref}`;
  }
  return inst.imageId ? `docker://${inst.imageId}` : '';
}

/** cri-dockerd's reason mapping for an exited instance (core/container_status.go ContainerStatus). */
export function terminatedState(inst: RuntimeContainer, terminationMessage?: string): ContainerStateTerminated {
  const exitCode = inst.exitCode ?? 0;
  let startedAt = apiTime(inst.startedAt);
  let finishedAt = apiTime(inst.finishedAt);
  let reason: string;
  if (inst.oomKilled) reason = 'OOMKilled';
  else if (exitCode !== 0 && (!startedAt || !finishedAt)) {
    // The start itself failed (e.g. executable not found): Docker never ran it.
    reason = 'ContainerCannotRun';
    startedAt = finishedAt = apiTime(inst.createdAt);
  } else reason = exitCode === 0 ? 'Completed' : 'Error';
  // kuberuntime: runtime message, then ": ", then the termination message.
  const message = [inst.error, terminationMessage].filter((m) => m).join(': ');
  return {
    exitCode,
    reason,
    ...(message ? { message } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    containerID: containerID(inst.id),
  };
}

function stateOf(inst: RuntimeContainer): ContainerState {
  switch (inst.state) {
    case 'running': {
      const startedAt = apiTime(inst.startedAt);
      return { running: startedAt ? { startedAt } : {} };
    }
    case 'exited':
      return { terminated: terminatedState(inst, inst.terminationMessage) };
    // Created-but-not-started (and unknown) containers are "waiting to run", no reason.
    default:
      return { waiting: {} };
  }
}

function oneStatus(
  pod: ValidPod,
  spec: Container,
  type: ContainerType,
  instances: RuntimeContainer[],
  inputs: ContainerStatusInputs,
): ContainerStatus {
  const hasInit = (pod.spec.initContainers ?? []).length > 0;
  const [newest, previous] = instances;
  const image = spec.image ?? newest?.image ?? '';
  let status: ContainerStatus;
  if (!newest) {
    // Nothing in the engine yet (pulling, or waiting for init containers).
    status = {
      name: spec.name,
      state: { waiting: { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image,
      imageID: '',
      started: false,
    };
  } else {
    const state = stateOf(newest);
    const lastState: ContainerState =
      previous && previous.state === 'exited'
        ? { terminated: terminatedState(previous, previous.terminationMessage) }
        : {};
    status = {
      name: spec.name,
      state,
      lastState,
      ready: false,
      restartCount: newest.restartCount,
      image,
      imageID: imageID(newest, image),
      containerID: containerID(newest.id),
      started: false,
    };
  }

  // Containers that the next sync will (re)start are Waiting with the reason the last
  // sync recorded; without a reason-cache entry the original state is kept (upstream).
  // (A regular init container that exited 0 is never restarted, so it keeps Terminated.)
  const cached = inputs.waitingReasons?.get(spec.name);
  if (cached && shouldContainerBeRestarted(pod, spec.name, type, newest)) {
    if (status.state.terminated) status.lastState = { terminated: status.state.terminated };
    status.state = { waiting: { reason: cached.reason, ...(cached.message ? { message: cached.message } : {}) } };
  }

  const running = status.state.running !== undefined;
  if (type === 'ephemeral') {
    // Never ready and without `started`: the prober's UpdatePodStatus only fills regular and init statuses.
    const { started: _s, ...rest } = status;
    return rest;
  }
  if (type === 'init' && !isSidecar(spec)) {
    // A regular init container is "ready" once it has completed successfully.
    status.started = running;
    status.ready = status.state.terminated?.exitCode === 0;
  } else {
    const id = newest?.id ?? '';
    const started = running && (!spec.startupProbe || inputs.startup?.get(id) === true);
    status.started = started;
    // Before the first readiness result the prober reports Failure.
    status.ready = started && (!spec.readinessProbe || inputs.readiness?.get(id) === true);
  }
  return status;
}

function instancesOf(rt: RuntimePodStatus, name: string): RuntimeContainer[] {
  // The relist is newest first; keep that order.
  return rt.containers.filter((c) => c.name === name);
}

/** Init container statuses, in spec order. */
export function initContainerStatuses(
  pod: ValidPod,
  rt: RuntimePodStatus,
  inputs: ContainerStatusInputs,
): ContainerStatus[] {
  return (pod.spec.initContainers ?? []).map((c) => oneStatus(pod, c, 'init', instancesOf(rt, c.name), inputs));
}

/** Regular container statuses, sorted by name (SortedContainerStatuses). */
export function containerStatuses(
  pod: ValidPod,
  rt: RuntimePodStatus,
  inputs: ContainerStatusInputs,
): ContainerStatus[] {
  return pod.spec.containers.map((c) => oneStatus(pod, c, 'container', instancesOf(rt, c.name), inputs)).sort(byName);
}

/**
 * Ephemeral container statuses, sorted by name: the containerStatus shape, never ready;
 * they take no part in the phase, READY or the pod's conditions.
 */
export function ephemeralContainerStatuses(
  pod: ValidPod,
  rt: RuntimePodStatus,
  inputs: ContainerStatusInputs,
): ContainerStatus[] {
  return (pod.spec.ephemeralContainers ?? [])
    .map((c) => oneStatus(pod, c, 'ephemeral', instancesOf(rt, c.name), inputs))
    .sort(byName);
}

const byName = (a: ContainerStatus, b: ContainerStatus): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
