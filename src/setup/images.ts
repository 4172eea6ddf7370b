// Builds the images the agent and its tests need, locally and FROM scratch (no registry
// is reachable): the pod sandbox (pause) image, a busybox image and, from it, the seeds'
// stand-in images (stand-in-images.ts). Each image carries a
// hash of its build inputs as a label; an image whose label matches is left alone, so a
// second run costs two image inspects plus hashing.
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { LOCAL_BUSYBOX_IMAGE, LOCAL_PAUSE_IMAGE } from '../options.js';
import type { Logger } from '../util/logger.js';
import { busyboxContextEntries } from './busybox-context.js';
import { fileIdentity, memoHash, memoKey, readBuildMemo, writeBuildMemo } from './build-memo.js';
import { BUILD_HASH_LABEL, buildHash, buildImage, imageBuildHash } from './image-build.js';
import { drainProgress } from './progress.js';

export { BUILD_HASH_LABEL, buildHash, imageBuildHash };
import { ensureStandInImages } from './stand-in-images.js';
import { isStaticElf } from './elf.js';
import { aptInstall, canAptInstall, findExecutable, run, tail } from './exec.js';
import { tarPack, type TarEntry } from './tar.js';

/** Pause version compiled in (`/pause -v`); matches the image tag. */
const PAUSE_VERSION = '3.10';
const GCC_ARGS = ['-static', '-Os', '-s', `-DVERSION=${PAUSE_VERSION}`];

export interface EnsureImagesOptions {
  log: Logger;
  podInfraImage?: string;
  /** Rebuild even when the build hash matches. */
  force?: boolean;
  /** Allow apt-get installs of gcc/libc6-dev/busybox-static (`setup --install`; root on Debian only). Default false. */
  install?: boolean;
  /**
   * A ready pause binary (the agent's own image carries one, MINIKUBELET_PAUSE_BINARY): used
   * instead of compiling pause.c when there is no gcc, e.g. inside the agent's container.
   */
  pauseBinary?: string;
  /** Directory holding pause/ and busybox/; found from this module's location by default. */
  imagesDir?: string;
  /** Where the busybox image's build inputs are remembered (build-memo.ts); none = always recomputed. */
  buildMemoFile?: string;
}

export async function ensureLocalImages(docker: Dockerode, opts: EnsureImagesOptions): Promise<void> {
  const dir = opts.imagesDir ?? findImagesDir();
  await ensurePauseImage(docker, dir, opts);
  await ensureBusyboxImage(docker, dir, opts);
  await ensureStandInImages(docker, dir, opts);
  if (opts.podInfraImage && opts.podInfraImage !== LOCAL_PAUSE_IMAGE) {
    await pullIfAbsent(docker, opts.podInfraImage, opts.log);
  }
}

/** The local pause image (`image` is another name only for tests that must not touch the shared one). */
export async function ensurePauseImage(
  docker: Dockerode,
  dir: string,
  opts: EnsureImagesOptions,
  image = LOCAL_PAUSE_IMAGE,
): Promise<void> {
  const { log } = opts;
  const source = await fs.readFile(join(dir, 'pause', 'pause.c'));
  const dockerfile = await fs.readFile(join(dir, 'pause', 'Dockerfile'));
  // Hash the inputs, not the binary, so an unchanged image needs no compiler run.
  const hash = buildHash('pause/v1', GCC_ARGS.join(' '), source, dockerfile);
  const current = opts.force ? undefined : await imageBuildHash(docker, image);
  if (current === hash) {
    log.debug({ image }, 'image up to date');
    return;
  }
  const context = (binary: Buffer): Buffer =>
    tarPack([
      { type: 'file', name: 'Dockerfile', data: dockerfile },
      { type: 'file', name: 'pause', mode: 0o755, data: binary },
    ]);
  if (opts.pauseBinary && !findExecutable('gcc')) {
    // Labelled with the binary's own hash: it may not come from this pause.c (the official
    // image's Dockerfile takes registry.k8s.io/pause's).
    const binary = await fs.readFile(opts.pauseBinary);
    const prebuilt = buildHash('pause/prebuilt/v1', binary, dockerfile);
    if (current === prebuilt) return;
    log.info({ image, binary: opts.pauseBinary }, 'building the pause image from the bundled binary');
    await buildImage(docker, context(binary), image, prebuilt, log);
    return;
  }
  log.info({ image }, 'building the pause image (compiling pause.c)');
  await buildImage(docker, context(await compilePause(join(dir, 'pause', 'pause.c'), opts)), image, hash, log);
}

