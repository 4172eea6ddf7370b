// syncPod: one pass of the per-pod control loop (kubelet SyncPod). Steps:
//   1. relist the pod from the engine and publish its status;
//   2. plan (computePodActions);
//   3. kill what must go (sandbox lost, pod done, definition changed);
//   4. create the sandbox if needed;
//   5. start the next init container, or all app containers concurrently;
//   6. prune dead instances beyond the GC policy, relist and publish the status again.
// Returns when the worker should look again without an engine event (back-off).
// `signal` is the sync's context (pod_workers.go): when the pod starts terminating the
// worker aborts it, and the sync stops before its next step (every long wait — image
// pull, postStart hook — ends at once); the termination then runs.
import type { ValidPod } from '../apis/core/types.js';
import type { RuntimePodStatus } from '../runtime/runtime.js';
import { publishStatus, syncProbeWorkers } from './publish-status.js';
import { Reason } from '../events/reasons.js';
import { computePodActions, type ContainerToStart, type PodActions } from './pod-actions.js';
import { killContainer, killPod, terminationGrace } from './kill-pod.js';
import { createForStart, startContainer, startCreated } from './start-container.js';
import { DEFAULT_GC_POLICY, pruneOldInstances, unsettledInstances } from './container-gc.js';
import { usesPodIP } from './container-env.js';
import type { ReasonCache, SyncDeps } from './sync-deps.js';
import { errorMessage } from '../util/errors.js';
import { VolumeSetUpError } from '../container/errors.js';
import { containerFieldPath } from '../container/ref.js';
import { isPodPhaseTerminal } from '../apis/core/pod-util.js';
import { hasProjectedVolumes, podVolumePayloads } from './volume-payload.js';
import { sandboxConfig } from './sandbox-config.js';
import { PhaseTimer } from '../util/phase-timer.js';

/** The kubelet retries a failed pod sync after backOffPeriod, 10 s. */
export const SYNC_ERROR_RETRY_MS = 10_000;

export interface SyncResult {
  /** Sync again after this many ms even without an engine event. */
  requeueAfterMs?: number;
  /** The pod reached a terminal phase: the worker may stop syncing it. */
  terminal: boolean;
}

