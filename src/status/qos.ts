// QoS class (pkg/apis/core/v1/helper/qos GetPodQOS), simplified to cpu and memory.
import type { Container, ValidPod } from '../spec/types.js';

const SUFFIX: Record<string, number> = {
  m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A resource quantity ("100m", "64Mi", "1e3", 2) as a number; NaN if unparsable. */
export function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return NaN;
  const mult = m[2] ? SUFFIX[m[2]] : 1;
  return mult === undefined ? NaN : Number(m[1]) * mult;
}

const TRACKED = ['cpu', 'memory'];

function positive(list: Record<string, string | number> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of TRACKED) {
    const v = list?.[r];
    if (v !== undefined && parseQuantity(v) > 0) out.set(r, parseQuantity(v));
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
