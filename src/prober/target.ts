// Where probes connect. The kubelet dials the pod IP (or the probe's `host`) from the
// node. minikubelet does the same from the agent process: on a Linux host the host
// routes to the Docker bridge the sandboxes sit on. An agent that itself runs in a
// container must share that network (join the pod network, or use host networking);
// nothing else changes, because every probe and hook address is decided here.
import type { Container } from '../apis/core/types.js';

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
}

/** The host a probe dials: the handler's `host`, else the pod IP. */
export function probeHost(host: string | undefined, podIP: string | undefined): string {
  if (host) return host;
  if (!podIP) throw new ProbeError('pod has no IP address yet');
  return podIP;
}

/** `host:port` as Go's net.JoinHostPort writes it (IPv6 in brackets). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * probe.ResolveContainerPort: an int port, or the name of one of the container's
 * ports (a name that is really a number is accepted too, as upstream's last resort).
 */
export function resolveContainerPort(port: number | string | undefined, container: Container): number {
  let n: number;
  if (typeof port === 'number') n = port;
  else if (typeof port === 'string') {
    const named = container.ports?.find((p) => p.name === port);
    if (named) n = named.containerPort;
    else if (/^\d+$/.test(port)) n = Number(port);
    else throw new ProbeError(`port ${port} not found`);
  } else throw new ProbeError('probe has no port');
  if (n > 0 && n < 65536) return n;
  throw new ProbeError(`invalid port number: ${n}`);
}
