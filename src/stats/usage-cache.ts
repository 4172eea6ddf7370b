// Usage per container (or the node), read from a sample source at most once per period,
// as metrics-server scrapes every 15 s (metrics-server pkg/server/config.go
// MetricResolution) and the kubelet's cAdvisor housekeeps on its own interval: however
// many `kubectl top` runs and /stats/summary reads arrive, the engine sees at most one
// stats request per container per period, and concurrent readers share the one in flight.
//
// CPU usage is a rate between two cumulative samples (metrics-server pkg/storage
// types.go resourceUsage: Δcpu ÷ Δt, in nanocores). The pair is the previous sample this
// cache holds and the new one; when there is none young enough (first read, or nobody
// asked for a while) the source is asked for a two-point reading instead (the engine's
// stream=false without one-shot, which waits ~1 s and returns precpu_stats too).
import type { Clock } from '../util/clock.js';
import type { CpuPoint, MemorySample, UsageSample, UsageSampleSource } from '../runtime/container-stats.js';

export interface Usage {
  /** When the newer sample was taken (ms since the epoch). */
  timeMs: number;
  /** Cumulative CPU time, ns. */
  cpuNs: number;
  /** The rate, when two comparable samples exist; with the interval it was averaged over. */
  cpu?: { nanoCores: number; windowMs: number };
  memory: MemorySample;
}

interface Entry {
  fetchedAtMs?: number;
  last?: CpuPoint;
  usage?: Usage;
  inflight?: Promise<Usage | undefined>;
}

/**
 * Nanocores from two cumulative points (Δns ÷ Δs). Undefined when they cannot be
 * compared: not strictly later, or the counter went backwards (a restarted container).
 */
export function cpuRate(older: CpuPoint, newer: CpuPoint): { nanoCores: number; windowMs: number } | undefined {
  const windowMs = newer.readMs - older.readMs;
  const used = newer.cpuNs - older.cpuNs;
  if (windowMs <= 0 || used < 0) return undefined;
  return { nanoCores: Math.round((used * 1000) / windowMs), windowMs };
}

export class UsageCache {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly source: UsageSampleSource,
    private readonly clock: Clock,
    /** At most one sample per id per period. */
    private readonly periodMs: number,
    private readonly onError?: (id: string, err: unknown) => void,
  ) {}

  /** The usage of `id`, sampled now unless a sample of this period exists. Undefined when the source fails. */
  get(id: string): Promise<Usage | undefined> {
    const e = this.#entry(id);
    if (e.inflight !== undefined) return e.inflight;
    const now = this.clock.now();
    if (e.fetchedAtMs !== undefined && now - e.fetchedAtMs < this.periodMs) return Promise.resolve(e.usage);
    // A held sample older than two periods would average over a stale window: take a fresh pair.
    const base = e.last && e.fetchedAtMs !== undefined && now - e.fetchedAtMs <= 2 * this.periodMs ? e.last : undefined;
    e.inflight = this.#fetch(id, e, base).finally(() => {
      e.inflight = undefined;
    });
    return e.inflight;
  }

  /** Forget every id not in `keep` (containers gone), so the cache does not grow. */
  retain(keep: Set<string>): void {
    for (const id of this.#entries.keys()) if (!keep.has(id)) this.#entries.delete(id);
  }

  size(): number {
    return this.#entries.size;
  }

  #entry(id: string): Entry {
    let e = this.#entries.get(id);
    if (!e) {
      e = {};
      this.#entries.set(id, e);
    }
    return e;
  }

  async #fetch(id: string, e: Entry, base: CpuPoint | undefined): Promise<Usage | undefined> {
    let s: UsageSample;
    try {
      s = await this.source.sample(id, base !== undefined);
    } catch (err) {
      // A failure counts as this period's request too: no retry storm against a sick engine.
      e.fetchedAtMs = this.clock.now();
      e.usage = undefined;
      this.onError?.(id, err);
      return undefined;
    }
    const older = base ?? s.previous;
    const cpu = older ? cpuRate(older, s) : undefined;
    e.fetchedAtMs = this.clock.now();
    e.last = { readMs: s.readMs, cpuNs: s.cpuNs };
    e.usage = { timeMs: s.readMs, cpuNs: s.cpuNs, ...(cpu ? { cpu } : {}), memory: s.memory };
    return e.usage;
  }
}