export async function syncPod(
  deps: SyncDeps,
  pod: ValidPod,
  reasons: ReasonCache,
  signal?: AbortSignal,
  listedAfter?: number,
): Promise<SyncResult> {
  const timer = new PhaseTimer();
  // Step 1: from the PLEG's newest relist when it was sent after this pod's last sync
  // (and no engine event for the pod came since), as the kubelet reads its podCache.
  let rt = await deps.runtime.getPodStatus(pod.metadata.uid, listedAfter !== undefined ? { listedAfter } : undefined);
  timer.mark('relist');
  const status = publishStatus(deps, pod, rt, reasons, false);
  syncProbeWorkers(deps, pod, rt, status);
  timer.mark('status');
  if (isPodPhaseTerminal(status.phase)) {
    // Terminal pods keep nothing running: stop leftovers (e.g. the sandbox).
    await killPod(deps, pod, rt);
    await refreshTerminalPodStatus(deps, pod, reasons);
    return { terminal: true };
  }

  // activeDeadlineSeconds, counted from status.startTime, fails the pod (an eviction-style handler).
  const deadlineIn = activeDeadlineRemaining(pod, status.startTime, deps.clock.now());
  if (deadlineIn !== undefined && deadlineIn <= 0) {
    await failPastDeadline(deps, pod, rt, reasons);
    return { terminal: true };
  }

  // Step 2
  const probes = deps.probes
    ? { probeFailures: deps.probes.failuresFor(pod.metadata.uid), startup: deps.probes.startupFor(rt) }
    : {};
  const actions = computePodActions(pod, rt, { now: deps.clock.now(), crashBackoff: deps.crashBackoff, ...probes });
  for (const held of actions.backOff) {
    reasons.set(held.name, { reason: 'CrashLoopBackOff', message: held.message });
    deps.events.event(
      pod,
      'Warning',
      Reason.BackOff,
      `Back-off restarting failed container ${held.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      containerFieldPath(pod, held.name),
    );
  }

  // Steps 3-5
  signal?.throwIfAborted();
  timer.mark('plan');
  const allStarted = await carryOut(deps, pod, rt, actions, reasons, timer, signal);

  // Step 6 (a sync that changed nothing in the engine reuses step 1's relist). Pruning
  // runs here, in the pod's own worker, so garbage collection never races a sync; it
  // also runs when a container died before this sync (2 dead instances, the policy keeps
  // 1). One that died or was created during it waits for the next sync (unsettledInstances).
  const seen = rt;
  const changed = changesEngine(actions);
  if (changed) rt = await deps.runtime.getPodStatus(pod.metadata.uid);
  timer.mark('relist');
  const policy = deps.gcPolicy ?? DEFAULT_GC_POLICY;
  if (await pruneOldInstances(deps.runtime, rt, policy, deps.clock.now(), unsettledInstances(seen, rt)))
    rt = await deps.runtime.getPodStatus(pod.metadata.uid);
  timer.mark('prune');
  const after = publishStatus(deps, pod, rt, reasons, actions.podDone);
  syncProbeWorkers(deps, pod, rt, after);
  timer.mark('status');
  // Where a start's time goes (issue #17); only syncs that changed something, so an idle
  // resync logs nothing.
  if (changed) {
    const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
    deps.log.debug({ pod: ref, uid: pod.metadata.uid, phases: timer.summary() }, 'sync phases');
  }
  const imageRetry = deps.images.nextRetryMs(pod.metadata.uid);
  // A container that could not be created or started is retried like a failed sync.
  const waits = [
    ...(allStarted ? [] : [SYNC_ERROR_RETRY_MS]),
    ...actions.backOff.map((b) => b.remainingMs + 50),
    ...(deadlineIn !== undefined ? [deadlineIn + 50] : []),
    ...(imageRetry !== undefined ? [imageRetry + 50] : []),
  ];
  const requeue = waits.length ? Math.min(...waits) : undefined;
  return {
    terminal: isPodPhaseTerminal(after.phase),
    ...(requeue !== undefined ? { requeueAfterMs: requeue } : {}),
  };
}

/**
 * A terminal pod's status generated once more from the engine, nothing started or
 * stopped: after its leftovers were stopped, and for what the engine tells after the exit
 * the pod went terminal on (an `oom` event dockerd sends late, relist.ts).
 */
export async function refreshTerminalPodStatus(
  deps: SyncDeps,
  pod: ValidPod,
  reasons: ReasonCache,
  listedAfter?: number,
): Promise<void> {
  const rt = await deps.runtime.getPodStatus(pod.metadata.uid, listedAfter !== undefined ? { listedAfter } : undefined);
  syncProbeWorkers(deps, pod, rt, publishStatus(deps, pod, rt, reasons, false));
}

/** Containers created while the sandbox starts: each creation's outcome, never a rejection. */
type EarlyCreates = Map<ContainerToStart, Promise<{ id: string | false } | { err: unknown }>>;

const settle = (p: Promise<string | false>) =>
  p.then(
    (id) => ({ id }),
    (err: unknown) => ({ err }),
  );

/**
 * Issue #17, lever 2: the containers a new sandbox starts first (the first init
 * container, or every app container) are created while the sandbox starts and its
 * network is set up, as the raw Docker sequence does; they are started once it runs.
 * Not when a container's config needs the pod IP (env from status.podIP), nor when
 * sidecars must start first (their order is the spec's). The kubelet itself creates
 * them after RunPodSandbox returns; the engine's order of calls is all that differs.
 */
function createWhileSandboxStarts(a: PodActions): ContainerToStart[] {
  if (a.sidecarsToRestart.length > 0 || needsPodIP(a)) return [];
  return a.initToStart ? [a.initToStart] : a.containersToStart;
}

/** The sandbox did not start: what was created for it goes too (nothing half-made is left). */
async function removeEarlyCreates(deps: SyncDeps, early: EarlyCreates): Promise<void> {
  for (const r of await Promise.all(early.values())) {
    if ('id' in r && r.id !== false) await deps.runtime.removeContainer(r.id).catch(() => undefined);
  }
}

function changesEngine(a: PodActions): boolean {
  return (
    a.killPod ||
    a.createSandbox ||
    a.initToStart !== undefined ||
    a.sidecarsToRestart.length > 0 ||
    a.containersToStart.length > 0 ||
    a.ephemeralToStart.length > 0 ||
    a.containersToKill.length > 0
  );
}

function needsPodIP(actions: PodActions): boolean {
  const todo = [
    ...actions.sidecarsToRestart,
    ...(actions.initToStart ? [actions.initToStart] : []),
    ...actions.containersToStart,
    ...actions.ephemeralToStart,
  ];
  return todo.some((t) => usesPodIP(t.container));
}

function activeDeadlineRemaining(pod: ValidPod, startTime: string | undefined, now: number): number | undefined {
  const ads = pod.spec.activeDeadlineSeconds;
  if (ads === undefined || !startTime) return undefined;
  return Date.parse(startTime) + ads * 1000 - now;
}

const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

/** Kill every container with the normal grace, then Failed / DeadlineExceeded for good. */
async function failPastDeadline(
  deps: SyncDeps,
  pod: ValidPod,
  rt: RuntimePodStatus,
  reasons: ReasonCache,
): Promise<void> {
  deps.events.event(pod, 'Normal', Reason.DeadlineExceeded, DEADLINE_MESSAGE);
  await killPod(deps, pod, rt);
  const after = await deps.runtime.getPodStatus(pod.metadata.uid);
  const status = publishStatus(deps, pod, after, reasons, true);
  syncProbeWorkers(deps, pod, after, status);
  deps.status.setStatus(pod.metadata.uid, {
    ...status,
    phase: 'Failed',
    reason: 'DeadlineExceeded',
    message: DEADLINE_MESSAGE,
  });
}

/**
 * kubelet SyncPod's WaitForAttachAndMount: volumes are set up before the sandbox and
 * before any container starts. A failure is a FailedMount Warning; the pod stays in
 * ContainerCreating and the sync is retried (the reconciler's retry, here the sync's).
 * configMap/secret/downwardAPI/projected volumes are rewritten on every sync (the
 * volume manager's periodic remount), so an update reaches running containers.
 */
async function volumesReady(deps: SyncDeps, pod: ValidPod, actions: PodActions, timer: PhaseTimer): Promise<boolean> {
  const starting =
    actions.createSandbox ||
    actions.initToStart !== undefined ||
    actions.sidecarsToRestart.length > 0 ||
    actions.containersToStart.length > 0 ||
    actions.ephemeralToStart.length > 0;
  if (!starting && !hasProjectedVolumes(pod)) return true;
  try {
    const payloads = podVolumePayloads(pod, deps.objects, deps.serviceAccountToken);
    timer.mark('volume_payloads');
    await deps.runtime.setUpPodVolumes(pod, payloads);
    timer.mark('volume_setup');
    return true;
  } catch (err) {
    if (!(err instanceof VolumeSetUpError)) throw err;
    deps.events.event(pod, 'Warning', Reason.FailedMount, err.eventMessage);
    return false;
  }
}

/** Carries out the plan; false when a container could not be created or started. */
async function carryOut(
  deps: SyncDeps,
  pod: ValidPod,
  rt: RuntimePodStatus,
  actions: PodActions,
  reasons: ReasonCache,
  timer: PhaseTimer,
  signal?: AbortSignal,
): Promise<boolean> {
  if (actions.killPod) {
    if (actions.sandboxChanged) {
      deps.events.event(pod, 'Normal', Reason.SandboxChanged, 'Pod sandbox changed, it will be killed and re-created.');
    }
    await killPod(deps, pod, rt);
  }
  if (actions.podDone) return true;
  await Promise.all(
    actions.containersToKill.map((k) => {
      const inst = rt.containers.find((c) => c.id === k.id);
      return inst
        ? killContainer(deps, pod, inst, k.message, terminationGrace(pod, k.graceSeconds), actions.sandbox?.ip)
        : undefined;
    }),
  );

  timer.mark('kill');
  signal?.throwIfAborted();
  if (!(await volumesReady(deps, pod, actions, timer))) return false;
  let sandboxId = actions.sandbox?.id;
  let podIP = actions.sandbox?.ip;
  // Filled only if the runtime tells the new sandbox's ID before its start.
  const early: EarlyCreates = new Map();
  if (actions.createSandbox) {
    const overlap = createWhileSandboxStarts(actions);
    const whenCreated = overlap.length
      ? (id: string) => {
          for (const t of overlap) early.set(t, settle(createForStart(deps, pod, id, t, reasons, undefined, signal)));
        }
      : undefined;
    try {
      const config = deps.dns ? sandboxConfig(deps, deps.dns, pod) : undefined;
      sandboxId = await deps.runtime.runSandbox(pod, actions.sandboxAttempt, config, whenCreated);
    } catch (err) {
      await removeEarlyCreates(deps, early);
      deps.events.event(
        pod,
        'Warning',
        Reason.FailedCreatePodSandBox,
        `Failed to create pod sandbox: ${errorMessage(err)}`,
      );
      throw err;
    }
    timer.mark('sandbox');
    // status.podIP env values and httpGet hooks need the new pod IP.
    if (needsPodIP(actions))
      podIP = (await deps.runtime.getPodStatus(pod.metadata.uid)).sandboxes.find((s) => s.id === sandboxId)?.ip;
    timer.mark('pod_ip');
  }
  if (!sandboxId) return true;
  // Cancelled meanwhile: the creations still in flight finish first, so the termination
  // that follows sees (and removes) every container this sync made.
  if (signal?.aborted) await Promise.all(early.values());
  signal?.throwIfAborted();
  // doBackOff: a restart after a crash advances its back-off entry as it starts.
  const start = async (todo: ContainerToStart) => {
    if (todo.backOff) deps.crashBackoff.next(todo.backOff.key, todo.backOff.sinceMs);
    const made = early.get(todo);
    if (!made) return startContainer(deps, pod, sandboxId!, todo, reasons, podIP, signal);
    const r = await made;
    if ('err' in r) throw r.err;
    return r.id !== false && startCreated(deps, pod, r.id, todo, reasons, podIP, signal);
  };
  // SyncPod step 6: init containers one by one in spec order; a sidecar that fails to
  // start is skipped (it is retried on the next sync), a regular one ends the step.
  let sidecarsStarted = true;
  for (const todo of actions.sidecarsToRestart) {
    if (!(await start(todo))) sidecarsStarted = false;
    signal?.throwIfAborted();
  }
  // The seed notes: "containers start in parallel". Creation and start of every app
  // container run concurrently, bounded by the runtime's engine queue.
  const started = actions.initToStart
    ? [await start(actions.initToStart)]
    : await Promise.all(actions.containersToStart.map(start));
  // Ephemeral containers last (SyncPod's final step), never holding the others back.
  signal?.throwIfAborted();
  const ephemeral = await Promise.all(actions.ephemeralToStart.map(start));
  timer.mark('containers');
  return sidecarsStarted && [...started, ...ephemeral].every(Boolean);
}
