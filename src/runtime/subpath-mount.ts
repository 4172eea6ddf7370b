// The bind half of pkg/volume/util/subpath/subpath_linux.go doBindSubPath: the
// descriptor safeOpenSubPath opened is bind-mounted (`mount --bind /proc/self/fd/N`)
// onto a staging path under the agent's state dir, and the engine binds that staging
// path into the container. The engine cannot take the descriptor itself: runc refuses
// to bind /proc/<agent pid>/fd/N (EINVAL: the mount belongs to another namespace), and
// any path string would be re-walked, re-opening the symlink race.
//
// This needs the agent and dockerd in one mount namespace (true when the agent runs on
// the host). A containerised agent would need its state dir bind-mounted from the host
// at the same path with rshared propagation, and CAP_SYS_ADMIN.
import { fstatSync, lstatSync, mkdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fdPath } from './subpath.js';
import { podDirNames } from './pod-dirs.js';
import { run, unmountAll, unmountAndRemove } from './mounts.js';

export function podSubPathDir(stateDir: string, podUid: string): string {
  return join(stateDir, 'volume-subpaths', podUid);
}

/** Pod UIDs with a subPath staging directory (<state>/volume-subpaths/<uid>). */
export function podSubPathDirs(stateDir: string): string[] {
  return podDirNames(join(stateDir, 'volume-subpaths'));
}

/** <state>/volume-subpaths/<uid>/<volume>/<container>/<mount index>, as the kubelet lays it out. */
export function subPathStagingPath(
  stateDir: string,
  podUid: string,
  volume: string,
  container: string,
  index: number,
): string {
  return join(podSubPathDir(stateDir, podUid), volume, container, String(index));
}

/**
 * Bind the opened subPath (an O_PATH descriptor; the caller closes it) onto `target`: a
 * 0750 directory or 0640 file like the kubelet's. A leftover mount from an earlier
 * instance of the container is replaced. --no-canonicalize: mount must not turn the
 * /proc link back into a path string.
 */
export async function bindSubPath(fd: number, target: string): Promise<void> {
  await unmountAll(target);
  mkdirSync(dirname(target), { recursive: true, mode: 0o750 });
  removeEntry(target);
  if (fstatSync(fd).isDirectory()) mkdirSync(target, { mode: 0o750 });
  else writeFileSync(target, '', { mode: 0o640 });
  await run('mount', ['--no-canonicalize', '--bind', fdPath(3), target], fd);
}

/**
 * Unmount and remove a pod's staging paths (CleanSubPaths). Nothing is removed while a
 * mount remains: a recursive delete through a bind would delete the volume's files.
 */
export async function cleanSubPaths(stateDir: string, podUid: string): Promise<void> {
  await unmountAndRemove(podSubPathDir(stateDir, podUid));
}

/** Unmount every pod's staging paths (before anything deletes the state dir recursively). */
export async function unmountAllSubPaths(stateDir: string): Promise<void> {
  await unmountAll(join(stateDir, 'volume-subpaths'));
}

/** Remove a leftover staging file or (empty) directory; never recursively. */
function removeEntry(p: string): void {
  try {
    if (lstatSync(p).isDirectory()) rmdirSync(p);
    else unlinkSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
