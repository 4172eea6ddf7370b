// Local stand-ins for the images the seeds name (ubuntu, nginx, hello-app, foo/bar), so the
// seeds' manifests run as written with only the image name changed: no registry is
// reachable, so each is a small image FROM the local busybox image giving what the seed
// relies on — its default command, port and paths (images/stand-ins/<dir>/Dockerfile).
// Built like the busybox image: the build hash covers the context and the base image's id,
// so a second run costs an inspect per image, and a rebuilt busybox rebuilds them.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { LOCAL_BUSYBOX_IMAGE } from '../options.js';
import type { Logger } from '../util/logger.js';
import { buildHash, buildImage, imageBuildHash } from './image-build.js';
import { tarPack, type TarEntry } from './tar.js';

/**
 * The seed's image → the local stand-in a manifest in manifests/ names instead. Tags are
 * never `latest`: that would default imagePullPolicy to Always, and a pull from
 * minikubelet.local (a name no registry answers) fails, as it would on a node.
 */
export interface StandIn {
  /** Directory under images/stand-ins. */
  dir: string;
  /** The image built; `alsoTagged` are further tags of the same image. */
  image: string;
  alsoTagged?: string[];
  seedImages: string[];
}

export const STAND_INS: readonly StandIn[] = [
  {
    dir: 'ubuntu',
    image: 'minikubelet.local/ubuntu:stand-in',
    alsoTagged: ['minikubelet.local/ubuntu:trusty'],
    seedImages: ['ubuntu', 'ubuntu:trusty'],
  },
  { dir: 'nginx', image: 'minikubelet.local/nginx:stand-in', seedImages: ['nginx'] },
  {
    dir: 'hello-app',
    image: 'minikubelet.local/google-samples/hello-app:2.0',
    seedImages: ['gcr.io/google-samples/hello-app:2.0'],
  },
  { dir: 'foo-bar', image: 'minikubelet.local/foo/bar:stand-in', seedImages: ['foo/bar'] },
];

/** The context of one stand-in: its directory's files plus the shared /bin/bash wrapper, sorted. */
export async function standInContext(standInsDir: string, dir: string): Promise<TarEntry[]> {
  const files = new Map<string, string>([['bash', join(standInsDir, 'bash')]]);
  for (const name of await fs.readdir(join(standInsDir, dir))) files.set(name, join(standInsDir, dir, name));
  const entries: TarEntry[] = [];
  for (const name of [...files.keys()].sort()) {
    const path = files.get(name)!;
    const st = await fs.stat(path);
    // Only the executable bit matters: git keeps no other mode bits.
    entries.push({ type: 'file', name, mode: st.mode & 0o100 ? 0o755 : 0o644, data: await fs.readFile(path) });
  }
  return entries;
}

export async function ensureStandInImages(
  docker: Dockerode,
  imagesDir: string,
  opts: { log: Logger; force?: boolean },
): Promise<void> {
  const base = (await docker.getImage(LOCAL_BUSYBOX_IMAGE).inspect()).Id;
  const standInsDir = join(imagesDir, 'stand-ins');
  for (const s of STAND_INS) {
    const tar = tarPack(await standInContext(standInsDir, s.dir));
    const hash = buildHash('stand-in/v1', base, tar);
    if (opts.force || (await imageBuildHash(docker, s.image)) !== hash) {
      opts.log.info({ image: s.image, standsInFor: s.seedImages }, 'building a stand-in image');
      await buildImage(docker, tar, s.image, hash, opts.log);
    }
    for (const ref of s.alsoTagged ?? []) {
      if ((await imageBuildHash(docker, ref)) === hash) continue;
      const colon = ref.lastIndexOf(':');
      await docker.getImage(s.image).tag({ repo: ref.slice(0, colon), tag: ref.slice(colon + 1) });
    }
  }
}
