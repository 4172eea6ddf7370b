// QoS class (pkg/apis/core/v1/helper/qos GetPodQOS), simplified to cpu and memory.
import type { Container, ValidPod } from '../apis/core/types.js';
import { parseQuantity } from '../apis/core/quantity.js';

/** A positive quantity, or NaN for anything unparsable (it then does not count). */
function quantity(q: string | number): number {
  try {
    return parseQuantity(q);
  } catch {
    return NaN;
  }
}

const TRACKED = ['cpu', 'memory'];

function positive(list: Record<string, string | number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of TRACKED) {
    const v = list?.[r];
    if (v !== undefined && quantity(v) > 0) out.set(r, quantity(v));
  }
  return out;
}

export function podQOSClass(pod: ValidPod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all: Container[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = positive(c.resources?.requests);
    const lim = positive(c.resources?.limits);
    if (req.size || lim.size) any = true;
    // Guaranteed: every container limits cpu and memory, and requests (defaulted to the
    // limits) equal them.
    if (lim.size !== TRACKED.length) guaranteed = false;
    for (const [r, v] of req) if (lim.get(r) !== v) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** pkg/kubelet/qos/policy.go: the OOM score adjust of Guaranteed (and node-critical) and BestEffort containers. */
export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BEST_EFFORT_OOM_SCORE_ADJ = 1000;

/**
 * GetContainerOOMScoreAdjust: Guaranteed −997, BestEffort 1000, Burstable
 * 1000 − 1000·request/capacity (integer division), kept within [3, 999] so a Burstable
 * container is killed after BestEffort ones and before Guaranteed ones. A node-critical
 * pod (system-node-critical) counts as Guaranteed.
 */
export function oomScoreAdjust(pod: ValidPod, container: Container, memoryCapacity: number): number {
  if ((pod.spec as { priorityClassName?: string }).priorityClassName === 'system-node-critical') {
    return GUARANTEED_OOM_SCORE_ADJ;
  }
  const qos = podQOSClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BEST_EFFORT_OOM_SCORE_ADJ;
  const raw = container.resources?.requests?.memory ?? container.resources?.limits?.memory;
  const request = raw === undefined ? 0 : Math.ceil(quantity(raw) || 0);
  const adj = memoryCapacity > 0 ? 1000 - Math.trunc((1000 * request) / memoryCapacity) : 1000;
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}
