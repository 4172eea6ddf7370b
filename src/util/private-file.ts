// Files only the agent's user may read (credentials, kubeconfig): 0600 in a 0700 dir,
// written atomically and durably (write + fsync + rename + fsync of the directory) so
// a reader, or a restart after a crash, never sees half a key.
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileDurably } from './durable-write.js';

/** Creates `dir` (and parents) and makes it 0700 even when it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Writes `data` to `path` with mode 0600 via a synced temporary file and a rename. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  ensurePrivateDir(dirname(path));
  writeFileDurably(path, `${path}.${process.pid}.tmp`, data, 0o600);
  // The umask may have narrowed the mode further, never widened it; set it exactly.
  chmodSync(path, 0o600);
}
