// generatePodStatus: the kubelet's generateAPIPodStatus as a pure function of the pod,
// the runtime relist and what the last sync learned (reason cache, probe results).
import type { PodCondition, PodStatus, ValidPod } from '../apis/core/types.js';
import type { RuntimePodStatus } from '../runtime/runtime.js';
import { rfc3339 } from '../util/clock.js';
import {
  containersReadyCondition,
  initializedCondition,
  readyCondition,
  readyToStartContainersCondition,
  withTransitionTimes,
} from './conditions.js';
import { containerStatuses, ephemeralContainerStatuses, initContainerStatuses } from './container-statuses.js';
import { getPhase } from './phase.js';
import { isPodPhaseTerminal } from '../apis/core/pod-util.js';
import { podQOSClass } from './qos.js';
import { clientConditions } from '../apis/core/pod-status-update.js';
import { apiTime } from './times.js';

export { isPodTerminal, getPhase } from './phase.js';

export interface StatusContext {
  /** Current time, ms. */
  now: number;
  /** The last generated status: keeps transition times, terminal phases, startTime. */
  previous?: PodStatus;
  hostIP?: string;
  /** The kubelet "reason cache": why the last sync could not start a container, by name. */
  waitingReasons?: Map<string, { reason: string; message?: string }>;
  /** Probe results by container ID; a container with such a probe and no entry has no result yet. */
  readiness?: Map<string, boolean>;
  startup?: Map<string, boolean>;
  /** The pod is being terminated (deleted / killed): getPhase's rule (e1), kubelet_pods.go getPhase podIsTerminal. */
  podIsTerminal?: boolean;
}

/** Is the pod's Ready condition True? */
export function podIsReady(status: PodStatus | undefined): boolean {
  return status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function generatePodStatus(pod: ValidPod, rt: RuntimePodStatus, ctx: StatusContext): PodStatus {
  const prev = ctx.previous;
  const nowRfc = rfc3339(ctx.now);
  const inputs = {
    ...(ctx.waitingReasons ? { waitingReasons: ctx.waitingReasons } : {}),
    ...(ctx.readiness ? { readiness: ctx.readiness } : {}),
    ...(ctx.startup ? { startup: ctx.startup } : {}),
  };
  const initStatuses = initContainerStatuses(pod, rt, inputs);
  const statuses = containerStatuses(pod, rt, inputs);

  let phase = getPhase(pod, initStatuses, statuses, ctx.podIsTerminal ?? false);
  // A terminal phase is final.
  if (isPodPhaseTerminal(prev?.phase)) phase = prev!.phase;

  // Conditions owned by others (readiness gates) come first, as the status manager's
  // mergePodStatus keeps them: the ones a client stored through pods/status (kept in the
  // pod's record, so they survive a restart), else those of the last status.
  const others: PodCondition[] = clientConditions(pod.status?.conditions ?? prev?.conditions);
  const runningSandbox = rt.sandboxes.find((s) => s.state === 'running');
  const containersReady = containersReadyCondition(pod, initStatuses, statuses, phase);
  const raw = [
    readyToStartContainersCondition(runningSandbox !== undefined),
    initializedCondition(pod, initStatuses, statuses, phase),
    readyCondition(pod, containersReady, others),
    containersReady,
    { type: 'PodScheduled', status: 'True' as const },
  ];
  const conditions = [...others, ...withTransitionTimes(raw, prev?.conditions, nowRfc)];

  const status: PodStatus = { phase, conditions };
  // reason/message (e.g. DeadlineExceeded) stay while the phase does not change.
  if (prev && prev.phase === phase) {
    if (prev.reason) status.reason = prev.reason;
    if (prev.message) status.message = prev.message;
  }
  if (ctx.hostIP) {
    status.hostIP = ctx.hostIP;
    status.hostIPs = [{ ip: ctx.hostIP }];
  }
  // The pod IP is the running sandbox's; once it is gone the last known IP stays shown.
  const podIP = runningSandbox?.ip ?? prev?.podIP;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  const firstSandbox = rt.sandboxes[rt.sandboxes.length - 1];
  const startTime = prev?.startTime ?? (firstSandbox ? (apiTime(firstSandbox.createdAt) ?? nowRfc) : undefined);
  if (startTime) status.startTime = startTime;
  if (pod.spec.initContainers?.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  if (pod.spec.ephemeralContainers?.length)
    status.ephemeralContainerStatuses = ephemeralContainerStatuses(pod, rt, inputs);
  status.qosClass = podQOSClass(pod);
  return status;
}
