// computePodActions: a plan of what one sync must do to move the runtime state of a
// pod toward its spec (pkg/kubelet/kuberuntime/kuberuntime_manager.go). The plan is
// carried out by sync-pod.ts. It is pure, which keeps it table-testable: a restart it
// allows carries the crash-loop back-off entry to record, and syncPod records it when
// it actually starts the container (the kubelet's doBackOff, called from SyncPod's
// start step).
import type { Container, ValidPod } from '../apis/core/types.js';
import type { RuntimeContainer, RuntimePodStatus, RuntimeSandbox } from '../runtime/runtime.js';
import { containerHash } from '../runtime/labels.js';
import type { Backoff } from '../util/backoff.js';
import { goDuration } from '../util/go-duration.js';
import { isSidecar, shouldContainerBeRestarted } from '../container/helpers.js';

export interface ContainerToKill {
  id: string;
  name: string;
  message: string;
  /** A probe-level terminationGracePeriodSeconds replacing the pod's for this kill. */
  graceSeconds?: number;
}
export interface ContainerToStart {
  container: Container;
  type: 'init' | 'container' | 'ephemeral';
  restartCount: number;
  /** An ephemeral container's target (targetContainerName): the runtime ID whose PID namespace it joins. */
  pidTargetId?: string;
  /** A restart after a crash: the back-off entry to advance when the start happens. */
  backOff?: BackOffEntry;
}
/** Which crash-loop entry to advance, from when the previous instance finished. */
export interface BackOffEntry {
  key: string;
  sinceMs: number;
}
export interface HeldBack {
  name: string;
  message: string;
  remainingMs: number;
}

export interface PodActions {
  /** Stop every container and the sandbox (sandbox lost, or the pod is done). */
  killPod: boolean;
  /** The pod has nothing left to run: after killPod it is terminal. */
  podDone: boolean;
  createSandbox: boolean;
  sandboxAttempt: number;
  /** The usable running sandbox, when not re-creating one. */
  sandbox?: RuntimeSandbox;
  /** The sandbox existed and is gone: SandboxChanged. */
  sandboxChanged: boolean;
  /** The next init container of the sequence (at most one per sync). */
  initToStart?: ContainerToStart;
  /**
   * Sidecars to start again (exited, killed for a probe or a spec change, or gone), in spec
   * order, before initToStart / the app containers; one held back by back-off is skipped.
   */
  sidecarsToRestart: ContainerToStart[];
  containersToStart: ContainerToStart[];
  /** Ephemeral containers to start once, after the init or app containers of this sync. */
  ephemeralToStart: ContainerToStart[];
  containersToKill: ContainerToKill[];
  /** Containers whose restart is held back by crash-loop back-off. */
  backOff: HeldBack[];
}

/** What planning reads of the crash-loop back-off; it never writes it. */
export type CrashBackoffReader = Pick<Backoff, 'isInBackOffSince' | 'get' | 'remaining'>;

export interface PlanContext {
  now: number;
  crashBackoff: CrashBackoffReader;
  /** Running containers (by runtime ID) whose liveness or startup probe reported Failure. */
  probeFailures?: Map<string, 'liveness' | 'startup'>;
  /** Startup probe results by runtime ID (true = succeeded); gates the init sequence after a sidecar. */
  startup?: Map<string, boolean>;
}

export function newestInstance(
  rt: RuntimePodStatus,
  name: string,
  type: 'init' | 'container',
): RuntimeContainer | undefined {
  return rt.containers.find((c) => c.name === name && c.type === type);
}

export function backoffKey(pod: ValidPod, c: Container): string {
  const m = pod.metadata;
  return `${m.uid}/${m.name}_${m.namespace}/${c.name}/${containerHash(c)}`;
}

export function crashLoopMessage(pod: ValidPod, name: string, delayMs: number): string {
  const m = pod.metadata;
  return `back-off ${goDuration(delayMs)} restarting failed container=${name} pod=${m.name}_${m.namespace}(${m.uid})`;
}

