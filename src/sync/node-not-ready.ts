// Pods on a node whose runtime is down are not ready. Upstream the node lifecycle
// controller does it once the Node turns NotReady (pkg/controller/util/node/
// controller_utils.go MarkPodsNotReady): each pod's Ready condition becomes False
// (reason and message kept, lastTransitionTime now) and the pod gets a Warning
// NodeNotReady "Node is not ready" event. A one-node world has no controller, so the
// pod workers do the same at the moment the runtime goes down; the first sync after
// it comes back regenerates every condition from what the engine then shows.
import type { PodStatus, ValidPod } from '../apis/core/types.js';
import { Reason } from '../events/reasons.js';
import { rfc3339 } from '../util/clock.js';
import type { SyncDeps } from './sync-deps.js';

export function markPodNotReady(deps: SyncDeps, pod: ValidPod): void {
  const status = deps.status.getStatus(pod.metadata.uid);
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  if (!status || !ready || ready.status === 'False') return;
  const now = rfc3339(deps.clock.now());
  const next: PodStatus = {
    ...status,
    conditions: status.conditions!.map((c) =>
      c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c,
    ),
  };
  deps.status.setStatus(pod.metadata.uid, next);
  deps.events.event(pod, 'Warning', Reason.NodeNotReady, 'Node is not ready');
}
