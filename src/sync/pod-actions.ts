// computePodActions: a pure plan of what one sync must do to move the runtime state
// of a pod toward its spec (pkg/kubelet/kuberuntime/kuberuntime_manager.go). The plan
// is carried out by sync-pod.ts; keeping it pure makes it table-testable.
import type { Container, ValidPod } from '../spec/types.js';
import type { RuntimeContainer, RuntimePodStatus, RuntimeSandbox } from '../runtime/runtime.js';
import { containerHash } from '../runtime/labels.js';
import type { Backoff } from '../util/backoff.js';
import { goDuration } from '../util/backoff.js';
import { isSidecar, shouldContainerBeRestarted } from '../status/restart.js';

export interface ContainerToKill { id: string; name: string; message: string }
export interface ContainerToStart { container: Container; type: 'init' | 'container'; restartCount: number }
export interface HeldBack { name: string; message: string; remainingMs: number }

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
  /** At most one init container per sync, in spec order. */
  initToStart?: ContainerToStart;
  containersToStart: ContainerToStart[];
  containersToKill: ContainerToKill[];
  /** Containers whose restart is held back by crash-loop back-off. */
  backOff: HeldBack[];
}

export interface PlanContext {
  now: number;
  crashBackoff: Backoff;
}

export function newestInstance(rt: RuntimePodStatus, name: string, type: 'init' | 'container'): RuntimeContainer | undefined {
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
    killPod: false, podDone: false, createSandbox: false, sandboxAttempt: 0, sandboxChanged: false,
    containersToStart: [], containersToKill: [], backOff: [],
  };
  const newest = rt.sandboxes[0];
  const initContainers = pod.spec.initContainers ?? [];

  // Step 1: does the sandbox need (re-)creating?
  if (!newest || newest.state !== 'running') {
    const anyRan = rt.containers.length > 0;
    // A Never pod whose containers already ran is not brought back (kubelet: podSandboxChanged exception).
    if (newest && anyRan && pod.spec.restartPolicy === 'Never') {
      actions.killPod = true;
      actions.podDone = true;
      return actions;
    }
    actions.createSandbox = true;
    actions.sandboxChanged = newest !== undefined;
    actions.killPod = newest !== undefined;
    actions.sandboxAttempt = newest ? newest.attempt + 1 : 0;
    // A new sandbox re-runs init containers from the first one, then app containers.
    const first = initContainers[0];
    if (first) {
      actions.initToStart = { container: first, type: 'init', restartCount: nextRestartCount(rt, first.name, 'init') };
    } else {
      actions.containersToStart = pod.spec.containers.map((c) => ({
        container: c, type: 'container' as const, restartCount: nextRestartCount(rt, c.name, 'container'),
      }));
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
  if (init === 'pending') return actions;

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
        actions.containersToKill.push({ id: inst.id, name: c.name, message: `Container ${c.name} definition changed, will be restarted` });
        actions.containersToStart.push({ container: c, type: 'container', restartCount: inst.restartCount + 1 });
      }
      keepRunning++;
      continue;
    }
    // created (start failed or never started), exited or unknown: restart per policy.
    if (!shouldContainerBeRestarted(pod, c.name, 'container', inst)) continue;
    keepRunning++;
    if (holdBack(pod, c, inst, ctx, actions)) continue;
    actions.containersToStart.push({ container: c, type: 'container', restartCount: inst.restartCount + 1 });
  }
  if (keepRunning === 0) {
    actions.killPod = true;
    actions.podDone = true;
  }
  return actions;
}

type InitOutcome = 'done' | 'pending' | 'failed';

function planInitContainers(pod: ValidPod, rt: RuntimePodStatus, sandbox: RuntimeSandbox, ctx: PlanContext, actions: PodActions): InitOutcome {
  for (const c of pod.spec.initContainers ?? []) {
    const inst = rt.containers.find((x) => x.name === c.name && x.type === 'init' && x.sandboxId === sandbox.id);
    if (!inst) {
      actions.initToStart = { container: c, type: 'init', restartCount: nextRestartCount(rt, c.name, 'init') };
      return 'pending';
    }
    if (inst.state === 'running') {
      // A sidecar counts as done for ordering once it runs (startup probes come later).
      if (isSidecar(c)) continue;
      return 'pending';
    }
    if (inst.state === 'exited' && inst.exitCode === 0 && !isSidecar(c)) continue;
    // Failed (or never started): re-run under back-off unless the pod is Never.
    if (!isSidecar(c) && pod.spec.restartPolicy === 'Never' && inst.state === 'exited') return 'failed';
    if (!holdBack(pod, c, inst, ctx, actions)) {
      actions.initToStart = { container: c, type: 'init', restartCount: inst.restartCount + 1 };
    }
    return 'pending';
  }
  return 'done';
}

/** doBackOff: true when the restart must wait; records the wait in actions. */
function holdBack(pod: ValidPod, c: Container, inst: RuntimeContainer, ctx: PlanContext, actions: PodActions): boolean {
  const finishedAt = inst.finishedAt ? Date.parse(inst.finishedAt) : undefined;
  if (finishedAt === undefined) return false;
  const key = backoffKey(pod, c);
  if (ctx.crashBackoff.isInBackOffSince(key, finishedAt)) {
    const delay = ctx.crashBackoff.get(key);
    actions.backOff.push({ name: c.name, message: crashLoopMessage(pod, c.name, delay), remainingMs: ctx.crashBackoff.remaining(key, finishedAt) });
    return true;
  }
  ctx.crashBackoff.next(key, finishedAt);
  return false;
}

function nextRestartCount(rt: RuntimePodStatus, name: string, type: 'init' | 'container'): number {
  const inst = newestInstance(rt, name, type);
  return inst ? inst.restartCount + 1 : 0;
}
