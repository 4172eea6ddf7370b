// Live state of the pulls in flight, for `minikubelet run` and the agent's
// /minikubelet/v1/pulls endpoint: bytes downloaded and layers done, per image.
// Built from the engine's progress messages (one per layer id and status change).
import type { PullSnapshot } from '../apis/minikubelet/v1/types.js';

export type { PullSnapshot };

interface LayerState {
  status: string;
  current: number;
  total: number;
  done: boolean;
}

const LAYER_ID = /^[0-9a-f]{12,64}$/;
const DONE = new Set(['Pull complete', 'Already exists']);
const DOWNLOADED = new Set(['Download complete', 'Verifying Checksum', 'Extracting', 'Pull complete']);

/** One pull's progress, fed with the engine's messages. */
export class PullState {
  readonly pods = new Set<string>();
  phase: 'queued' | 'pulling' = 'queued';
  status: string | undefined;
  readonly #layers = new Map<string, LayerState>();
  constructor(
    readonly image: string,
    readonly startedAt: number,
  ) {}

  update(p: { id?: string; status: string; current?: number; total?: number }): void {
    if (!p.id || !LAYER_ID.test(p.id)) {
      if (p.status) this.status = p.status;
      return;
    }
    const l = this.#layers.get(p.id) ?? { status: '', current: 0, total: 0, done: false };
    l.status = p.status;
    if (p.status === 'Downloading') {
      if (p.total !== undefined && p.total > 0) l.total = p.total;
      if (p.current !== undefined) l.current = p.current;
    } else if (DOWNLOADED.has(p.status) && l.total > 0) {
      l.current = l.total;
    }
    if (DONE.has(p.status)) l.done = true;
    this.#layers.set(p.id, l);
  }

  snapshot(): PullSnapshot {
    let current = 0,
      total = 0,
      done = 0;
    for (const l of this.#layers.values()) {
      current += l.current;
      total += l.total;
      if (l.done) done++;
    }
    return {
      image: this.image,
      pods: [...this.pods].sort(),
      phase: this.phase,
      startedAt: this.startedAt,
      layers: { done, total: this.#layers.size },
      bytes: { current, total },
      ...(this.status ? { status: this.status } : {}),
    };
  }
}

/** `12.3 MB`-style sizes for progress lines. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** One plain-text progress line: `image: 3/5 layers, 12 MB / 30 MB`. */
export function formatPullLine(s: PullSnapshot): string {
  if (s.phase === 'queued') return `${s.image}: waiting for a pull slot`;
  const bytes = s.bytes.total > 0 ? `, ${formatBytes(s.bytes.current)} / ${formatBytes(s.bytes.total)}` : '';
  const layers = s.layers.total > 0 ? `${s.layers.done}/${s.layers.total} layers${bytes}` : (s.status ?? 'resolving');
  return `${s.image}: ${layers}`;
}

/** A progress bar line for a TTY: `image [=====>    ] 45% 3/5 layers 12 MB/30 MB`. */
export function formatPullBar(s: PullSnapshot, width = 24): string {
  if (s.phase === 'queued' || s.layers.total === 0) return formatPullLine(s);
  const frac = s.bytes.total > 0 ? Math.min(1, s.bytes.current / s.bytes.total) : s.layers.done / s.layers.total;
  const filled = Math.round(frac * width);
  const bar = `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (filled === width ? '=' : '>') : ''}`.padEnd(width);
  const bytes = s.bytes.total > 0 ? ` ${formatBytes(s.bytes.current)}/${formatBytes(s.bytes.total)}` : '';
  return `${s.image} [${bar}] ${String(Math.round(frac * 100)).padStart(3)}% ${s.layers.done}/${s.layers.total} layers${bytes}`;
}
