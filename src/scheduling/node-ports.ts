// The NodePorts filter (pkg/scheduler/framework/plugins/nodeports): a pod asking for a
// host port another pod on the node holds does not fit.
import type { ValidPod } from '../apis/core/types.js';

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** The pod's host ports as the scheduler sees them (nodeports.go getContainerPorts: app containers). */
function hostPorts(pod: ValidPod): HostPort[] {
  return pod.spec.containers.flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => p.hostPort)
      .map((p) => ({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port: p.hostPort! })),
  );
}

/** HostPortInfo.CheckConflict: same protocol and port, and the same address or either one the wildcard. */
function conflicts(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0';
}

/** Whether one of the pod's host ports is held by one of `others`. */
export function hostPortConflict(pod: ValidPod, others: readonly ValidPod[]): boolean {
  const wanted = hostPorts(pod);
  if (wanted.length === 0) return false;
  const held = others.flatMap(hostPorts);
  return wanted.some((w) => held.some((h) => conflicts(w, h)));
}
