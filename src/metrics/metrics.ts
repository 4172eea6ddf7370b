// What the agent measures, as the kubelet names it (pkg/kubelet/metrics/metrics.go,
// pkg/kubelet/prober/prober_manager.go). The modules that record (runtime, prober, sync)
// see only this interface; prometheus.ts implements it with prom-client, and NO_METRICS
// records nothing (unit tests, `run -f`). Recording must stay cheap: it runs on every
// engine call and every probe.

/** `operation_type` of kubelet_pod_worker_duration_seconds (kubetypes.SyncPodType). */
export type PodWorkerOperation = 'create' | 'update' | 'sync' | 'kill';

/** `result` of prober_probe_total (prober_manager.go probeResult*). */
export type ProbeMetricResult = 'successful' | 'failed' | 'unknown';

/** `container_state` of kubelet_running_containers (kubecontainer.State). */
export type ContainerStateLabel = 'created' | 'running' | 'exited' | 'unknown';

export interface ProbeLabels {
  /** `Liveness`, `Readiness` or `Startup`, as probeType.String(). */
  probe_type: string;
  container: string;
  pod: string;
  namespace: string;
  pod_uid: string;
}

/** One probe worker's series of prober_probe_total. */
export interface ProbeSeries {
  inc(result: ProbeMetricResult): void;
  /** The worker ended: its series go (worker.go deletes them when it stops). */
  remove(): void;
}

export interface KubeletMetrics {
  /** kubelet_runtime_operations_{total,duration_seconds,errors_total}{operation_type}. */
  runtimeOperation(operationType: string, seconds: number, failed: boolean): void;
  /** kubelet_pod_worker_duration_seconds{operation_type}. */
  podWorkerDuration(operation: PodWorkerOperation, seconds: number): void;
  /** kubelet_pod_start_duration_seconds: the pod first seen → Running. */
  podStartDuration(seconds: number): void;
  probeSeries(labels: ProbeLabels): ProbeSeries;
  /** kubelet_running_pods and kubelet_running_containers, from the PLEG relist. */
  setRunning(pods: number, containers: Record<ContainerStateLabel, number>): void;
}

const NO_SERIES: ProbeSeries = { inc: () => undefined, remove: () => undefined };

export const NO_METRICS: KubeletMetrics = {
  runtimeOperation: () => undefined,
  podWorkerDuration: () => undefined,
  podStartDuration: () => undefined,
  probeSeries: () => NO_SERIES,
  setRunning: () => undefined,
};

/** Seconds since a `performance.now()` mark. */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
