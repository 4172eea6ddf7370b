// The root dir holds credentials (Secrets, the kubeconfig) and state: it is created
// 0700, whichever command (serve, run, setup) creates it first. An existing directory
// is not changed (it may be one the user chose to share, like a home directory); its
// group/other bits are reported so the caller can warn.
import { mkdirSync, statSync } from 'node:fs';

/** Create `dir` (and missing parents) 0700. Returns the permission bits of an existing dir others can use. */
export function ensurePrivateDir(dir: string): { looseMode?: number } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  return mode & 0o077 ? { looseMode: mode } : {};
}

/** The warning for a root dir that other users can read or enter. */
export function looseDirWarning(dir: string, mode: number): string {
  return `${dir} is accessible to other users (mode ${mode.toString(8).padStart(4, '0')}); it holds credentials and state: chmod 700 it`;
}
