// killPod / killContainer (kuberuntime_container.go): all containers stop in parallel,
// each with its grace period (raised to the kubelet's 2 s minimum), then the sandbox.
import type { ValidPod } from '../spec/types.js';
import type { RuntimeContainer, RuntimePodStatus } from '../runtime/runtime.js';
import { containerFieldPath } from '../events/recorder.js';
import { Reason } from '../events/reasons.js';
import type { SyncDeps } from './sync-context.js';

/** minimumGracePeriodInSeconds in the kubelet. */
export const MINIMUM_GRACE_SECONDS = 2;

export function effectiveGrace(pod: ValidPod, override?: number): number {
  const g = override ?? pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds;
  return Math.max(g, MINIMUM_GRACE_SECONDS);
}

export async function killContainer(deps: SyncDeps, pod: ValidPod, c: RuntimeContainer, message: string, graceSeconds: number): Promise<void> {
  deps.events.event(pod, 'Normal', Reason.Killing, message, containerFieldPath(pod, c.name));
  await deps.runtime.stopContainer(c.id, graceSeconds);
}

/** Stop every running container of the pod in parallel, then every running sandbox. */
export async function killPod(deps: SyncDeps, pod: ValidPod, rt: RuntimePodStatus, graceOverride?: number): Promise<void> {
  const grace = effectiveGrace(pod, graceOverride);
  const running = rt.containers.filter((c) => c.state === 'running' || c.state === 'created');
  await Promise.all(running.map((c) =>
    c.state === 'running'
      ? killContainer(deps, pod, c, `Stopping container ${c.name}`, grace)
      : deps.runtime.stopContainer(c.id, 0)));
  await Promise.all(rt.sandboxes.filter((s) => s.state === 'running').map((s) => deps.runtime.stopSandbox(s.id, grace)));
}
