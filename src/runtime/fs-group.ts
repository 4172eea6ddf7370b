// fsGroup volume ownership (pkg/volume/volume_linux.go SetVolumeOwnership): every file
// of the volume gets the group, rw for the group (r when read-only), and directories
// x and the setgid bit, so files created later inherit the group too.
import { chmodSync, lchownSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

function wanted(st: Stats, readOnly: boolean): number {
  let mask = readOnly ? RO_MASK : RW_MASK;
  if (st.isDirectory()) mask |= EXEC_MASK | SETGID;
  return mask;
}

/** requiresPermissionChange: OnRootMismatch skips the walk when the root already fits. */
export function requiresPermissionChange(dir: string, gid: number, readOnly: boolean): boolean {
  const st = lstatSync(dir);
  if (st.gid !== gid) return true;
  const mask = wanted(st, readOnly);
  return (st.mode & mask) !== mask;
}

/** changeFilePermission: lchown to the group; symlinks keep their mode. */
function changeFilePermission(path: string, st: Stats, gid: number, readOnly: boolean): void {
  lchownSync(path, -1, gid);
  if (st.isSymbolicLink()) return;
  chmodSync(path, (st.mode & 0o7777) | wanted(st, readOnly));
}

function walk(path: string, gid: number, readOnly: boolean): void {
  const st = lstatSync(path);
  changeFilePermission(path, st, gid, readOnly);
  if (!st.isDirectory()) return;
  for (const name of readdirSync(path)) walk(join(path, name), gid, readOnly);
}

/** SetVolumeOwnership for one volume directory on the host; `policy` is fsGroupChangePolicy. */
export function setVolumeOwnership(dir: string, gid: number, policy: string | undefined, readOnly = false): void {
  if (policy === 'OnRootMismatch' && !requiresPermissionChange(dir, gid, readOnly)) return;
  walk(dir, gid, readOnly);
}
