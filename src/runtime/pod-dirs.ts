// Per-pod directories under the state dir are named by pod UID (the kubelet's
// pods/<uid> layout); the GC lists them to find the ones whose pod is gone.
import { readdirSync } from 'node:fs';

/** The subdirectory names of `dir` (none when it does not exist). */
export function podDirNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
