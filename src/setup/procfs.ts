// Process state from /proc. Liveness must come from the state letter, not `kill -0`:
// a killed dockerd lingers as a zombie for seconds, and kill -0 succeeds on zombies.
import { readFileSync } from 'node:fs';

/** The state letter of /proc/<pid>/stat (R, S, D, Z, X...), or undefined when the pid is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return parseStatState(stat);
  } catch {
    return undefined;
  }
}

/** Parses the state from a /proc/<pid>/stat line; comm may hold spaces and ')' so cut at the last ')'. */
export function parseStatState(stat: string): string | undefined {
  const i = stat.lastIndexOf(')');
  if (i < 0) return undefined;
  return stat.slice(i + 1).trim()[0];
}

/** Alive = exists and is neither a zombie nor dead. */
export function isAlive(pid: number): boolean {
  const s = processState(pid);
  return s !== undefined && s !== 'Z' && s !== 'X' && s !== 'x';
}

export function processName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Reads a pidfile; undefined when missing or not a positive integer. */
export function readPidFile(path: string): number | undefined {
  try {
    return parsePid(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export function parsePid(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n > 0 ? n : undefined;
}

/** Waits until the pid no longer exists at all (zombies included); false on timeout. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processState(pid) !== undefined) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
