// Container usage samples from the engine (the CRI's ContainerStats role; cri-dockerd
// core/container_stats.go reads the same GET /containers/{id}/stats). Decoding is pure
// so it is unit-tested; the reader records each call as the `container_stats` runtime
// operation, like every other engine call (instrumented-runtime.ts).
import PQueue from 'p-queue';
import type { KubeletMetrics } from '../metrics/metrics.js';
import type { DockerClient } from './docker-client.js';

/** One point of cumulative CPU time. */
export interface CpuPoint {
  /** When the engine read it, ms since the epoch (sub-ms precision kept). */
  readMs: number;
  /** Cumulative CPU time, ns. */
  cpuNs: number;
}

export interface MemorySample {
  usageBytes: number;
  /** usage - inactive_file (cAdvisor's working set), never negative. */
  workingSetBytes: number;
  rssBytes?: number;
  pageFaults?: number;
  majorPageFaults?: number;
  /** Only when the source knows a real limit (the node's total); absent = unlimited. */
  availableBytes?: number;
}

/** One stats reading: the current point, the engine's previous one if it gave one, memory. */
export interface UsageSample extends CpuPoint {
  previous?: CpuPoint;
  memory: MemorySample;
}

/** What the stats cache asks of a source: one sample of `id` (see DockerClient.containerStats). */
export interface UsageSampleSource {
  sample(id: string, oneShot: boolean): Promise<UsageSample>;
}

interface DockerCpuStats {
  cpu_usage?: { total_usage?: number };
}
interface DockerStats {
  read?: string;
  preread?: string;
  cpu_stats?: DockerCpuStats;
  precpu_stats?: DockerCpuStats;
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

/**
 * RFC 3339 with nanoseconds → ms since the epoch, keeping the sub-millisecond part
 * (a one-second precpu window needs it). Undefined for Go's zero time (no sample).
 */
export function parseEngineTime(t: string | undefined): number | undefined {
  if (!t || t.startsWith('0001-01-01')) return undefined;
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) return undefined;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(whole)) return undefined;
  return whole + (m[2] ? Number(`0${m[2]}`) * 1000 : 0);
}

/**
 * cAdvisor's working set (container/libcontainer/handler.go setMemoryStats): usage minus
 * inactive file pages, which the kernel can drop at once. cgroup v2 names the counter
 * `inactive_file`; cgroup v1 has both the cgroup's own `inactive_file` and the
 * hierarchical `total_inactive_file`, which cAdvisor uses.
 */
export function workingSetBytes(usage: number, stats: Record<string, number> | undefined): number {
  const inactive = stats?.total_inactive_file ?? stats?.inactive_file ?? 0;
  return inactive < usage ? usage - inactive : 0;
}

/** A Docker stats answer → a sample; throws when it holds no reading (a stopped container). */
export function sampleFromDockerStats(raw: unknown): UsageSample {
  const s = (raw ?? {}) as DockerStats;
  const readMs = parseEngineTime(s.read);
  const cpuNs = s.cpu_stats?.cpu_usage?.total_usage;
  if (readMs === undefined || cpuNs === undefined) throw new Error('the engine returned no stats sample');
  const preMs = parseEngineTime(s.preread);
  const preCpu = s.precpu_stats?.cpu_usage?.total_usage;
  const usage = s.memory_stats?.usage ?? 0;
  const st = s.memory_stats?.stats;
  const rss = st?.total_rss ?? st?.rss ?? st?.anon;
  const faults = st?.total_pgfault ?? st?.pgfault;
  const major = st?.total_pgmajfault ?? st?.pgmajfault;
  return {
    readMs,
    cpuNs,
    ...(preMs !== undefined && preCpu ? { previous: { readMs: preMs, cpuNs: preCpu } } : {}),
    memory: {
      usageBytes: usage,
      workingSetBytes: workingSetBytes(usage, st),
      ...(rss !== undefined ? { rssBytes: rss } : {}),
      ...(faults !== undefined ? { pageFaults: faults } : {}),
      ...(major !== undefined ? { majorPageFaults: major } : {}),
    },
  };
}

export interface DockerStatsOptions {
  metrics?: KubeletMetrics;
  /** Stats requests in flight at once (the first reading of each container takes ~2 s). */
  concurrency: number;
  /** A request that takes longer is abandoned (an engine that hangs must not hang `kubectl top`). */
  timeoutMs?: number;
}

/** A two-cycle reading takes the engine ~2 s; five times that is a hung engine. */
export const STATS_TIMEOUT_MS = 10_000;

/**
 * Samples containers through the engine: a bounded number at once, each with a deadline,
 * each call timed as runtime operation `container_stats`.
 */
export class DockerStatsSource implements UsageSampleSource {
  readonly #queue: PQueue;
  constructor(
    private readonly docker: Pick<DockerClient, 'containerStats'>,
    private readonly opts: DockerStatsOptions,
  ) {
    this.#queue = new PQueue({ concurrency: Math.max(1, opts.concurrency) });
  }

  sample(id: string, oneShot: boolean): Promise<UsageSample> {
    return this.#queue.add(() => this.#sample(id, oneShot));
  }

  async #sample(id: string, oneShot: boolean): Promise<UsageSample> {
    const start = performance.now();
    let failed = true;
    try {
      const raw = await this.docker.containerStats(
        id,
        oneShot,
        AbortSignal.timeout(this.opts.timeoutMs ?? STATS_TIMEOUT_MS),
      );
      const out = sampleFromDockerStats(raw);
      failed = false;
      return out;
    } finally {
      this.opts.metrics?.runtimeOperation('container_stats', (performance.now() - start) / 1000, failed);
    }
  }
}
