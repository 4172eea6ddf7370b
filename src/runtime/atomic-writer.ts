// The kubelet's AtomicWriter (pkg/volume/util/atomic_writer.go) for configMap, secret,
// downwardAPI and projected volumes. A volume directory holds:
//   ..2026_12_02_07_30_00.123456789/   the payload, in a timestamped directory
//   ..data -> ..2026_12_02_…           the one symlink that is swapped on update
//   key -> ..data/key                  one symlink per top-level payload entry
// An update writes a new timestamped directory, renames a fresh `..data_tmp` symlink
// over `..data` (rename is atomic, so a reader sees the old payload or the new one,
// never a mix), then removes the old directory and the links of vanished keys.
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, posix } from 'node:path';
import { childPath } from '../util/safe-path.js';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Relative path (e.g. `dir/key`) → content and mode. */
export type Payload = Map<string, FileProjection>;

const DATA_DIR = '..data';
const DATA_TMP = '..data_tmp';

/** atomic_writer.go validatePath: relative, no `..` element, no element starting with `..`. */
export function checkPayloadPath(p: string): void {
  if (p === '') throw new Error('invalid path: must not be empty');
  if (posix.isAbsolute(p)) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.length > 4096) throw new Error(`invalid path: must be less than or equal to 4096 characters`);
  for (const part of p.split('/')) {
    if (part === '..') throw new Error(`invalid path: must not contain '..': ${p}`);
    if (part.startsWith('..')) throw new Error(`invalid path: must not start with '..': ${p}`);
    if (part === '' || part === '.' || part.includes('\0')) throw new Error(`invalid path: ${JSON.stringify(p)}`);
  }
}

/** The timestamped directory name, as the kubelet's `..2006_01_02_15_04_05.` + random suffix. */
function tsDirName(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const d = `${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}`;
  const t = `${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}`;
  return `..${d}_${t}.${p(now.getUTCMilliseconds(), 3)}${Math.floor(Math.random() * 1e6)}`;
}

/** The directory `..data` points at, or undefined before the first write. */
function currentDir(dir: string): string | undefined {
  try {
    return readlinkSync(join(dir, DATA_DIR));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** shouldWritePayload: the payload differs from what `..data` holds (content, mode or key set). */
function unchanged(dir: string, ts: string, payload: Payload): boolean {
  const base = join(dir, ts);
  if (listFiles(base).sort().join('\0') !== [...payload.keys()].sort().join('\0')) return false;
  for (const [p, f] of payload) {
    const file = childPathOf(base, p);
    if ((statSync(file).mode & 0o7777) !== f.mode || !readFileSync(file).equals(f.data)) return false;
  }
  return true;
}

function listFiles(base: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(base, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(base, rel));
    else out.push(rel);
  }
  return out;
}

function childPathOf(base: string, rel: string): string {
  return childPath(base, ...rel.split('/'));
}

/**
 * Write `payload` into `dir` (which must exist) the atomic way. Returns whether anything
 * changed. Every payload path is checked first: nothing is written when one is unsafe.
 */
export function writePayload(dir: string, payload: Payload, now = new Date()): boolean {
  for (const p of payload.keys()) checkPayloadPath(p);
  const old = currentDir(dir);
  if (old !== undefined && unchanged(dir, old, payload)) return false;
  const ts = tsDirName(now);
  const tsPath = childPath(dir, ts);
  mkdirSync(tsPath, { mode: 0o755 });
  try {
    for (const [p, f] of payload) {
      const file = childPathOf(tsPath, p);
      mkdirSync(join(file, '..'), { recursive: true, mode: 0o755 });
      writeFileSync(file, f.data, { mode: f.mode });
      chmodSync(file, f.mode); // the umask must not narrow the requested mode
    }
    const tmp = join(dir, DATA_TMP);
    rmSync(tmp, { force: true });
    symlinkSync(ts, tmp);
    renameSync(tmp, join(dir, DATA_DIR));
  } catch (err) {
    rmSync(tsPath, { recursive: true, force: true });
    throw err;
  }
  const tops = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const top of tops) ensureUserLink(dir, top);
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('..') && !tops.has(name)) unlinkSync(join(dir, name)); // removeUserVisiblePaths
  }
  if (old !== undefined && old !== ts) rmSync(childPath(dir, old), { recursive: true, force: true });
  return true;
}

/** createUserVisibleFiles: `top -> ..data/top`, left alone when it already points there. */
function ensureUserLink(dir: string, top: string): void {
  const link = childPath(dir, top);
  const target = `${DATA_DIR}/${top}`;
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) return;
    unlinkSync(link);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  symlinkSync(target, link);
}
