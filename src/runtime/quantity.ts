// Resource quantities as Docker's HostConfig needs them: bytes for memory, nano-CPUs
// and shares for CPU.
import { parseQuantity } from '../apis/core/quantity.js';

/** Memory limit in whole bytes (rounded up, like the kubelet's Value()). */
export function memoryBytes(q: string | number): number {
  return Math.ceil(parseQuantity(q));
}

/** CPU limit as Docker NanoCpus: `500m` → 5e8, `1` → 1e9. */
export function nanoCpus(q: string | number): number {
  return Math.round(parseQuantity(q) * 1e9);
}

/** CPU request as cgroup shares, like the kubelet's MilliCPUToShares (minimum 2). */
export function cpuShares(q: string | number): number {
  const milli = Math.ceil(parseQuantity(q) * 1000);
  return Math.max(2, Math.floor((milli * 1024) / 1000));
}
