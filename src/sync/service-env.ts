// The `kubernetes` service's environment variables every container gets
// (pkg/kubelet/envvars/envvars.go FromServices, kubelet_pods.go getServiceEnvVarMap: the
// `default/kubernetes` service is always included, whatever enableServiceLinks says).
// Here the service is the agent's own API where pods reach it: the pod network's gateway
// and the API's port (see README: a real cluster's 443 on a ClusterIP needs root and kube-proxy).

export interface ApiServiceAddress {
  host: string;
  port: number;
}

/** envvars.go makeEnvVariableName + the service's one port, named `https`, TCP. */
export function kubernetesServiceEnv(svc: ApiServiceAddress): Record<string, string> {
  const { host, port } = svc;
  const url = `tcp://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const p = `KUBERNETES_PORT_${port}_TCP`;
  return {
    KUBERNETES_SERVICE_HOST: host,
    KUBERNETES_SERVICE_PORT: String(port),
    KUBERNETES_SERVICE_PORT_HTTPS: String(port),
    KUBERNETES_PORT: url,
    [p]: url,
    [`${p}_PROTO`]: 'tcp',
    [`${p}_PORT`]: String(port),
    [`${p}_ADDR`]: host,
  };
}
