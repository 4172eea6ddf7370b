// Publishing what a relist saw: the PodStatus generated from the runtime state goes
// to the status manager, and the probe workers are brought in line with the pod's
// containers. Two steps, each called where syncPod and teardown need it.
import type { PodStatus, ValidPod } from '../apis/core/types.js';
import type { RuntimePodStatus } from '../runtime/runtime.js';
import { generatePodStatus } from '../status/generate.js';
import type { ReasonCache, SyncDeps } from './sync-deps.js';

/** Generate the pod's status from the relist and publish it (a no-op when unchanged). */
export function publishStatus(
  deps: SyncDeps,
  pod: ValidPod,
  rt: RuntimePodStatus,
  reasons: ReasonCache,
  podIsTerminal: boolean,
): PodStatus {
  const previous = deps.status.getStatus(pod.metadata.uid);
  const hostIP = deps.hostIP();
  const status = generatePodStatus(pod, rt, {
    now: deps.clock.now(),
    ...(previous ? { previous } : {}),
    ...(hostIP ? { hostIP } : {}),
    waitingReasons: reasons,
    ...(deps.probes ? { readiness: deps.probes.readinessFor(rt), startup: deps.probes.startupFor(rt) } : {}),
    podIsTerminal: podIsTerminal || pod.metadata.deletionTimestamp !== undefined,
  });
  deps.status.setStatus(pod.metadata.uid, status);
  if (previous?.phase === 'Pending' && status.phase === 'Running') deps.podRunning?.(pod.metadata.uid);
  return status;
}

/**
 * Probe workers follow the pod's containers as a relist saw them: added for new
 * containers, removed for gone ones, liveness/startup stopped once the pod is
 * deleting, all removed once it is terminal (probeManager.AddPod/RemovePod).
 */
export function syncProbeWorkers(deps: SyncDeps, pod: ValidPod, rt: RuntimePodStatus, status: PodStatus): void {
  deps.probes?.updatePodProbes(pod, rt, status);
}
