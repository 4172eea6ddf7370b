// Paths built from an object's identity (a pod's UID, a container's name) must stay
// under the directory they are meant for, whatever that identity holds. The API
// server assigns UIDs, but a static manifest may carry its own, and a path that
// escapes its parent turns a cleanup (`rm -r`) into deleting someone else's files.
// Mirrors the spirit of pkg/volume/util/subpath/subpath_linux.go doSafeMakeDir:
// check every component, then check the resolved result.
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `parent/part1/part2…`, or a thrown Error when a part is unsafe or the result escapes `parent`. */
export function childPath(parent: string, ...parts: string[]): string {
  if (parts.length === 0) throw new Error('childPath: at least one path component is required');
  for (const p of parts) checkComponent(p);
  const base = resolve(parent);
  const out = resolve(base, ...parts);
  const rel = relative(base, out);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new Error(`unsafe path component ${JSON.stringify(parts.join('/'))}: it leaves its directory`);
  }
  return out;
}

/** One path component: non-empty, not `.` or `..`, no separator, no NUL. */
function checkComponent(part: string): void {
  if (part === '' || part === '.' || part === '..' || part.includes('/') || part.includes('\0')) {
    throw new Error(`unsafe path component ${JSON.stringify(part)}`);
  }
}
