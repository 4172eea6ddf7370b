// Resource quantities as Docker's HostConfig needs them: bytes for memory, cgroup
// shares and a CFS quota for CPU.
import { parseQuantity } from '../apis/core/quantity.js';

/** Memory limit in whole bytes (rounded up, like the kubelet's Value()). */
export function memoryBytes(q: string | number): number {
  return Math.ceil(parseQuantity(q));
}

/** cm.MinShares: the shares of a container that requests no CPU. */
export const MIN_SHARES = 2;

/** CPU request as cgroup shares, like the kubelet's MilliCPUToShares (minimum 2). */
export function cpuShares(q: string | number): number {
  const milli = Math.ceil(parseQuantity(q) * 1000);
  return Math.max(MIN_SHARES, Math.floor((milli * 1024) / 1000));
}

/** cm.QuotaPeriod: the CFS period the kubelet sets, 100 ms in microseconds. */
export const CPU_PERIOD_US = 100_000;

/** CPU limit as a CFS quota over CPU_PERIOD_US, like MilliCPUToQuota (minimum 1 ms). */
export function cpuQuota(q: string | number): number {
  const milli = Math.ceil(parseQuantity(q) * 1000);
  return Math.max(1000, Math.floor((milli * CPU_PERIOD_US) / 1000));
}