export function computePodActions(pod: ValidPod, rt: RuntimePodStatus, ctx: PlanContext): PodActions {
  const actions: PodActions = {
    killPod: false,
    podDone: false,
    createSandbox: false,
    sandboxAttempt: 0,
    sandboxChanged: false,
    containersToStart: [],
    ephemeralToStart: [],
    sidecarsToRestart: [],
    containersToKill: [],
    backOff: [],
  };
  const newest = rt.sandboxes[0];
  const initContainers = pod.spec.initContainers ?? [];

  // Step 1: does the sandbox need (re-)creating? Also when it runs without an IP
  // (kuberuntime_manager.go podSandboxChanged: "Sandbox for pod has no IP address. Need
  // to start a new one"): a kill -9 between the sandbox's start and its CNI ADD.
  const noIp = newest?.state === 'running' && !newest.ip && pod.spec.hostNetwork !== true;
  if (!newest || newest.state !== 'running' || noIp) {
    const anyRan = rt.containers.length > 0;
    // A Never pod whose containers already ran is not brought back (kubelet: podSandboxChanged exception).
    if (anyRan && pod.spec.restartPolicy === 'Never') {
      actions.killPod = true;
      actions.podDone = true;
      return actions;
    }
    // A sandbox removed from the engine (docker rm -f) leaves only its containers:
    // that is a changed sandbox too, and the attempt moves past every one they saw.
    const changed = newest !== undefined || anyRan;
    actions.createSandbox = true;
    actions.sandboxChanged = changed;
    actions.killPod = changed;
    actions.sandboxAttempt = newest ? newest.attempt + 1 : new Set(rt.containers.map((c) => c.sandboxId)).size;
    // A new sandbox re-runs init containers from the first one, then app containers;
    // a container that crashed before still waits out its back-off (SyncPod's start
    // runs doBackOff for every container, after a sandbox change too).
    const first = initContainers[0];
    if (first) {
      const todo = restartInNewSandbox(pod, rt, first, 'init', ctx, actions);
      if (todo) actions.initToStart = todo;
    } else {
      for (const c of pod.spec.containers) {
        const todo = restartInNewSandbox(pod, rt, c, 'container', ctx, actions);
        if (todo) actions.containersToStart.push(todo);
      }
    }
    return actions;
  }
  actions.sandbox = newest;

  // Step 2: init containers, one after another, each inside the current sandbox.
  const init = planInitContainers(pod, rt, newest, ctx, actions);
  if (init === 'failed') {
    actions.killPod = true;
    actions.podDone = true;
    return actions;
  }
  if (init === 'pending') {
    planEphemeralContainers(pod, rt, actions);
    return actions;
  }

  // Step 3: app containers, all at once.
  let keepRunning = 0;
  for (const c of pod.spec.containers) {
    const inst = newestInstance(rt, c.name, 'container');
    if (!inst) {
      actions.containersToStart.push({ container: c, type: 'container', restartCount: 0 });
      keepRunning++;
      continue;
    }
    if (inst.state === 'running') {
      if (inst.hash !== containerHash(c)) {
        actions.containersToKill.push({
          id: inst.id,
          name: c.name,
          message: `Container ${c.name} definition changed, will be restarted`,
        });
        actions.containersToStart.push({ container: c, type: 'container', restartCount: inst.restartCount + 1 });
      } else if (ctx.probeFailures?.has(inst.id)) {
        if (!planProbeKill(pod, c, inst, rt, ctx, actions)) continue;
      }
      keepRunning++;
      continue;
    }
    // created (start failed or never started), exited or unknown: restart per policy.
    if (!shouldContainerBeRestarted(pod, c.name, 'container', inst)) continue;
    keepRunning++;
    const backOff = crashLoopBackOff(pod, c, 'container', rt, ctx, actions);
    if (backOff === 'held') continue;
    killIfUnknown(c, inst, actions);
    actions.containersToStart.push({
      container: c,
      type: 'container',
      restartCount: inst.restartCount + 1,
      ...backOff,
    });
  }
  if (keepRunning === 0) {
    // Sidecars never keep a pod alive: with no app container left to run, the pod is
    // done and they are not restarted (computePodActions clears InitContainersToStart);
    // killPod stops them after the app containers, in reverse order.
    actions.killPod = true;
    actions.podDone = true;
    actions.sidecarsToRestart = [];
  } else planEphemeralContainers(pod, rt, actions);
  return actions;
}

/**
 * computePodActions' ephemeral step: an ephemeral container with no instance in the
 * engine is started, once, in the running sandbox (during init too); one that ran is
 * never started again, whatever its exit. With targetContainerName it joins the
 * target's PID namespace, so it waits until the target has a running instance (the
 * kubelet takes the target's ID from the pod status; Docker can only join a running
 * container's namespace).
 */
