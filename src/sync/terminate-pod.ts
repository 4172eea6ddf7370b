// Pod teardown, in one place (pkg/kubelet/kubelet.go SyncTerminatingPod +
// SyncTerminatedPod): stop the containers with the grace period, publish the final
// status, remove the pod's containers and volumes from the engine, forget every
// per-pod state the node keeps (probe workers, pull and crash-loop back-off). The
// pod workers then drop the worker and tell the pod's source it is gone (the status
// manager's final delete upstream).
import type { ValidPod } from '../apis/core/types.js';
import { killPod } from './kill-pod.js';
import { publishStatus, syncProbeWorkers } from './publish-status.js';
import type { ReasonCache, SyncDeps } from './sync-deps.js';
import { crashPoint } from '../util/crash-point.js';

/** SyncTerminatingPod: liveness/startup end now; readiness runs until removal. */
export async function syncTerminatingPod(
  deps: SyncDeps,
  pod: ValidPod,
  reasons: ReasonCache,
  graceSeconds?: number,
): Promise<void> {
  const uid = pod.metadata.uid;
  deps.probes?.stopLivenessAndStartup(uid);
  let rt = await deps.runtime.getPodStatus(uid);
  syncProbeWorkers(deps, pod, rt, publishStatus(deps, pod, rt, reasons, false));
  await killPod(deps, pod, rt, graceSeconds);
  rt = await deps.runtime.getPodStatus(uid);
  syncProbeWorkers(deps, pod, rt, publishStatus(deps, pod, rt, reasons, true));
}

/** SyncTerminatedPod: nothing of the pod is left on the node once this returns. */
export async function syncTerminatedPod(deps: SyncDeps, pod: ValidPod): Promise<void> {
  const uid = pod.metadata.uid;
  crashPoint('before-remove');
  await deps.runtime.removePod(uid);
  deps.probes?.removePod(uid);
  deps.images.forgetPod(uid);
  deps.crashBackoff.resetPrefix(`${uid}/`);
}
