// startContainer (kuberuntime_container.go): ensure the image, create, start, and
// record Created/Started or the reason it could not, for the status to show.
import { totalmem } from 'node:os';
import { oomScoreAdjust } from '../status/qos.js';
import type { Container, ValidPod } from '../apis/core/types.js';
import { podHostname } from '../apis/core/pod-util.js';
import { runHook } from '../lifecycle/handlers.js';
import { killContainer, terminationGrace } from './kill-pod.js';
import { expandCommand, expandVolumeMounts } from '../container/expand.js';
import { containerEnv } from './container-env.js';
import { kubernetesServiceEnv } from './service-env.js';
import { ContainerConfigError } from '../container/errors.js';
import { containerFieldPath } from '../container/ref.js';
import { Reason } from '../events/reasons.js';
import { ImageError } from '../images/image-manager.js';
import { errorMessage } from '../util/errors.js';
import { crashPoint } from '../util/crash-point.js';
import type { ContainerToStart } from './pod-actions.js';
import type { ReasonCache, SyncDeps } from './sync-deps.js';

export async function startContainer(
  deps: SyncDeps,
  pod: ValidPod,
  sandboxId: string,
  todo: ContainerToStart,
  reasons: ReasonCache,
  podIP?: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const id = await createForStart(deps, pod, sandboxId, todo, reasons, podIP, signal);
  return id !== false && startCreated(deps, pod, id, todo, reasons, podIP, signal);
}

/**
 * The first half of startContainer: image, config, create, the Created event. Returns
 * the container's ID, or false when it could not be created (the reason is recorded).
 * The sync calls it on its own while the sandbox starts (sync-pod.ts carryOut).
 */
export async function createForStart(
  deps: SyncDeps,
  pod: ValidPod,
  sandboxId: string,
  todo: ContainerToStart,
  reasons: ReasonCache,
  podIP?: string,
  signal?: AbortSignal,
): Promise<string | false> {
  const c = todo.container;
  const { fieldPath, warn } = containerEvents(deps, pod, c);
  try {
    await deps.images.ensureImageExists(pod, c, signal);
  } catch (err) {
    if (!(err instanceof ImageError)) throw err;
    reasons.set(c.name, { reason: err.reason, message: err.message });
    warn(`Error: ${err.reason}`);
    return false;
  }
  let built: ReturnType<typeof containerEnv>;
  try {
    const hostIP = deps.hostIP();
    built = containerEnv(
      pod,
      c,
      {
        ...(podIP ? { podIP } : {}),
        ...(hostIP ? { hostIP } : {}),
        ...(deps.objects ? { objects: deps.objects } : {}),
      },
      { ...serviceEnv(deps), ...podEnv(pod) },
    );
  } catch (err) {
    if (!(err instanceof ContainerConfigError)) throw err;
    reasons.set(c.name, { reason: 'CreateContainerConfigError', message: err.message });
    warn(`Error: ${err.message}`);
    return false;
  }
  const { env, lookup } = built;
  const { command, args } = expandCommand(c, lookup);
  let id: string;
  // Cancelled (the pod is being deleted) while the image was pulled: create nothing more.
  signal?.throwIfAborted();
  try {
    const volumeMounts = expandVolumeMounts(c, lookup);
    id = await deps.runtime.createContainer({
      pod,
      container: c,
      type: todo.type,
      sandboxId,
      restartCount: todo.restartCount,
      ...(todo.pidTargetId ? { pidTargetId: todo.pidTargetId } : {}),
      env,
      command,
      args,
      volumeMounts,
      // The machine's memory as the kubelet's cadvisor reports it: the engine runs on this host.
      oomScoreAdj: oomScoreAdjust(pod, c, totalmem()),
    });
  } catch (err) {
    // makeMounts errors (subPathExpr, subPath) are config errors, as in generateContainerConfig.
    const reason = err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError';
    reasons.set(c.name, { reason, message: errorMessage(err) });
    warn(`Error: ${errorMessage(err)}`);
    return false;
  }
  crashPoint('container-created');
  deps.events.event(pod, 'Normal', Reason.Created, `Created container: ${c.name}`, fieldPath);
  return id;
}

/** The second half: start, the Started event, the postStart hook. */
export async function startCreated(
  deps: SyncDeps,
  pod: ValidPod,
  id: string,
  todo: ContainerToStart,
  reasons: ReasonCache,
  podIP?: string,
  signal?: AbortSignal,
): Promise<boolean> {
  const c = todo.container;
  const { fieldPath, warn } = containerEvents(deps, pod, c);
  signal?.throwIfAborted();
  try {
    await deps.runtime.startContainer(id);
    crashPoint('container-started');
  } catch (err) {
    reasons.set(c.name, { reason: 'RunContainerError', message: errorMessage(err) });
    warn(`Error: ${errorMessage(err)}`);
    return false;
  }
  deps.events.event(pod, 'Normal', Reason.Started, `Started container ${c.name}`, fieldPath);
  if (c.lifecycle?.postStart && !(await postStart(deps, pod, c, id, reasons, podIP, signal))) return false;
  reasons.delete(c.name);
  return true;
}

/** The container's event path and its `Failed` warning, which both halves of a start report with. */
function containerEvents(deps: SyncDeps, pod: ValidPod, c: Container) {
  const fieldPath = containerFieldPath(pod, c.name);
  return { fieldPath, warn: (msg: string) => deps.events.event(pod, 'Warning', Reason.Failed, msg, fieldPath) };
}

/**
 * Runs synchronously in the sync, so the pod's status is not republished (the
 * container still shows Waiting) until it returns; it has no timeout. A failure kills
 * the container, which then restarts per policy (PostStartHookError). The sync's
 * signal ends the wait (the pod is being deleted, pod_workers.go cancels the sync's
 * context): then the container is left to the termination that follows, which kills
 * it with the pod's grace.
 */
async function postStart(
  deps: SyncDeps,
  pod: ValidPod,
  c: Container,
  id: string,
  reasons: ReasonCache,
  podIP?: string,
  signal: AbortSignal = new AbortController().signal,
): Promise<boolean> {
  const running = runHook(
    deps.hooks,
    { pod, container: c, containerId: id, ...(podIP ? { podIP } : {}) },
    c.lifecycle!.postStart!,
    signal,
  );
  crashPoint('poststart-running');
  const outcome = await running;
  signal.throwIfAborted();
  if (outcome.ok) return true;
  deps.events.event(pod, 'Warning', Reason.FailedPostStartHook, outcome.message, containerFieldPath(pod, c.name));
  const inst = (await deps.runtime.getPodStatus(pod.metadata.uid)).containers.find((x) => x.id === id);
  if (inst) await killContainer(deps, pod, inst, 'FailedPostStartHook', terminationGrace(pod), podIP);
  reasons.set(c.name, { reason: 'PostStartHookError', message: outcome.message });
  return false;
}

/** The `kubernetes` service's variables, when the agent serves its API (container env wins). */
function serviceEnv(deps: SyncDeps): Record<string, string> {
  const svc = deps.apiService?.();
  return svc ? kubernetesServiceEnv(svc) : {};
}

/** Variables the kubelet always knows about a pod (none are secrets). */
function podEnv(pod: ValidPod): Record<string, string> {
  return { HOSTNAME: podHostname(pod) };
}