function planEphemeralContainers(pod: ValidPod, rt: RuntimePodStatus, actions: PodActions): void {
  if (pod.metadata.deletionTimestamp) return;
  for (const ec of pod.spec.ephemeralContainers ?? []) {
    if (rt.containers.some((c) => c.name === ec.name)) continue;
    const todo: ContainerToStart = { container: ec, type: 'ephemeral', restartCount: 0 };
    if (ec.targetContainerName) {
      const target = rt.containers.find((c) => c.name === ec.targetContainerName && c.state === 'running');
      if (!target) continue;
      todo.pidTargetId = target.id;
    }
    actions.ephemeralToStart.push(todo);
  }
}

type InitOutcome = 'done' | 'pending' | 'failed';

/**
 * computeInitContainerActions (kuberuntime_container.go, kubelet 1.32): walks the init
 * containers backwards, since the newest one with a record tells how far initialization
 * got; once it finds that frontier, the earlier ones only matter if they are sidecars
 * (kept running). A sidecar lets the next init container start once it is Running and
 * started (startup probe passed); it is restarted whenever it exits (any exit code, any
 * pod policy), fails liveness/startup, or its spec changes. Returns 'done' when the pod
 * is initialized (an app container was created, or the last init container is done).
 */
function planInitContainers(
  pod: ValidPod,
  rt: RuntimePodStatus,
  sandbox: RuntimeSandbox,
  ctx: PlanContext,
  actions: PodActions,
): InitOutcome {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) return 'done';
  const inSandbox = (name: string, type: 'init' | 'container') =>
    rt.containers.find((x) => x.name === name && x.type === type && x.sandboxId === sandbox.id);
  // An app container created or running proves the init containers ran (their records may be gone).
  let initialized = pod.spec.containers.some((c) => {
    const st = inSandbox(c.name, 'container')?.state;
    return st === 'running' || st === 'created';
  });
  let previouslyInitialized = initialized;
  const toStart = new Set<number>();
  for (let i = inits.length - 1; i >= 0; i--) {
    const c = inits[i]!;
    const sidecar = isSidecar(c);
    const inst = inSandbox(c.name, 'init');
    if (!inst) {
      if (previouslyInitialized && sidecar) toStart.add(i);
      continue;
    }
    // After initialization only sidecars are kept running.
    if (previouslyInitialized && !sidecar) continue;
    switch (inst.state) {
      case 'created':
        // Created but never started (the start call failed): start it again.
        toStart.add(i);
        break;
      case 'running': {
        if (!sidecar) break; // a regular init container: wait for it to finish
        const failed = ctx.probeFailures?.get(inst.id);
        if (c.startupProbe && ctx.startup) {
          if (failed === 'startup') {
            killSidecar(c, inst, 'failed startup probe', c.startupProbe.terminationGracePeriodSeconds, actions);
            toStart.add(i);
            break;
          }
          // Not started yet (no result, or not yet Success): the sequence waits.
          if (ctx.startup.get(inst.id) !== true) break;
        }
        if (i === inits.length - 1) initialized = true;
        else if (!previouslyInitialized) toStart.add(i + 1);
        if (inst.hash !== containerHash(c)) {
          killSidecar(c, inst, 'definition changed', undefined, actions);
          toStart.add(i);
        } else if (failed === 'liveness') {
          killSidecar(c, inst, 'failed liveness probe', c.livenessProbe?.terminationGracePeriodSeconds, actions);
          toStart.add(i);
        }
        break;
      }
      case 'exited':
        if (sidecar) {
          toStart.add(i);
        } else if (inst.exitCode !== 0) {
          if (pod.spec.restartPolicy === 'Never') return 'failed';
          toStart.add(i);
        } else if (i === inits.length - 1) {
          initialized = true;
        } else {
          toStart.add(i + 1);
        }
        break;
      default:
        // Unknown: it may still run; kill it before a new instance (a regular one fails the pod under Never).
        if (!sidecar && pod.spec.restartPolicy === 'Never') return 'failed';
        actions.containersToKill.push({
          id: inst.id,
          name: c.name,
          message: `Init container is in "unknown" state, try killing it before restart`,
        });
        toStart.add(i);
    }
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) toStart.add(0);
  // Started in spec order; a sidecar that already ran in this sandbox (or once the pod is
  // initialized) is a restart, the others are the next step of the sequence.
  for (const i of [...toStart].sort((a, b) => a - b)) {
    const c = inits[i]!;
    const inst = inSandbox(c.name, 'init');
    const backOff = crashLoopBackOff(pod, c, 'init', rt, ctx, actions);
    if (backOff === 'held') {
      // The kubelet skips a sidecar it cannot start yet but stops at a regular init container.
      if (isSidecar(c)) continue;
      break;
    }
    const todo: ContainerToStart = {
      container: c,
      type: 'init',
      restartCount: inst ? inst.restartCount + 1 : nextRestartCount(rt, c.name, 'init'),
      ...backOff,
    };
    if (isSidecar(c) && (inst || initialized)) actions.sidecarsToRestart.push(todo);
    else actions.initToStart ??= todo;
  }
  return initialized ? 'done' : 'pending';
}

