// The kubelet's /metrics/resource (pkg/kubelet/metrics/collectors/resource_metrics.go):
// the cumulative CPU and working-set figures of the summary as Prometheus text, each
// sample stamped with the time it was taken (ms), which is what metrics-server v0.6+
// scrapes and turns into rates. Written by hand rather than through prom-client: the
// samples are per-scrape constants with their own timestamps, which prom-client's
// registered metrics do not model.

export interface ResourceSample {
  labels?: Record<string, string>;
  value: number;
  /** ms since the epoch; omitted for container_start_time_seconds, as upstream. */
  timeMs?: number;
}

export interface ResourceFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: ResourceSample[];
}

/** The families in the order the Prometheus gatherer writes them (by name), with upstream's help. */
export const RESOURCE_FAMILIES = {
  containerCpu: [
    'container_cpu_usage_seconds_total',
    'Cumulative cpu time consumed by the container in core-seconds',
    'counter',
  ],
  containerMemory: ['container_memory_working_set_bytes', 'Current working set of the container in bytes', 'gauge'],
  containerStart: ['container_start_time_seconds', 'Start time of the container since unix epoch in seconds', 'gauge'],
  nodeCpu: ['node_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the node in core-seconds', 'counter'],
  nodeMemory: ['node_memory_working_set_bytes', 'Current working set of the node in bytes', 'gauge'],
  podCpu: ['pod_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the pod in core-seconds', 'counter'],
  podMemory: ['pod_memory_working_set_bytes', 'Current working set of the pod in bytes', 'gauge'],
  resourceScrapeError: [
    'resource_scrape_error',
    '1 if there was an error while getting container metrics, 0 otherwise',
    'gauge',
  ],
} as const satisfies Record<string, readonly [string, string, 'counter' | 'gauge']>;

/**
 * A float as Go's strconv.FormatFloat(v, 'g', -1, 64), which the exposition format uses:
 * shortest digits, exponent form when the exponent is < -4 or >= 6 (`3.506176e+06`).
 */
export function goFloat(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  const [mantissa, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** The text exposition (format 0.0.4): HELP with the [STABLE] tag, TYPE, sorted labels. */
export function exposition(families: ResourceFamily[]): string {
  const out: string[] = [];
  for (const f of [...families].sort((a, b) => a.name.localeCompare(b.name))) {
    out.push(`# HELP ${f.name} [STABLE] ${f.help}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      const ts = s.timeMs !== undefined ? ` ${Math.floor(s.timeMs)}` : '';
      out.push(`${f.name}${labels ? `{${labels}}` : ''} ${goFloat(s.value)}${ts}`);
    }
  }
  return `${out.join('\n')}\n`;
}
