// Building a local image from a context tar, labelled with the hash of its inputs so a
// second setup run rebuilds only what changed (shared by images.ts and stand-in-images.ts).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import type { Logger } from '../util/logger.js';
import { buildOutput, drainProgress } from './progress.js';

export const BUILD_HASH_LABEL = 'io.minikubelet.build-hash';

/** sha256 over length-prefixed parts, so ("ab","c") and ("a","bc") differ. */
export function buildHash(...parts: Array<string | Buffer>): string {
  const h = createHash('sha256');
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p) : p;
    h.update(`${b.length}:`);
    h.update(b);
  }
  return `sha256:${h.digest('hex')}`;
}

/** The build-hash label of an image, '' when it has none, undefined when it is absent. */
export async function imageBuildHash(docker: Dockerode, name: string): Promise<string | undefined> {
  try {
    const info = await docker.getImage(name).inspect();
    return info.Config?.Labels?.[BUILD_HASH_LABEL] ?? '';
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

export async function buildImage(
  docker: Dockerode,
  tar: Buffer,
  name: string,
  hash: string,
  log: Logger,
  extra: { buildargs?: Record<string, string> } = {},
): Promise<void> {
  const started = Date.now();
  const stream = await docker.buildImage(Readable.from([tar]), {
    t: name,
    labels: { [BUILD_HASH_LABEL]: hash },
    rm: true,
    forcerm: true,
    ...(extra.buildargs ? { buildargs: extra.buildargs } : {}),
  });
  try {
    const events = await drainProgress(docker, stream);
    log.debug({ image: name, output: buildOutput(events) }, 'build output');
  } catch (e) {
    throw new Error(`building image ${name} failed: ${(e as Error).message}`);
  }
  const got = await imageBuildHash(docker, name);
  if (got !== hash)
    throw new Error(`building image ${name}: the engine reported success but the image is missing or stale`);
  log.info({ image: name, ms: Date.now() - started }, 'built image');
}
