// The five kubelet-owned pod conditions (apis/core/pod-status-update.ts POD_CONDITIONS_BY_KUBELET) (pkg/kubelet/status/generate.go GeneratePodReadyCondition,
// GenerateContainersReadyCondition, GeneratePodInitializedCondition,
// GeneratePodReadyToStartContainersCondition; PodScheduled in kubelet_pods.go generateAPIPodStatus).
import type { ConditionStatus, ContainerStatus, PodCondition, PodPhase, ValidPod } from '../apis/core/types.js';
import { isSidecar } from '../container/helpers.js';

/** A condition before lastProbeTime/lastTransitionTime are filled in. */
export interface RawCondition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
}

/** Go's %s of a []string: `[a b]`. */
const goList = (names: string[]) => `[${names.join(' ')}]`;

const find = (list: ContainerStatus[], name: string) => list.find((s) => s.name === name);

function anyRegularContainerStarted(pod: ValidPod, statuses: ContainerStatus[]): boolean {
  return pod.spec.containers.some((c) => {
    const st = find(statuses, c.name);
    return st !== undefined && (st.state.running !== undefined || st.state.terminated !== undefined);
  });
}

export function readyToStartContainersCondition(hasRunningSandbox: boolean): RawCondition {
  return { type: 'PodReadyToStartContainers', status: hasRunningSandbox ? 'True' : 'False' };
}

export function initializedCondition(
  pod: ValidPod,
  initStatuses: ContainerStatus[],
  statuses: ContainerStatus[],
  phase: PodPhase,
): RawCondition {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) return { type: 'Initialized', status: 'True' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const st = find(initStatuses, c.name);
    if (!st) {
      unknown.push(c.name);
      continue;
    }
    if (isSidecar(c)) {
      if (st.started !== true) incomplete.push(c.name);
      continue;
    }
    if (!st.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0)
    return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  // Once an app container has run, the pod was initialized (sidecars may be restarting).
  if (anyRegularContainerStarted(pod, statuses)) return { type: 'Initialized', status: 'True' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length)
    return { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: msgs.join(', ') };
  return { type: 'Initialized', status: 'True' };
}

export function containersReadyCondition(
  pod: ValidPod,
  initStatuses: ContainerStatus[],
  statuses: ContainerStatus[],
  phase: PodPhase,
): RawCondition {
  const unknown: string[] = [];
  const unready: string[] = [];
  // Sidecars first, then regular containers, both in spec order.
  const check = (name: string, list: ContainerStatus[]) => {
    const st = find(list, name);
    if (!st) unknown.push(name);
    else if (!st.ready) unready.push(name);
  };
  for (const c of pod.spec.initContainers ?? []) if (isSidecar(c)) check(c.name, initStatuses);
  for (const c of pod.spec.containers) check(c.name, statuses);
  if (phase === 'Succeeded' && unknown.length === 0)
    return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  // Containers of a failed pod may still be terminating: never ready.
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const msgs: string[] = [];
  if (unknown.length) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length)
    return { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: msgs.join(', ') };
  return { type: 'ContainersReady', status: 'True' };
}

/** Ready = ContainersReady plus every readiness gate condition True. */
export function readyCondition(pod: ValidPod, containersReady: RawCondition, others: PodCondition[]): RawCondition {
  if (containersReady.status !== 'True') {
    return {
      type: 'Ready',
      status: containersReady.status,
      ...(containersReady.reason ? { reason: containersReady.reason } : {}),
      ...(containersReady.message ? { message: containersReady.message } : {}),
    };
  }
  const msgs: string[] = [];
  for (const gate of pod.spec.readinessGates ?? []) {
    const c = others.find((o) => o.type === gate.conditionType);
    if (!c) msgs.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True')
      msgs.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length)
    return { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: msgs.join(', ') };
  return { type: 'Ready', status: 'True' };
}

/** lastTransitionTime moves only when the status value changes (status manager). */
export function withTransitionTimes(
  raw: RawCondition[],
  previous: PodCondition[] | undefined,
  nowRfc: string,
): PodCondition[] {
  return raw.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : nowRfc;
    return {
      type: c.type,
      status: c.status,
      lastProbeTime: null,
      lastTransitionTime,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    };
  });
}