async function compilePause(sourcePath: string, opts: EnsureImagesOptions): Promise<Buffer> {
  const mayInstall = opts.install === true && canAptInstall();
  let gcc = findExecutable('gcc');
  if (!gcc) {
    if (!mayInstall)
      throw new Error(
        'gcc is needed to build the pause image: install gcc and static glibc (Debian/Ubuntu: `apt-get install gcc libc6-dev`, or `minikubelet setup --install` as root)',
      );
    await aptInstall(['gcc', 'libc6-dev'], opts.log);
    gcc = findExecutable('gcc');
    if (!gcc) throw new Error('installed gcc but it is still not in the system directories');
  }
  const compiler = gcc;
  const tmp = await fs.mkdtemp(join(tmpdir(), 'minikubelet-pause-'));
  try {
    const out = join(tmp, 'pause');
    const compile = (): ReturnType<typeof run> =>
      run(compiler, [...GCC_ARGS, '-o', out, sourcePath], { timeoutMs: 120_000 });
    let r = await compile();
    if (r.code !== 0 && mayInstall) {
      // Usually the static libc (libc6-dev) is missing.
      await aptInstall(['gcc', 'libc6-dev'], opts.log);
      r = await compile();
    }
    if (r.code !== 0) {
      throw new Error(
        `compiling the pause binary failed (gcc exit ${r.code}); a static glibc is needed (Debian/Ubuntu: libc6-dev):\n${tail(r.stderr + r.stdout)}`,
      );
    }
    return await fs.readFile(out);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

async function ensureBusyboxImage(docker: Dockerode, dir: string, opts: EnsureImagesOptions): Promise<void> {
  const { log } = opts;
  const bbPath = await staticBusybox(opts);
  const dockerfile = await fs.readFile(join(dir, 'busybox', 'Dockerfile'), 'utf8');
  const passwd = await fs.readFile(join(dir, 'busybox', 'passwd'), 'utf8');
  const group = await fs.readFile(join(dir, 'busybox', 'group'), 'utf8');
  // The memo (build-memo.ts) spares packing and hashing the context when nothing changed.
  const memoFile = opts.buildMemoFile;
  const memo = memoFile ? readBuildMemo(memoFile) : {};
  const key = memoKey(LOCAL_BUSYBOX_IMAGE, fileIdentity(bbPath, await fs.stat(bbPath)), dockerfile, passwd, group);
  const current = opts.force ? undefined : await imageBuildHash(docker, LOCAL_BUSYBOX_IMAGE);
  if (current !== undefined && current === memoHash(memo, LOCAL_BUSYBOX_IMAGE, key)) {
    log.debug({ image: LOCAL_BUSYBOX_IMAGE }, 'image up to date (inputs unchanged)');
    return;
  }
  const busybox = await fs.readFile(bbPath);
  const list = await run(bbPath, ['--list-full'], { timeoutMs: 10_000 });
  if (list.code !== 0) throw new Error(`${bbPath} --list-full failed: ${tail(list.stderr)}`);
  const entries: TarEntry[] = busyboxContextEntries({ busybox, listFull: list.stdout, dockerfile, passwd, group });
  // The context tar is deterministic, so its hash is the build hash.
  const tar = tarPack(entries);
  const hash = buildHash('busybox/v1', tar);
  if (memoFile) writeBuildMemo(memoFile, memo, LOCAL_BUSYBOX_IMAGE, key, hash);
  if (current === hash) {
    log.debug({ image: LOCAL_BUSYBOX_IMAGE }, 'image up to date');
    return;
  }
  log.info({ image: LOCAL_BUSYBOX_IMAGE, busybox: bbPath }, 'building the busybox image');
  await buildImage(docker, tar, LOCAL_BUSYBOX_IMAGE, hash, log);
}

/** Debian's busybox-static gives /bin/busybox; the plain busybox package's is dynamic, unusable FROM scratch. */
async function staticBusybox(opts: EnsureImagesOptions): Promise<string> {
  const find = async (): Promise<string | undefined> => {
    for (const p of ['/bin/busybox', '/usr/bin/busybox', findExecutable('busybox')]) {
      if (!p) continue;
      // The program headers follow the ELF header: its first 64 KiB tell, the whole file if not.
      const head = await readHead(p, 64 * 1024);
      if (!head) continue;
      const isStatic = isStaticElf(head) ?? isStaticElf(await fs.readFile(p));
      if (isStatic) return p;
    }
    return undefined;
  };
  const found = await find();
  if (found) return found;
  if (opts.install !== true || !canAptInstall()) {
    throw new Error(
      'a static busybox is needed to build the busybox image: install it (Debian/Ubuntu: `apt-get install busybox-static`, or `minikubelet setup --install` as root)',
    );
  }
  await aptInstall(['busybox-static'], opts.log);
  const after = await find();
  if (!after) throw new Error('installed busybox-static but found no static busybox binary');
  return after;
}

async function readHead(path: string, bytes: number): Promise<Buffer | undefined> {
  const fh = await fs.open(path, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

/** Pulls a configured (non-local) sandbox image when it is not present. */
async function pullIfAbsent(docker: Dockerode, ref: string, log: Logger): Promise<void> {
  if ((await imageBuildHash(docker, ref)) !== undefined) return;
  log.info({ image: ref }, 'pulling the pod infra image');
  try {
    // dockerode splits ref into fromImage + tag (defaulting to latest): without a tag the
    // engine would pull every tag of the repository.
    const stream = await docker.pull(ref);
    await drainProgress(docker, stream);
  } catch (e) {
    throw new Error(
      `pulling the pod infra image "${ref}" failed: ${(e as Error).message}. Load it into the engine yourself, or use the locally built ${LOCAL_PAUSE_IMAGE} (the default)`,
    );
  }
}

/** The images/ directory of this package, found upward from this module (dist/src/setup or src/setup). */
export function findImagesDir(start = dirname(fileURLToPath(import.meta.url))): string {
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, 'images', 'pause', 'pause.c'))) return join(d, 'images');
    if (dirname(d) === d) throw new Error(`cannot find images/pause/pause.c above ${start}`);
  }
}
