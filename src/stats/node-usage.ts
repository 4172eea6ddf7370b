// The node's own usage from /proc, standing in for cAdvisor's root cgroup (the kubelet's
// node stats, pkg/kubelet/stats/helper.go): cumulative CPU time from /proc/stat and the
// working set from /proc/meminfo. A sample source like the engine's, so the same cache
// bounds how often it is read.
import { readFileSync } from 'node:fs';
import type { UsageSample, UsageSampleSource } from '../runtime/container-stats.js';

/** Linux's USER_HZ: /proc/stat counts in 1/100 s on every architecture the kernel exports. */
const NS_PER_TICK = 1e7;

/**
 * Busy CPU time in ns from the aggregate `cpu` line: user + nice + system + irq + softirq
 * + steal. Idle and iowait are not usage; guest time is already inside user.
 */
export function cpuNsFromProcStat(text: string): number | undefined {
  const m = /^cpu\s+(.*)$/m.exec(text);
  if (!m) return undefined;
  const f = m[1]!.trim().split(/\s+/).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return (user + nice + system + irq + softirq + steal) * NS_PER_TICK;
}

/** `btime`: boot time, ms since the epoch (the node's startTime in the summary). */
export function bootTimeFromProcStat(text: string): number | undefined {
  const m = /^btime\s+(\d+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

/**
 * The root cgroup's memory as cAdvisor reports it, approximated from /proc/meminfo:
 * usage = MemTotal - MemFree (page cache included, as memory.usage_in_bytes), working set
 * = usage - Inactive(file), available = MemTotal - working set.
 */
export function memoryFromMeminfo(text: string): UsageSample['memory'] | undefined {
  const kb = (key: string) => {
    const m = new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+)\\s*kB$`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : undefined;
  };
  const total = kb('MemTotal');
  const free = kb('MemFree');
  if (total === undefined || free === undefined) return undefined;
  const usage = total - free;
  const inactive = kb('Inactive(file)') ?? 0;
  const ws = inactive < usage ? usage - inactive : 0;
  return { usageBytes: usage, workingSetBytes: ws, availableBytes: Math.max(0, total - ws) };
}

export interface ProcReader {
  read(path: string): string;
}

const realProc: ProcReader = { read: (p) => readFileSync(p, 'utf8') };

/** The node as a sample source (its one id is ignored); `pause` spaces a two-point reading. */
export class NodeUsageSource implements UsageSampleSource {
  constructor(
    private readonly proc: ProcReader = realProc,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {}

  async sample(_id: string, oneShot: boolean): Promise<UsageSample> {
    const first = this.#point();
    if (oneShot) return first;
    // No recent sample to rate against: take a second one a second later, as the engine does.
    await this.pause(1000);
    const second = this.#point();
    return { ...second, previous: { readMs: first.readMs, cpuNs: first.cpuNs } };
  }

  #point(): UsageSample {
    const readMs = this.now();
    const cpuNs = cpuNsFromProcStat(this.proc.read('/proc/stat'));
    const memory = memoryFromMeminfo(this.proc.read('/proc/meminfo'));
    if (cpuNs === undefined || memory === undefined) throw new Error('/proc/stat or /proc/meminfo unreadable');
    return { readMs, cpuNs, memory };
  }

  /** Boot time for the summary's node startTime; undefined when /proc is not readable. */
  bootTimeMs(): number | undefined {
    try {
      return bootTimeFromProcStat(this.proc.read('/proc/stat'));
    } catch {
      return undefined;
    }
  }
}
