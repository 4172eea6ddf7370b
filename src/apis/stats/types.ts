// Wire types of resource usage, as two upstream APIs define them:
//   - the kubelet's Summary API (k8s.io/kubelet/pkg/apis/stats/v1alpha1/types.go), served at
//     /stats/summary: cumulative and instantaneous usage per node, pod and container;
//   - metrics.k8s.io/v1beta1 (k8s.io/metrics/pkg/apis/metrics/v1beta1/types.go), what
//     metrics-server serves and `kubectl top` reads: one usage figure per node and container.
// Only the fields minikubelet fills are listed; the rest are optional upstream too.

/** stats/v1alpha1 CPUStats. */
export interface CPUStats {
  /** RFC 3339: when the sample was taken. */
  time: string;
  /** Average usage over the sample window, in nanocores. */
  usageNanoCores?: number;
  /** Cumulative CPU time since the container (or boot) started. */
  usageCoreNanoSeconds?: number;
}

/** stats/v1alpha1 MemoryStats. */
export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  /** usage - inactive_file: what the kubelet evicts on and metrics-server reports. */
  workingSetBytes?: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
}

export interface ContainerStats {
  name: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface PodReference {
  name: string;
  namespace: string;
  uid: string;
}

export interface PodStats {
  podRef: PodReference;
  startTime: string;
  containers: ContainerStats[];
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface NodeStats {
  nodeName: string;
  startTime: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

/** GET /stats/summary. */
export interface Summary {
  node: NodeStats;
  pods: PodStats[];
}

/** metrics.k8s.io/v1beta1: usage as canonical quantities ({cpu: "1253427n", memory: "3424Ki"}). */
export interface ResourceUsage {
  cpu: string;
  memory: string;
}

export interface MetricsMeta {
  name: string;
  namespace?: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
}

export interface NodeMetrics {
  kind: 'NodeMetrics';
  apiVersion: 'metrics.k8s.io/v1beta1';
  metadata: MetricsMeta;
  timestamp: string;
  /** A Go duration (`15.012s`): the interval the usage was averaged over. */
  window: string;
  usage: ResourceUsage;
}

export interface ContainerMetrics {
  name: string;
  usage: ResourceUsage;
}

export interface PodMetrics {
  kind: 'PodMetrics';
  apiVersion: 'metrics.k8s.io/v1beta1';
  metadata: MetricsMeta;
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
