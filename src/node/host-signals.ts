// Reads the host facts the node status is computed from: /proc and statfs. Every read
// is best-effort: a file or filesystem the agent cannot see (the engine on another
// machine, a non-Linux host) leaves that signal undefined rather than failing the status.
import { readFileSync, statfsSync } from 'node:fs';
import {
  type FsStats,
  type HostIdentity,
  type HostSignals,
  memAvailableFromMeminfo,
  processesFromLoadavg,
} from './node-status.js';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** statfs of a directory: capacity and space available to unprivileged users (cadvisor's fs.Available). */
export function fsStats(dir: string | undefined): FsStats | undefined {
  if (!dir) return undefined;
  try {
    const s = statfsSync(dir);
    return { capacityBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
  } catch {
    return undefined;
  }
}

/** nodefs = the root dir's filesystem; imagefs = the engine's data root when visible here. */
export function readHostSignals(rootDir: string, engineDataRoot: string | undefined): HostSignals {
  const meminfo = readText('/proc/meminfo');
  const loadavg = readText('/proc/loadavg');
  const pidMax = readText('/proc/sys/kernel/pid_max');
  const signals: HostSignals = {};
  const mem = meminfo === undefined ? undefined : memAvailableFromMeminfo(meminfo);
  if (mem !== undefined) signals.memAvailableBytes = mem;
  const nodefs = fsStats(rootDir);
  if (nodefs) signals.nodefs = nodefs;
  const imagefs = fsStats(engineDataRoot);
  if (imagefs) signals.imagefs = imagefs;
  if (pidMax !== undefined && /^\d+\s*$/.test(pidMax)) signals.pidMax = Number(pidMax);
  const procs = loadavg === undefined ? undefined : processesFromLoadavg(loadavg);
  if (procs !== undefined) signals.processes = procs;
  return signals;
}

/** machine-id, product UUID (root-readable only on most hosts: '' otherwise) and boot id. */
export function readHostIdentity(): HostIdentity {
  return {
    machineID: (readText('/etc/machine-id') ?? '').trim(),
    systemUUID: (readText('/sys/class/dmi/id/product_uuid') ?? '').trim(),
    bootID: (readText('/proc/sys/kernel/random/boot_id') ?? '').trim(),
  };
}
