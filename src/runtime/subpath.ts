// Safe subPath resolution, as pkg/volume/util/subpath/subpath_linux.go does it
// (doSafeOpen, doSafeMakeDir, and the EvalSymlinks check of doBindSubPath): a
// container that shares the volume may plant symlinks in it (`ln -s / vol/escape`,
// CVE-2017-1002101) or swap a directory for a symlink while we look (CVE-2021-25741),
// so every component is opened relative to the already opened parent with O_NOFOLLOW,
// never by re-walking a path string, and the opened descriptor is what gets bound.
//
// Node has no openat/mkdirat, but Linux gives the same thing through the magic link of
// an open descriptor: `/proc/self/fd/<dir>/<name>` resolves <name> inside the directory
// the descriptor holds, whatever has since happened to its path. O_PATH (not exported
// by Node; libuv passes open flags through) opens without reading, so a FIFO cannot
// block us and a device is never really opened. Linux-only, like the kubelet's code.
import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';

/** O_PATH on Linux (asm-generic and x86). */
const O_PATH = 0o10000000;
const NOFOLLOW = O_PATH | constants.O_NOFOLLOW;

/** The path through which a descriptor's file is reached, race-free. */
export function fdPath(fd: number): string {
  return `/proc/self/fd/${fd}`;
}

/** pkg/volume/util/subpath/subpath.go PathWithinBase: `full` is `base` or below it. */
export function pathWithinBase(full: string, base: string): boolean {
  const rel = relative(base, full);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

/** The descending components of a subPath; anything absolute or with `..` is refused. */
export function subPathComponents(subPath: string): string[] {
  if (subPath.startsWith('/')) throw new Error(`error SubPath \`${subPath}\` must not be an absolute path`);
  const parts = subPath.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new Error(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  return parts;
}

/** openat(dirFd, name, O_PATH|O_NOFOLLOW), refusing a symlink (doSafeOpen). */
function openChild(dirFd: number, name: string, shownPath: string): number {
  const fd = openSync(`${fdPath(dirFd)}/${name}`, NOFOLLOW);
  if (fstatSync(fd).isSymbolicLink()) {
    closeSync(fd);
    throw new Error(`unexpected symlink found ${shownPath}`);
  }
  return fd;
}

/**
 * doSafeOpen: open `pathname` (a real path inside `base`) one component at a time from
 * `base`, following no symlink. Returns an O_PATH descriptor the caller must close.
 */
export function safeOpen(pathname: string, base: string): number {
  if (!pathWithinBase(pathname, base)) throw new Error(`path ${pathname} is outside of allowed base ${base}`);
  let fd = openSync(base, NOFOLLOW);
  let current = base;
  try {
    for (const seg of relative(base, pathname).split(sep).filter(Boolean)) {
      current = join(current, seg);
      const child = openChild(fd, seg, current);
      closeSync(fd);
      fd = child;
    }
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * doSafeOpen of a subPath after doBindSubPath's EvalSymlinks check: symlinks that
 * resolve inside the volume are allowed (as the kubelet allows them), any that leaves
 * it, dangles or loops is refused. The result is an O_PATH descriptor of the target.
 */
export function safeOpenSubPath(volumeRoot: string, subPath: string): number {
  const base = realpathSync(volumeRoot);
  const resolved = realpathSync(join(base, ...subPathComponents(subPath)));
  if (!pathWithinBase(resolved, base)) throw new Error(`subpath "${resolved}" not within volume path "${base}"`);
  const fd = safeOpen(resolved, base);
  // The kernel's name for what we opened: a swap between realpath and the walk above
  // that still ended inside the volume is harmless, anything else is refused.
  const opened = readlinkSync(fdPath(fd));
  if (!pathWithinBase(opened, base)) {
    closeSync(fd);
    throw new Error(`subpath "${opened}" not within volume path "${base}"`);
  }
  return fd;
}

/**
 * doSafeMakeDir: create the missing directories of `subPath` inside the volume with
 * `mode` (chmod after mkdir, so the umask does not apply), each mkdir relative to the
 * opened parent. An existing prefix may contain symlinks that stay inside the volume.
 */
export function safeMakeDir(volumeRoot: string, subPath: string, mode: number): void {
  const base = realpathSync(volumeRoot);
  const parts = subPathComponents(subPath);
  let existing = 0;
  while (existing < parts.length && lexists(join(base, ...parts.slice(0, existing + 1)))) existing++;
  const existingPath = realpathSync(join(base, ...parts.slice(0, existing)));
  if (!pathWithinBase(existingPath, base)) throw new Error(`path ${existingPath} is outside of allowed base ${base}`);
  let fd = safeOpen(existingPath, base);
  let current = existingPath;
  try {
    if (existing === parts.length && !fstatSync(fd).isDirectory()) throw new Error(`mkdir ${current}: not a directory`);
    for (const name of parts.slice(existing)) {
      current = join(current, name);
      mkdirSync(`${fdPath(fd)}/${name}`, { mode });
      const child = openChild(fd, name, current);
      closeSync(fd);
      fd = child;
      // The kubelet's Fchmod (mkdir is subject to the umask). fchmod(2) refuses O_PATH
      // descriptors; chmod of the magic link reaches the same inode.
      chmodSync(fdPath(fd), mode);
    }
  } finally {
    closeSync(fd);
  }
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
