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
  /** Start cases (issue #17): the peer measured on the same manifest in the same run, interleaved. */
  peer?: string;
  /** Median of the peer's successful runs (ms). */
  peer_ms?: number;
  peer_p90_ms?: number;
  /** Successful peer runs behind peer_ms. */
  peer_n?: number;
  /** agent_ms / peer_ms. */
  peer_ratio?: number;
  peer_goal?: string;
  peer_met?: boolean;
  /** Why the peer has no figure, or how many of its runs failed. */
  peer_note?: string;
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
  /** start: --start, the start cases only. */
  mode: 'quick' | 'full' | 'start';
  duration_s?: number;
  machine: Machine;
  results: BenchRow[];
  notes: string[];
  /** The start cases' peer: measured, or why not (issue #17). */
  peer?: { name: string; available: boolean; version?: string; reason?: string };
  /** Where the raw baseline's sandboxes get their network (`--raw-network`). */
  raw_network?: string;
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

/** "436 (1.37x)": the peer's median and agent ÷ peer; "-" when the peer has no figure. */
function peerCell(r: BenchRow): string {
  if (r.peer === undefined) return '';
  if (r.peer_ms === undefined) return '-';
  return `${fmt(r.peer_ms)}${r.peer_ratio !== undefined && Number.isFinite(r.peer_ratio) ? ` (${fmt(r.peer_ratio, 2)}x)` : ''}`;
}

/** A plain-text table: one line per row. */
export function formatTable(rows: BenchRow[]): string {
  const header = [
    'case',
    'agent ms (p90)',
    'raw ms (p90)',
    'ratio',
    'peer ms (ratio)',
    'value (raw)',
    'n',
    'goal',
    'met',
  ];
  const lines = rows.map((r) => [
    r.case,
    r.skipped
      ? 'skipped'
      : r.agent_ms !== undefined
        ? `${fmt(r.agent_ms)}${r.agent_p90_ms !== undefined ? ` (${fmt(r.agent_p90_ms)})` : ''}`
        : '',
    r.raw_ms !== undefined ? `${fmt(r.raw_ms)}${r.raw_p90_ms !== undefined ? ` (${fmt(r.raw_p90_ms)})` : ''}` : '',
    r.ratio !== undefined && Number.isFinite(r.ratio) ? `${fmt(r.ratio, 2)}x` : '',
    peerCell(r),
    r.value !== undefined
      ? `${fmt(r.value, r.unit === '%' ? 2 : 1)} ${r.unit ?? ''}`.trim() +
        (r.raw_value !== undefined ? ` (${fmt(r.raw_value, r.unit === '%' ? 2 : 1)})` : '')
      : '',
    String(r.n),
    [r.goal, r.peer_goal].filter(Boolean).join('; '),
    [
      r.met === undefined ? '' : r.met ? 'yes' : 'NO',
      r.peer_met === undefined ? '' : `peer ${r.peer_met ? 'yes' : 'NO'}`,
    ]
      .filter(Boolean)
      .join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const out = [header, ...lines].map((l) =>
    l
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  out.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const notes = rows.flatMap((r) => [
    ...(r.note ? [`  ${r.case}: ${r.note}`] : []),
    ...(r.peer_note ? [`  ${r.case}: ${r.peer ?? 'peer'}: ${r.peer_note}`] : []),
  ]);
  return [...out, ...(notes.length ? ['', 'notes:', ...notes] : [])].join('\n');
}
