// The shape of test/bench/results/latest.json and the printed table.

/** One measured row. Timing cases fill agent_ms/raw_ms/ratio; others value/unit. */
export interface BenchRow {
  case: string;
  /** Median of the agent's runs (ms). */
  agent_ms?: number;
  /** Median of the raw-dockerode baseline runs in the same run (ms). */
  raw_ms?: number;
  /** agent_ms / raw_ms. */
  ratio?: number;
  agent_p90_ms?: number;
  raw_p90_ms?: number;
  /** Per-pod latency percentiles (burst). */
  agent_p50_ms?: number;
  agent_p99_ms?: number;
  raw_p50_ms?: number;
  raw_p99_ms?: number;
  /** Non-timing figures (CPU %, RSS MB, growth %). */
  value?: number;
  unit?: string;
  /** The same figure for the raw baseline, where there is one (steady state). */
  raw_value?: number;
  /** Number of runs (or pods, or cycles) behind the figure. */
  n: number;
  /** The issue's goal for this row, as text, and whether this run met it. */
  goal?: string;
  met?: boolean;
  skipped?: boolean;
  note?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory_mb: number;
  kernel: string;
  docker: string;
  docker_api: string;
  node: string;
  /** 1/5/15-minute load averages at the start and at the end of the run. */
  load_before: number[];
  load_after?: number[];
}

export interface BenchResults {
  date: string;
  mode: 'quick' | 'full';
  duration_s?: number;
  machine: Machine;
  results: BenchRow[];
  notes: string[];
}

export function isValidResults(r: unknown): r is BenchResults {
  const o = r as BenchResults;
  return (
    !!o &&
    typeof o.date === 'string' &&
    typeof o.machine === 'object' &&
    Array.isArray(o.results) &&
    o.results.every((row) => typeof row.case === 'string' && typeof row.n === 'number')
  );
}

function fmt(v: number | undefined, digits = 0): string {
  if (v === undefined) return '';
  if (!Number.isFinite(v)) return 'n/a';
  return v.toFixed(digits);
}

/** A plain-text table: one line per row. */
export function formatTable(rows: BenchRow[]): string {
  const header = ['case', 'agent ms (p90)', 'raw ms (p90)', 'ratio', 'value (raw)', 'n', 'goal', 'met'];
  const lines = rows.map((r) => [
    r.case,
    r.skipped
      ? 'skipped'
      : r.agent_ms !== undefined
        ? `${fmt(r.agent_ms)}${r.agent_p90_ms !== undefined ? ` (${fmt(r.agent_p90_ms)})` : ''}`
        : '',
    r.raw_ms !== undefined ? `${fmt(r.raw_ms)}${r.raw_p90_ms !== undefined ? ` (${fmt(r.raw_p90_ms)})` : ''}` : '',
    r.ratio !== undefined && Number.isFinite(r.ratio) ? `${fmt(r.ratio, 2)}x` : '',
    r.value !== undefined
      ? `${fmt(r.value, r.unit === '%' ? 2 : 1)} ${r.unit ?? ''}`.trim() +
        (r.raw_value !== undefined ? ` (${fmt(r.raw_value, r.unit === '%' ? 2 : 1)})` : '')
      : '',
    String(r.n),
    r.goal ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const out = [header, ...lines].map((l) =>
    l
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const notes = rows.filter((r) => r.note).map((r) => `  ${r.case}: ${r.note}`);
  return [...out, ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
