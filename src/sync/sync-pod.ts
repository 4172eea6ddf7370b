// syncPod: one pass of the per-pod control loop (kubelet SyncPod). Steps:
//   1. relist the pod from the engine and publish its status;
//   2. plan (computePodActions);
//   3. kill what must go (sandbox lost, pod done, definition changed);
//   4. create the sandbox if needed;
//   5. start the next init container, or all app containers concurrently;
//   6. prune old instances, relist and publish the status again.
// Returns when the worker should look again without an engine event (back-off).
import type { ValidPod } from '../spec/types.js';
import type { RuntimePodStatus } from '../runtime/runtime.js';
import { generatePodStatus } from '../status/generate.js';
import { Reason } from '../events/reasons.js';
import { computePodActions, type PodActions } from './pod-actions.js';
import { killContainer, killPod, effectiveGrace } from './kill-pod.js';
import { startContainer } from './start-container.js';
import { pruneOldInstances } from './container-gc.js';
import type { ReasonCache, SyncDeps } from './sync-context.js';
import { errorMessage } from '../util/errors.js';

export interface SyncResult {
  /** Sync again after this many ms even without an engine event. */
  requeueAfterMs?: number;
  /** The pod reached a terminal phase: the worker may stop syncing it. */
  terminal: boolean;
}

export async function syncPod(deps: SyncDeps, pod: ValidPod, reasons: ReasonCache): Promise<SyncResult> {
  // Step 1
  let rt = await deps.runtime.getPodStatus(pod.metadata.uid);
  const status = publishStatus(deps, pod, rt, reasons, false);
  if (status.phase === 'Succeeded' || status.phase === 'Failed') {
    // Terminal pods keep nothing running: stop leftovers (e.g. the sandbox).
    await killPod(deps, pod, rt);
    rt = await deps.runtime.getPodStatus(pod.metadata.uid);
    publishStatus(deps, pod, rt, reasons, false);
    return { terminal: true };
  }

  // Step 2
  const actions = computePodActions(pod, rt, { now: deps.clock.now(), crashBackoff: deps.crashBackoff });
  for (const held of actions.backOff) {
    reasons.set(held.name, { reason: 'CrashLoopBackOff', message: held.message });
    deps.events.event(pod, 'Warning', Reason.BackOff,
      `Back-off restarting failed container ${held.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      `spec.${pod.spec.initContainers?.some((c) => c.name === held.name) ? 'initContainers' : 'containers'}{${held.name}}`);
  }

  // Steps 3-5
  await carryOut(deps, pod, rt, actions, reasons);

  // Step 6
  rt = await deps.runtime.getPodStatus(pod.metadata.uid);
  await pruneOldInstances(deps.runtime, rt);
  const after = publishStatus(deps, pod, rt, reasons, actions.podDone);
  const requeue = actions.backOff.length ? Math.min(...actions.backOff.map((b) => b.remainingMs)) + 50 : undefined;
  return { terminal: after.phase === 'Succeeded' || after.phase === 'Failed', ...(requeue !== undefined ? { requeueAfterMs: requeue } : {}) };
}

async function carryOut(deps: SyncDeps, pod: ValidPod, rt: RuntimePodStatus, actions: PodActions, reasons: ReasonCache): Promise<void> {
  if (actions.killPod) {
    if (actions.sandboxChanged) {
      deps.events.event(pod, 'Normal', Reason.SandboxChanged, 'Pod sandbox changed, it will be killed and re-created.');
    }
    await killPod(deps, pod, rt);
  }
  if (actions.podDone) return;
  await Promise.all(actions.containersToKill.map((k) => {
    const inst = rt.containers.find((c) => c.id === k.id);
    return inst ? killContainer(deps, pod, inst, k.message, effectiveGrace(pod)) : undefined;
  }));

  let sandboxId = actions.sandbox?.id;
  if (actions.createSandbox) {
    try {
      sandboxId = await deps.runtime.runSandbox(pod, actions.sandboxAttempt);
    } catch (err) {
      deps.events.event(pod, 'Warning', Reason.FailedCreatePodSandBox, `Failed to create pod sandbox: ${errorMessage(err)}`);
      throw err;
    }
  }
  if (!sandboxId) return;
  if (actions.initToStart) {
    await startContainer(deps, pod, sandboxId, actions.initToStart, reasons);
    return;
  }
  // The seed notes: "containers start in parallel". Creation and start of every app
  // container run concurrently, bounded by the runtime's engine queue.
  await Promise.all(actions.containersToStart.map((todo) => startContainer(deps, pod, sandboxId!, todo, reasons)));
}

export function publishStatus(deps: SyncDeps, pod: ValidPod, rt: RuntimePodStatus, reasons: ReasonCache, podIsTerminal: boolean) {
  const previous = deps.status.getStatus(pod.metadata.uid);
  const hostIP = deps.hostIP();
  const status = generatePodStatus(pod, rt, {
    now: deps.clock.now(),
    ...(previous ? { previous } : {}),
    ...(hostIP ? { hostIP } : {}),
    waitingReasons: reasons,
    podIsTerminal: podIsTerminal || pod.metadata.deletionTimestamp !== undefined,
  });
  deps.status.setStatus(pod.metadata.uid, status);
  return status;
}
