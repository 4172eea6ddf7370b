// A pod's resource requests as the scheduler and the kubelet's admission count them
// (component-helpers/resource PodRequests, 1.32): app containers and native sidecars
// (restartable init containers) add up; each other init container runs alone beside
// the sidecars started before it, so the pod needs the larger of the two; the
// RuntimeClass overhead comes on top. CPU in millicores, memory in bytes (rounded up as
// Quantity.MilliValue / Value do).
import type { Container, ValidPod } from '../apis/core/types.js';
import { parseQuantity } from '../apis/core/quantity.js';
import type { SchedulingSpec } from './types.js';

export interface Requests {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
}

const ZERO: Requests = { milliCpu: 0, memory: 0, ephemeralStorage: 0 };

function q(v: string | number | undefined, scale: number): number {
  if (v === undefined) return 0;
  try {
    return Math.ceil(parseQuantity(v) * scale);
  } catch {
    return 0;
  }
}

/** A resource list (requests, overhead, allocatable) as numbers. */
export function resourceList(list: Record<string, string | number> | undefined): Requests {
  return {
    milliCpu: q(list?.cpu, 1000),
    memory: q(list?.memory, 1),
    ephemeralStorage: q(list?.['ephemeral-storage'], 1),
  };
}

/** A container's requests; an unset request defaults to its limit (as API defaulting does). */
function containerRequests(c: Container): Requests {
  return resourceList({ ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) });
}

const add = (a: Requests, b: Requests): Requests => ({
  milliCpu: a.milliCpu + b.milliCpu,
  memory: a.memory + b.memory,
  ephemeralStorage: a.ephemeralStorage + b.ephemeralStorage,
});
const max = (a: Requests, b: Requests): Requests => ({
  milliCpu: Math.max(a.milliCpu, b.milliCpu),
  memory: Math.max(a.memory, b.memory),
  ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage),
});

export function podRequests(pod: ValidPod): Requests {
  let reqs = pod.spec.containers.map(containerRequests).reduce(add, ZERO);
  let sidecars = ZERO;
  let initMax = ZERO;
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      reqs = add(reqs, r);
      sidecars = add(sidecars, r);
    } else initMax = max(initMax, add(r, sidecars));
  }
  reqs = max(reqs, initMax);
  const overhead = (pod.spec as SchedulingSpec).overhead;
  return overhead ? add(reqs, resourceList(overhead)) : reqs;
}

export function sumRequests(pods: readonly ValidPod[]): Requests {
  return pods.map(podRequests).reduce(add, ZERO);
}
