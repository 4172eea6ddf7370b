// What a local image was last found built from, so a start need not rebuild the build
// context to learn its hash (issue #17, lever 3). The busybox image's build hash covers
// a ~2 MB tar made from the static busybox binary and its `--list-full` output: packing
// and hashing it at every `serve` cost ~50 ms of CPU and left ~10 MiB more RSS behind.
// The memo maps a cheap key — the binary's path and file identity (device, inode,
// size, mtime, ctime) plus the other build inputs — to the hash computed last time. It
// only saves the computation: the image's own build-hash label is still compared, and
// any change of the inputs (a new busybox package, an edited Dockerfile) misses the memo
// and takes the full path. Kept under the root dir; a missing or corrupt memo is a miss.
import { readFileSync, type Stats } from 'node:fs';
import { buildHash } from './image-build.js';
import { writePrivateFile } from '../util/private-file.js';

export type BuildMemo = Record<string, { key: string; hash: string } | undefined>;

/** The key of a file's identity: a package upgrade or an edit changes at least one part. */
export function fileIdentity(path: string, st: Stats): string {
  return [path, st.dev, st.ino, st.size, st.mtimeMs, st.ctimeMs].join(':');
}

/** The memo key of `image` built from these inputs. */
export function memoKey(image: string, ...inputs: Array<string | Buffer>): string {
  return buildHash('memo/v1', image, ...inputs);
}

export function readBuildMemo(file: string): BuildMemo {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as BuildMemo) : {};
  } catch {
    return {};
  }
}

/** The hash remembered for `image` under `key`, if the memo holds exactly that key. */
export function memoHash(memo: BuildMemo, image: string, key: string): string | undefined {
  const e = memo[image];
  return e && e.key === key && typeof e.hash === 'string' ? e.hash : undefined;
}

export function writeBuildMemo(file: string, memo: BuildMemo, image: string, key: string, hash: string): void {
  writePrivateFile(file, `${JSON.stringify({ ...memo, [image]: { key, hash } })}\n`);
}
