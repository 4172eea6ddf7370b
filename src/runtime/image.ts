// Image presence and pulls. The pull stream reports failures *inside* a 200 response
// (`{"error": …, "errorDetail": …}`), so the stream must be read to the end and
// checked (cri-dockerd PullImage does the same).
import { type DockerClient, engineMessage, isEngineNotFound, type RegistryAuth } from './docker-client.js';
import type { PullProgress } from './runtime.js';

/** `busybox` → `busybox:latest`; refs with a tag or digest are unchanged. */
export function normalizeImageRef(ref: string): string {
  const { repo, tag, digest } = splitImageRef(ref);
  if (digest) return `${repo}@${digest}`;
  return `${repo}:${tag ?? 'latest'}`;
}

/** Split `host:5000/a/b:tag@sha256:…` into its parts (a port is not a tag). */
export function splitImageRef(ref: string): { repo: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repo: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

export async function imageExists(docker: DockerClient, ref: string): Promise<boolean> {
  try {
    await docker.inspectImage(normalizeImageRef(ref));
    return true;
  } catch (err) {
    if (isEngineNotFound(err)) return false;
    throw err;
  }
}

/** Size in bytes of a local image (undefined when absent). */
export async function imageSize(docker: DockerClient, ref: string): Promise<number | undefined> {
  try {
    return (await docker.inspectImage(normalizeImageRef(ref))).Size;
  } catch (err) {
    if (isEngineNotFound(err)) return undefined;
    throw err;
  }
}

interface ProgressEvent {
  id?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

/**
 * Pull one image. Always passes `tag` (the digest for `repo@sha256:…`): without it the
 * engine pulls every tag of the repository. `auth` is sent as X-Registry-Auth and
 * must never be logged.
 */
export async function pullImage(
  docker: DockerClient,
  ref: string,
  onProgress?: (p: PullProgress) => void,
  signal?: AbortSignal,
  auth?: RegistryAuth,
): Promise<void> {
  const { repo, tag, digest } = splitImageRef(ref);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pullStream(repo, digest ?? tag ?? 'latest', auth, signal);
  } catch (err) {
    throw new Error(engineMessage(err), { cause: err });
  }
  let inBand: string | undefined;
  await new Promise<void>((resolve, reject) => {
    const onAbort = () => (stream as unknown as { destroy?: (e?: Error) => void }).destroy?.(new Error('pull aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    docker.followProgress(
      stream,
      (err) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      },
      (e) => {
        const ev = e as ProgressEvent;
        if (ev.error || ev.errorDetail?.message) {
          inBand ??= ev.errorDetail?.message ?? ev.error;
          return;
        }
        if (!onProgress) return;
        const p: PullProgress = { status: ev.status ?? '' };
        if (ev.id) p.id = ev.id;
        if (ev.progressDetail?.current !== undefined) p.current = ev.progressDetail.current;
        if (ev.progressDetail?.total !== undefined) p.total = ev.progressDetail.total;
        onProgress(p);
      },
    );
  });
  if (signal?.aborted) throw new Error(`pull of ${ref} aborted`);
  if (inBand) throw new Error(inBand);
}
