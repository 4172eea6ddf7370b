// killPod / killContainer (kuberuntime_container.go): all containers stop in parallel;
// each runs its preStop hook first, within the grace period, then gets the stop signal
// with what is left of the grace (at least the kubelet's 2 s), then SIGKILL. In a pod
// with sidecars, a sidecar's stop signal also waits (after its preStop, within the
// remaining grace) until the app containers and the later sidecars have exited
// (termination-order.ts), so they stop app containers first, then sidecars in reverse.
import type { LifecycleHandler, ValidPod } from '../apis/core/types.js';
import type { RuntimeContainer, RuntimePodStatus } from '../runtime/runtime.js';
import { containerFieldPath } from '../container/ref.js';
import { Reason } from '../events/reasons.js';
import { findContainer } from '../container/helpers.js';
import { runHook } from '../lifecycle/handlers.js';
import type { SyncDeps } from './sync-deps.js';
import { crashPoint } from '../util/crash-point.js';
import { type TerminationOrdering, terminationOrderingFor } from './termination-order.js';

/** minimumGracePeriodInSeconds in the kubelet. */
export const MINIMUM_GRACE_SECONDS = 2;

/** The grace a kill starts from: an override (delete request, probe), else deletion grace, else the pod's. */
export function terminationGrace(pod: ValidPod, override?: number): number {
  return override ?? pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds;
}

export async function killContainer(
  deps: SyncDeps,
  pod: ValidPod,
  c: RuntimeContainer,
  message: string,
  graceSeconds: number,
  podIP?: string,
  ordering?: TerminationOrdering,
): Promise<void> {
  const fieldPath = containerFieldPath(pod, c.name);
  deps.events.event(pod, 'Normal', Reason.Killing, message, fieldPath);
  let grace = graceSeconds;
  const preStop = findContainer(pod, c.name, c.type)?.lifecycle?.preStop;
  // Skipped with no grace, and for a container that already exited on its own.
  if (preStop && grace > 0 && c.state === 'running') {
    crashPoint('before-prestop');
    grace -= await runPreStop(deps, pod, c, preStop, grace, podIP);
    crashPoint('after-prestop');
  }
  // Whole seconds only: the time waited is truncated downward, as the kubelet does.
  if (ordering && grace > 0) grace -= Math.floor(await ordering.waitForTurn(c.name, grace));
  await deps.runtime.stopContainer(c.id, Math.max(grace, MINIMUM_GRACE_SECONDS));
  ordering?.containerTerminated(c.name);
}

/** Runs the hook bounded by the grace period; returns the whole seconds it took. */
async function runPreStop(
  deps: SyncDeps,
  pod: ValidPod,
  c: RuntimeContainer,
  hook: LifecycleHandler,
  grace: number,
  podIP?: string,
): Promise<number> {
  const started = deps.clock.now();
  const ac = new AbortController();
  const timer = deps.clock.setTimeout(() => ac.abort(new Error('grace period elapsed')), grace * 1000);
  const container = findContainer(pod, c.name, c.type)!;
  try {
    const outcome = await runHook(
      deps.hooks,
      { pod, container, containerId: c.id, ...(podIP ? { podIP } : {}) },
      hook,
      ac.signal,
    );
    if (!outcome.ok)
      deps.events.event(pod, 'Warning', Reason.FailedPreStopHook, outcome.message, containerFieldPath(pod, c.name));
  } finally {
    timer.cancel();
  }
  return Math.floor((deps.clock.now() - started) / 1000);
}

/**
 * Stop every running container of the pod in parallel (sidecars last, in reverse order,
 * see termination-order.ts), then every running sandbox.
 */
export async function killPod(
  deps: SyncDeps,
  pod: ValidPod,
  rt: RuntimePodStatus,
  graceOverride?: number,
): Promise<void> {
  const grace = terminationGrace(pod, graceOverride);
  const podIP = rt.sandboxes.find((s) => s.state === 'running')?.ip;
  const running = rt.containers.filter((c) => c.state === 'running' || c.state === 'created');
  // Only running containers are waited for (the kubelet's runningPod); a created one never ran.
  const ordering = terminationOrderingFor(
    pod,
    running.filter((c) => c.state === 'running').map((c) => c.name),
    deps.clock,
  );
  await Promise.all(
    running.map((c) =>
      c.state === 'running'
        ? killContainer(deps, pod, c, `Stopping container ${c.name}`, grace, podIP, ordering)
        : deps.runtime.stopContainer(c.id, 0),
    ),
  );
  if (running.length > 0) crashPoint('containers-stopped');
  // Every sandbox, exited ones too (killPodWithSyncResult stops all of runningPod.Sandboxes):
  // StopPodSandbox is where the runtime releases a sandbox's network (its CNI IP), and a
  // pause container that died by itself still holds one.
  await Promise.all(
    rt.sandboxes.map((s) =>
      deps.runtime.stopSandbox(s.id, s.state === 'running' ? Math.max(grace, MINIMUM_GRACE_SECONDS) : 0),
    ),
  );
}