/** A running sidecar goes (kuberuntime_container.go's "Init container <c> …" messages); it is started again. */
function killSidecar(
  c: Container,
  inst: RuntimeContainer,
  why: string,
  graceSeconds: number | undefined,
  actions: PodActions,
): void {
  actions.containersToKill.push({
    id: inst.id,
    name: c.name,
    message: `Init container ${c.name} ${why}`,
    ...graceOf(graceSeconds),
  });
}

/**
 * A running app container failed liveness/startup: kill it with the probe's grace and,
 * unless the pod is Never, start it again in the same sync (under crash-loop back-off,
 * measured from the previous exited instance as doBackOff does). Returns whether the
 * container is kept (restarted).
 */
function planProbeKill(
  pod: ValidPod,
  c: Container,
  inst: RuntimeContainer,
  rt: RuntimePodStatus,
  ctx: PlanContext,
  actions: PodActions,
): boolean {
  const failed = ctx.probeFailures!.get(inst.id)!;
  const probe = failed === 'liveness' ? c.livenessProbe : c.startupProbe;
  const restart = pod.spec.restartPolicy !== 'Never';
  actions.containersToKill.push({
    id: inst.id,
    name: c.name,
    message: `Container ${c.name} failed ${failed} probe${restart ? ', will be restarted' : ''}`,
    ...graceOf(probe?.terminationGracePeriodSeconds),
  });
  if (!restart) return false;
  const backOff = crashLoopBackOff(pod, c, 'container', rt, ctx, actions);
  if (backOff !== 'held') {
    actions.containersToStart.push({
      container: c,
      type: 'container',
      restartCount: inst.restartCount + 1,
      ...backOff,
    });
  }
  return true;
}

function graceOf(seconds: number | undefined): { graceSeconds?: number } {
  return seconds !== undefined ? { graceSeconds: seconds } : {};
}

/**
 * doBackOff, read-only: 'held' (recorded in actions.backOff) while the restart must
 * wait; otherwise the entry that starting the container will advance.
 */
function crashLoopBackOff(
  pod: ValidPod,
  c: Container,
  type: 'init' | 'container',
  rt: RuntimePodStatus,
  ctx: PlanContext,
  actions: PodActions,
): 'held' | { backOff?: BackOffEntry } {
  // The newest *exited* instance, even behind a running one (doBackOff skips non-exited statuses).
  const exited = rt.containers.find((x) => x.name === c.name && x.type === type && x.state === 'exited');
  const finishedAt = exited?.finishedAt ? Date.parse(exited.finishedAt) : undefined;
  if (finishedAt === undefined) return {};
  const key = backoffKey(pod, c);
  if (!ctx.crashBackoff.isInBackOffSince(key, finishedAt)) return { backOff: { key, sinceMs: finishedAt } };
  actions.backOff.push({
    name: c.name,
    message: crashLoopMessage(pod, c.name, ctx.crashBackoff.get(key)),
    remainingMs: ctx.crashBackoff.remaining(key, finishedAt),
  });
  return 'held';
}

/**
 * A container in unknown state may still be running: kill it before starting a new
 * instance, so two never run at once (computePodActions, ContainerStateUnknown).
 */
function killIfUnknown(c: Container, inst: RuntimeContainer, actions: PodActions): void {
  if (inst.state !== 'unknown') return;
  actions.containersToKill.push({
    id: inst.id,
    name: c.name,
    message: `Container is in "unknown" state, try killing it before restart`,
  });
}

function restartInNewSandbox(
  pod: ValidPod,
  rt: RuntimePodStatus,
  c: Container,
  type: 'init' | 'container',
  ctx: PlanContext,
  actions: PodActions,
): ContainerToStart | undefined {
  const previous = newestInstance(rt, c.name, type);
  if (!previous) return { container: c, type, restartCount: 0 };
  const backOff = crashLoopBackOff(pod, c, type, rt, ctx, actions);
  return backOff === 'held' ? undefined : { container: c, type, restartCount: previous.restartCount + 1, ...backOff };
}

function nextRestartCount(rt: RuntimePodStatus, name: string, type: 'init' | 'container'): number {
  const inst = newestInstance(rt, name, type);
  return inst ? inst.restartCount + 1 : 0;
}
