// What every handler module is built from.
import type { Logger } from '../util/logger.js';
import type { KubeEvent, Namespace, Node, Pod } from '../apis/core/types.js';
import type { NodeMetrics, PodMetrics, Summary } from '../apis/stats/types.js';
import type { NodeFacade } from './node-facade.js';
import type { StreamTracker } from './streams.js';
import type { WatchHub } from './watch-hub.js';

export interface ApiDeps {
  node: NodeFacade;
  log: Logger;
  streams: StreamTracker;
  podHub: WatchHub<Pod>;
  eventHub: WatchHub<KubeEvent>;
  nodeHub: WatchHub<Node>;
  namespaceHub: WatchHub<Namespace>;
  /** Image pulls in flight (not a Kubernetes resource: GET /minikubelet/v1/pulls). */
  pulls?: () => unknown[];
  /** The Prometheus exposition for /metrics (`all`) and /metrics/probes. */
  metrics?: MetricsScrape;
  /** Resource usage: /stats/summary and metrics.k8s.io (absent: neither is served). */
  stats?: StatsFacade;
}

/** What the usage endpoints read (src/stats/stats-provider.ts implements it). */
export interface StatsFacade {
  summary(): Promise<Summary>;
  nodeMetrics(): Promise<NodeMetrics[]>;
  podMetrics(): Promise<PodMetrics[]>;
  /** The Prometheus text of /metrics/resource. */
  resourceMetrics(): Promise<string>;
}

export type MetricsScrape = (which: 'all' | 'probes') => Promise<{ contentType: string; body: string }>;
