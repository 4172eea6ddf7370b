// hostPath SetUp: pkg/volume/hostpath/host_path.go checkType / checkTypeInternal, with
// its error texts. The agent runs on the host, so it checks the host path itself (a
// containerised agent would need the host's / mounted at the same path).
import { closeSync, mkdirSync, openSync, type Stats, statSync, constants } from 'node:fs';

/** The kubelet's GetFileType (Stat: symlinks are followed, as the runtime's bind does). */
function fileStat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

const CHECKS: Record<string, { is: (s: Stats) => boolean; what: string }> = {
  Directory: { is: (s) => s.isDirectory(), what: 'a directory' },
  File: { is: (s) => s.isFile(), what: 'a file' },
  Socket: { is: (s) => s.isSocket(), what: 'a socket file' },
  CharDevice: { is: (s) => s.isCharacterDevice(), what: 'a character device' },
  BlockDevice: { is: (s) => s.isBlockDevice(), what: 'a block device' },
};

/**
 * Check (and for the OrCreate types create) the host path; throws the kubelet's message.
 * An unset type is not checked, but a missing path is created as a directory, as the
 * engine's bind of a missing source did and containerd's CRI does (WithMounts).
 */
export function checkHostPathType(path: string, type: string | undefined): void {
  const exists = fileStat(path) !== undefined;
  switch (type ?? '') {
    case '':
      if (!exists) mkdirSync(path, { recursive: true, mode: 0o755 });
      return;
    case 'DirectoryOrCreate':
      if (!exists) {
        mkdirSync(path, { recursive: true, mode: 0o755 }); // makeDir: os.MkdirAll(path, 0755)
        return;
      }
      break;
    case 'FileOrCreate':
      if (!exists) {
        // makeFile: os.OpenFile(path, O_CREATE, 0644); the parent must exist.
        closeSync(openSync(path, constants.O_RDONLY | constants.O_CREAT, 0o644));
        return;
      }
      break;
  }
  const kind = (type ?? '').replace(/OrCreate$/, '');
  const check = CHECKS[kind];
  if (!check) throw new Error(`${type} is an invalid volume type`);
  const st = fileStat(path);
  if (!st || !check.is(st)) throw new Error(`hostPath type check failed: ${path} is not ${check.what}`);
}
