// The CRI's PortForward: a TCP connection to a port of the pod's network namespace.
// cri-dockerd (core/docker_streaming.go portForward) and containerd enter the sandbox's
// netns and dial localhost:port. minikubelet dials the pod IP from the agent instead,
// as the probes do (prober/target.ts): on a Linux host the host routes to the Docker
// bridge the sandboxes sit on, so no nsenter/socat (and no privilege) is needed. The
// one difference: a process that listens only on 127.0.0.1 inside the pod is not
// reachable this way. A hostNetwork pod shares the host's namespace: dial loopback.
// An agent that itself runs in a container must be on the pod network (or the host's).
import { connect, type Socket } from 'node:net';
import type { Pod } from '../apis/core/types.js';

/** How long a dial may take before the error stream reports it (the kubelet has no bound; a dead route would hang). */
export const PORT_FORWARD_DIAL_TIMEOUT_MS = 10_000;

export function portForwardHost(pod: Pod): string | undefined {
  if (pod.spec.hostNetwork) return '127.0.0.1';
  return pod.status?.podIP || undefined;
}

/**
 * Connected socket to the pod's port; rejects with the kubelet's wording
 * (pkg/kubelet/cri/streaming/portforward/httpstream.go: `error forwarding port %d to pod %s, uid %v: %v`;
 * with the CRI the pod is the sandbox and the uid empty).
 */
export function connectToPod(pod: Pod, podRef: string, port: number): Promise<Socket> {
  const fail = (why: string) => new Error(`error forwarding port ${port} to pod ${podRef}, uid : ${why}`);
  const host = portForwardHost(pod);
  if (!host) return Promise.reject(fail('pod has no IP address'));
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    sock.setTimeout(PORT_FORWARD_DIAL_TIMEOUT_MS, () =>
      sock.destroy(new Error(`dial tcp ${host}:${port}: i/o timeout`)),
    );
    sock.once('connect', () => {
      sock.setTimeout(0);
      resolve(sock);
    });
    sock.once('error', (err) => reject(fail(`failed to connect to ${host}:${port}: ${err.message}`)));
  });
}
