// An agent running in a container writes files under its root dir that the *engine* then
// bind-mounts into pod containers by path (termination-log files, etc-hosts, resolv.conf,
// projected/secret volumes, subPath staging). That is only right when the engine sees the
// root dir at the very same path, i.e. the agent was started with
// `-v /var/lib/minikubelet:/var/lib/minikubelet:rshared`. Checked once at start, so a wrong
// `docker run` is refused with what to do instead of giving pods empty or missing files.
//
// How: a marker file with a random token is written under the root dir; a container is
// *created* (never started) with the root dir bound read-only, and the engine's archive API
// reads the marker back through that bind. Same token → same directory.
import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { LOCAL_PAUSE_IMAGE } from '../options.js';

const MOUNT_POINT = '/mnt/minikubelet-root-dir';
export const ROOT_DIR_CHECK_LABEL = 'io.minikubelet.root-dir-check';

export function rootDirNotSharedMessage(rootDir: string, why: string): string {
  return (
    `the Docker engine does not see the root dir ${rootDir} at the same path (${why}); ` +
    'the engine bind-mounts files from it into pods (termination logs, /etc/hosts, resolv.conf, volumes). ' +
    `Run the agent's container with -v ${rootDir}:${rootDir}:rshared (the same path on the host and inside) ` +
    `and --root-dir ${rootDir}`
  );
}

/** Throws rootDirNotSharedMessage when the engine's view of `rootDir` is not the agent's. */
export async function checkRootDirVisibleToEngine(
  docker: Dockerode,
  rootDir: string,
  image = LOCAL_PAUSE_IMAGE,
): Promise<void> {
  const token = randomBytes(16).toString('hex');
  const name = `.engine-check-${token.slice(0, 8)}`;
  const marker = join(rootDir, name);
  await fs.mkdir(rootDir, { recursive: true, mode: 0o700 });
  await fs.writeFile(marker, token, { mode: 0o600 });
  let container: Dockerode.Container | undefined;
  try {
    container = await docker
      .createContainer({
        Image: image,
        Labels: { [ROOT_DIR_CHECK_LABEL]: 'true' },
        // A Mounts bind (not Binds) fails on a missing source instead of creating it on the host.
        HostConfig: {
          Mounts: [{ Type: 'bind', Source: rootDir, Target: MOUNT_POINT, ReadOnly: true }],
          NetworkMode: 'none',
        },
      })
      .catch((e: { statusCode?: number; message?: string }) => {
        if (e.statusCode === 400 && /does not exist/.test(e.message ?? ''))
          throw new Error(rootDirNotSharedMessage(rootDir, 'the path does not exist for the engine'));
        throw e;
      });
    const seen = await readArchivedFile(container, `${MOUNT_POINT}/${name}`);
    if (seen === undefined) throw new Error(rootDirNotSharedMessage(rootDir, 'the engine finds no marker file there'));
    if (seen !== token) throw new Error(rootDirNotSharedMessage(rootDir, 'the engine reads another marker there'));
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
    await fs.rm(marker, { force: true });
  }
}

/** The content of one regular file through the archive API; undefined when it does not exist. */
async function readArchivedFile(container: Dockerode.Container, path: string): Promise<string | undefined> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await container.getArchive({ path });
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  const tar = Buffer.concat(chunks);
  // One ustar entry: the size is octal at offset 124 of the header, the data follows it.
  const size = Number.parseInt(tar.subarray(124, 136).toString().replace(/\0.*$/s, '').trim(), 8);
  if (!Number.isFinite(size) || tar.length < 512 + size) return undefined;
  return tar.subarray(512, 512 + size).toString();
}

/**
 * The agent mounts tmpfs (secret/projected volumes) and subPath binds under the root dir; the
 * engine sees them only if the root dir's mount propagates back to the host (`rshared`:
 * "shared:N" in /proc/self/mountinfo; `rslave` gives "master:N" only, the default none).
 */
export function checkRootDirPropagation(
  rootDir: string,
  mountinfo = readFileSync('/proc/self/mountinfo', 'utf8'),
): void {
  const m = mountOf(rootDir, mountinfo);
  if (!m?.optional.some((f) => f.startsWith('shared:')))
    throw new Error(
      rootDirNotSharedMessage(
        rootDir,
        `its mount (${m?.point ?? 'none'}) does not propagate mounts back to the host: it needs rshared propagation, and the host directory must be a shared mount (mount --bind DIR DIR && mount --make-rshared DIR)`,
      ),
    );
}

/** The mountinfo entry whose mount point holds `path` (the longest prefix). */
export function mountOf(path: string, mountinfo: string): { point: string; optional: string[] } | undefined {
  let best: { point: string; optional: string[] } | undefined;
  for (const line of mountinfo.split('\n')) {
    const f = line.split(' ');
    const point = f[4]?.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    if (point === undefined) continue;
    const inside = point === '/' || path === point || path.startsWith(`${point}/`);
    if (!inside || (best && best.point.length > point.length)) continue;
    const sep = f.indexOf('-', 6);
    best = { point, optional: f.slice(6, sep < 0 ? undefined : sep) };
  }
  return best;
}
