// The busybox image's build context, computed from the host's static busybox and its
// applet list. Pure, so unit tests check the layout without an engine.
import type { TarEntry } from './tar.js';

export interface BusyboxInputs {
  busybox: Buffer;
  /** Output of `busybox --list-full`: one path per line, e.g. usr/bin/env, sbin/ifconfig. */
  listFull: string;
  dockerfile: string;
  passwd: string;
  group: string;
}

const APPLET_DIRS = new Set(['bin', 'sbin', 'usr/bin', 'usr/sbin']);

/** Parses `busybox --list-full` into [dir, applet] pairs in the usual directories. */
export function parseAppletList(listFull: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const raw of listFull.split('\n')) {
    const line = raw.trim().replace(/^\/+/, '');
    const i = line.lastIndexOf('/');
    if (i <= 0) continue; // e.g. linuxrc: belongs to no PATH directory
    const dir = line.slice(0, i);
    const name = line.slice(i + 1);
    if (!APPLET_DIRS.has(dir) || name === '' || name === '.' || name === '..') continue;
    out.push([dir, name]);
  }
  return out;
}

/**
 * rootfs/: /bin/busybox, a symlink per applet in its usual directory (so /usr/bin/env
 * exists) and also in /bin (what `busybox --install -s /bin` would give), /tmp 1777,
 * /etc/passwd and /etc/group, /root. Sorted, so equal inputs give an equal tar.
 */
export function busyboxContextEntries(inp: BusyboxInputs): TarEntry[] {
  const links = new Map<string, string>();
  for (const [dir, name] of parseAppletList(inp.listFull)) {
    if (name === 'busybox') continue;
    links.set(`rootfs/${dir}/${name}`, '/bin/busybox');
    links.set(`rootfs/bin/${name}`, '/bin/busybox');
  }
  links.delete('rootfs/bin/busybox');
  const entries: TarEntry[] = [
    { type: 'file', name: 'Dockerfile', data: inp.dockerfile },
    { type: 'dir', name: 'rootfs' },
    ...['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'etc', 'var'].map(
      (d): TarEntry => ({ type: 'dir', name: `rootfs/${d}` }),
    ),
    { type: 'dir', name: 'rootfs/root', mode: 0o700 },
    { type: 'dir', name: 'rootfs/tmp', mode: 0o1777 },
    { type: 'dir', name: 'rootfs/var/tmp', mode: 0o1777 },
    { type: 'file', name: 'rootfs/bin/busybox', mode: 0o755, data: inp.busybox },
    { type: 'file', name: 'rootfs/etc/passwd', data: inp.passwd },
    { type: 'file', name: 'rootfs/etc/group', data: inp.group },
    ...[...links.keys()].sort().map((name): TarEntry => ({ type: 'symlink', name, target: links.get(name)! })),
  ];
  return entries;
}
