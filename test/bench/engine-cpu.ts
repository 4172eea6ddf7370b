// The container engine's own CPU (issue #17): dockerd + containerd + containerd-shim*
// processes, summed from /proc/<pid>/stat utime+stime deltas over a measured window. What a
// user pays for a pod is the agent's CPU *and* the engine's work it causes; the steady-state
// case reports both side by side (and the same for the raw prober's window).
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux/x86-64 and arm64 (as test/bench/agent.ts)

/** The fields of /proc/<pid>/stat the bench needs (proc(5): comm 2, utime 14, stime 15, starttime 22). */
export interface ProcStat {
  comm: string;
  utimeTicks: number;
  stimeTicks: number;
  /** Ticks after boot; tells a reused pid from the process seen before. */
  startTicks: number;
}

/** Parses one /proc/<pid>/stat line; undefined when it is not one. comm may hold spaces and ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  // After ") " come fields 3.. (state first): utime is field 14, stime 15, starttime 22.
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(f[11]),
    stime = Number(f[12]),
    start = Number(f[19]);
  if (![utime, stime, start].every(Number.isFinite) || f.length < 20) return undefined;
  return { comm: text.slice(open + 1, close), utimeTicks: utime, stimeTicks: stime, startTicks: start };
}

/** The engine's processes by comm (the kernel truncates comm to 15 chars: containerd-shim-runc-v2 → containerd-shim). */
export type EngineRole = 'dockerd' | 'containerd' | 'shims';
export function engineRole(comm: string): EngineRole | undefined {
  if (comm === 'dockerd') return 'dockerd';
  if (comm === 'containerd') return 'containerd';
  if (comm.startsWith('containerd-shim')) return 'shims';
  return undefined;
}

export interface EngineProc {
  role: EngineRole;
  ticks: number;
  startTicks: number;
}
/** pid → the engine process's CPU ticks at one instant. */
export type EngineSnapshot = { t: number; procs: Map<number, EngineProc> };

/** Builds a snapshot from (pid, stat text) pairs: the pure half of snapshotEngine. */
export function engineSnapshotOf(stats: Iterable<[number, string]>, t: number): EngineSnapshot {
  const procs = new Map<number, EngineProc>();
  for (const [pid, text] of stats) {
    const s = parseProcStat(text);
    const role = s && engineRole(s.comm);
    if (s && role) procs.set(pid, { role, ticks: s.utimeTicks + s.stimeTicks, startTicks: s.startTicks });
  }
  return { t, procs };
}

/** Reads every process's stat (a process may exit while we read: skipped). */
export function snapshotEngine(): EngineSnapshot {
  const t = performance.now();
  const stats: [number, string][] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      stats.push([Number(name), readFileSync(`/proc/${name}/stat`, 'utf8')]);
    } catch {
      // gone between readdir and read
    }
  }
  return engineSnapshotOf(stats, t);
}

export interface EngineCpu {
  /** % of one core over the window, all engine processes together. */
  totalPct: number;
  byRole: Record<EngineRole, number>;
  /** Engine processes seen at the end of the window. */
  procs: number;
}

/**
 * CPU of the engine between two snapshots, as % of one core. A process present at both ends
 * counts its delta; one started inside the window (a new pid, or a reused pid with another
 * start time) counts all its ticks. Processes that exited inside the window are not seen: the
 * figure is a lower bound when shims come and go (the steady state keeps them all running).
 */
export function engineCpuBetween(a: EngineSnapshot, b: EngineSnapshot): EngineCpu {
  const secs = (b.t - a.t) / 1000;
  const byRole: Record<EngineRole, number> = { dockerd: 0, containerd: 0, shims: 0 };
  for (const [pid, p] of b.procs) {
    const before = a.procs.get(pid);
    const ticks = before && before.startTicks === p.startTicks ? p.ticks - before.ticks : p.ticks;
    byRole[p.role] += Math.max(0, ticks);
  }
  const pct = (ticks: number) => (secs > 0 ? (ticks / CLK_TCK / secs) * 100 : Number.NaN);
  return {
    totalPct: pct(byRole.dockerd + byRole.containerd + byRole.shims),
    byRole: { dockerd: pct(byRole.dockerd), containerd: pct(byRole.containerd), shims: pct(byRole.shims) },
    procs: b.procs.size,
  };
}
