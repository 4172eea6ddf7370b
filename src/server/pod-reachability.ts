// Where pods reach the agent's API. On a cluster it is the `kubernetes` service
// (ClusterIP 10.96.0.1:443, kube-proxy); here it is the pod network's gateway, the node's
// address as pods see it, on the API's own port: pods on the bridge and hostNetwork pods
// both reach it, and no port below 1024 (root) or proxy is needed. Only the gateway is
// added, never a wildcard: the API stays off every other interface.

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

export interface PodReachability {
  /** Pods can reach the API (its certificate names the gateway and the service names). */
  reachable: boolean;
  /** An address to listen on besides --listen (the gateway), when --listen does not cover it. */
  extraHost?: string;
}

/** Plain HTTP is loopback-only by policy (api-server.ts checkListenPolicy): pods cannot reach it. */
export function podReachability(listenHost: string, gateway: string, insecureHttp: boolean): PodReachability {
  if (insecureHttp) return { reachable: false };
  if (WILDCARDS.has(listenHost) || listenHost === gateway) return { reachable: true };
  return { reachable: true, extraHost: gateway };
}

/** The names a client in a pod may dial (the `kubernetes` service's DNS names) and the gateway. */
export function kubernetesServiceNames(gateway: string, clusterDomain: string): string[] {
  return [
    gateway,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${clusterDomain}`,
  ];
}
