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
