// KubeletMetrics on prom-client, in registries of its own (never prom-client's global
// one), served at /metrics in the Prometheus text format. As the kubelet's server.go,
// prober_probe_total has a registry of its own, also served alone at /metrics/probes. Names, help texts, labels and
// buckets are the kubelet's (pkg/kubelet/metrics/metrics.go; the "[ALPHA] " prefix is
// what component-base adds to an alpha metric's help), plus prom-client's default
// process metrics (process_resident_memory_bytes, nodejs_eventloop_lag_seconds, …).
// First: defers prom-client's @opentelemetry/api before prom-client loads (#17).
import './prom-client-deferred.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, exponentialBuckets } from 'prom-client';
import type {
  ContainerStateLabel,
  KubeletMetrics,
  PodWorkerOperation,
  ProbeLabels,
  ProbeMetricResult,
  ProbeSeries,
} from './metrics.js';

/** prometheus.DefBuckets. */
const DEF_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** metrics.go podStartupDurationBuckets. */
const POD_START_BUCKETS = [
  0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2700, 3600,
];
const PROBE_RESULTS: readonly ProbeMetricResult[] = ['successful', 'failed', 'unknown'];
const CONTAINER_STATES: readonly ContainerStateLabel[] = ['created', 'running', 'exited', 'unknown'];
const alpha = (help: string) => `[ALPHA] ${help}`;

export class PrometheusMetrics implements KubeletMetrics {
  readonly registry = new Registry();
  readonly probeRegistry = new Registry();
  readonly #all: Registry;
  readonly #runtimeOps: Counter<'operation_type'>;
  readonly #runtimeDuration: Histogram<'operation_type'>;
  readonly #runtimeErrors: Counter<'operation_type'>;
  readonly #podWorker: Histogram<'operation_type'>;
  readonly #podStart: Histogram;
  readonly #probes: Counter<keyof ProbeLabels | 'result'>;
  readonly #runningPods: Gauge;
  readonly #runningContainers: Gauge<'container_state'>;
  /** Label-bound children by operation type: one lookup per call instead of a label hash. */
  readonly #ops = new Map<
    string,
    { total: Counter.Internal; duration: Histogram.Internal<'operation_type'>; errors: Counter.Internal }
  >();

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#runtimeOps = new Counter({
      name: 'kubelet_runtime_operations_total',
      help: alpha('Cumulative number of runtime operations by operation type.'),
      labelNames: ['operation_type'],
      registers,
    });
    this.#runtimeDuration = new Histogram({
      name: 'kubelet_runtime_operations_duration_seconds',
      help: alpha('Duration in seconds of runtime operations. Broken down by operation type.'),
      labelNames: ['operation_type'],
      buckets: exponentialBuckets(0.005, 2.5, 14),
      registers,
    });
    this.#runtimeErrors = new Counter({
      name: 'kubelet_runtime_operations_errors_total',
      help: alpha('Cumulative number of runtime operation errors by operation type.'),
      labelNames: ['operation_type'],
      registers,
    });
    this.#podWorker = new Histogram({
      name: 'kubelet_pod_worker_duration_seconds',
      help: alpha('Duration in seconds to sync a single pod. Broken down by operation type: create, update, or sync'),
      labelNames: ['operation_type'],
      buckets: DEF_BUCKETS,
      registers,
    });
    this.#podStart = new Histogram({
      name: 'kubelet_pod_start_duration_seconds',
      help: alpha('Duration in seconds from kubelet seeing a pod for the first time to the pod starting to run'),
      buckets: POD_START_BUCKETS,
      registers,
    });
    this.#probes = new Counter({
      name: 'prober_probe_total',
      help: alpha('Cumulative number of a liveness, readiness or startup probe for a container by result.'),
      labelNames: ['probe_type', 'result', 'container', 'pod', 'namespace', 'pod_uid'],
      registers: [this.probeRegistry],
    });
    this.#runningPods = new Gauge({
      name: 'kubelet_running_pods',
      help: alpha('Number of pods that have a running pod sandbox'),
      registers,
    });
    this.#runningContainers = new Gauge({
      name: 'kubelet_running_containers',
      help: alpha('Number of containers currently running'),
      labelNames: ['container_state'],
      registers,
    });
    this.#all = Registry.merge([this.registry, this.probeRegistry]);
  }

  runtimeOperation(operationType: string, seconds: number, failed: boolean): void {
    let op = this.#ops.get(operationType);
    if (!op) {
      const labels = { operation_type: operationType };
      op = {
        total: this.#runtimeOps.labels(labels),
        duration: this.#runtimeDuration.labels(labels),
        errors: this.#runtimeErrors.labels(labels),
      };
      this.#ops.set(operationType, op);
    }
    op.total.inc();
    op.duration.observe(seconds);
    if (failed) op.errors.inc();
  }

  podWorkerDuration(operation: PodWorkerOperation, seconds: number): void {
    this.#podWorker.labels({ operation_type: operation }).observe(seconds);
  }

  podStartDuration(seconds: number): void {
    this.#podStart.observe(seconds);
  }

  probeSeries(labels: ProbeLabels): ProbeSeries {
    const children = new Map<ProbeMetricResult, Counter.Internal>();
    return {
      inc: (result) => {
        let c = children.get(result);
        if (!c) {
          c = this.#probes.labels({ ...labels, result });
          children.set(result, c);
        }
        c.inc();
      },
      remove: () => {
        for (const result of PROBE_RESULTS) if (children.has(result)) this.#probes.remove({ ...labels, result });
        children.clear();
      },
    };
  }

  setRunning(pods: number, containers: Record<ContainerStateLabel, number>): void {
    this.#runningPods.set(pods);
    for (const s of CONTAINER_STATES) this.#runningContainers.labels({ container_state: s }).set(containers[s]);
  }

  /** The Prometheus text exposition: every metric, or the probe metrics alone. */
  async scrape(which: 'all' | 'probes'): Promise<{ contentType: string; body: string }> {
    const r = which === 'all' ? this.#all : this.probeRegistry;
    return { contentType: r.contentType, body: await r.metrics() };
  }
}
