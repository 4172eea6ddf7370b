// Crash-safe file replacement, as the kubelet's checkpoint store
// (pkg/kubelet/util/store/filestore.go writeFile: a temporary file, Sync, Rename), plus
// an fsync of the directory so the rename itself is on disk. A reader, or a restart after `kill -9` or a power
// loss, sees the old content or the new one, never half of either.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { crashPoint } from './crash-point.js';

/**
 * Replaces `path` with `data` (mode `mode` on a new file). `tmp` must be in the same
 * directory. Throws with nothing changed when a step fails (the temporary file is removed).
 * `crashPoints`: the stored records (JsonDir) offer the test-only crash points
 * persist-half-written and persist-before-rename; other files (kubeconfig, the
 * resourceVersion lease) are written at every start and would hit them first.
 */
export function writeFileDurably(
  path: string,
  tmp: string,
  data: string | Uint8Array,
  mode: number,
  opts: { crashPoints?: boolean } = {},
): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(tmp, 'w', mode);
    try {
      const half = bytes.length >> 1;
      writeAll(fd, bytes.subarray(0, half));
      if (opts.crashPoints) crashPoint('persist-half-written');
      writeAll(fd, bytes.subarray(half));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (opts.crashPoints) crashPoint('persist-before-rename');
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dirname(path));
}

/** fsync a directory: makes a rename or an unlink in it durable. */
export function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
