// EnsureImageExists (pkg/kubelet/images/image_manager.go): the pull decision runs at
// every container (re)start; pulls are bounded and shared; failures back off per
// pod+image and surface as ErrImagePull / ImagePullBackOff.
import PQueue from 'p-queue';
import type { Container, ValidPod } from '../spec/types.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { EventSink } from '../events/recorder.js';
import { containerFieldPath } from '../events/recorder.js';
import { Reason } from '../events/reasons.js';
import { Backoff } from '../util/backoff.js';
import type { Clock } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import { isValidImageRef, withDefaultTag } from '../spec/image-ref.js';

/** A container cannot start because of its image; reason is the waiting reason. */
export class ImageError extends Error {
  constructor(readonly reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName' | 'ImageInspectError', message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

export interface ImageManagerDeps {
  runtime: ContainerRuntime;
  events: EventSink;
  clock: Clock;
  pullConcurrency: number;
  backOffBaseMs: number;
  backOffMaxMs: number;
}

export class ImageManager {
  readonly #queue: PQueue;
  readonly #inflight = new Map<string, Promise<void>>();
  readonly #backoff: Backoff;
  readonly #lastFailure = new Map<string, { at: number; message: string }>();

  constructor(private readonly deps: ImageManagerDeps) {
    this.#queue = new PQueue({ concurrency: deps.pullConcurrency });
    this.#backoff = new Backoff(deps.clock, deps.backOffBaseMs, deps.backOffMaxMs);
  }

  /** Resolves when the image is present; throws ImageError otherwise. */
  async ensureImageExists(pod: ValidPod, c: Container): Promise<void> {
    const image = c.image ?? '';
    const fieldPath = containerFieldPath(pod, c.name);
    const ev = (type: 'Normal' | 'Warning', reason: string, msg: string) => this.deps.events.event(pod, type, reason, msg, fieldPath);
    if (!isValidImageRef(image)) {
      const msg = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`;
      ev('Warning', Reason.InspectFailed, msg);
      throw new ImageError('InvalidImageName', msg);
    }
    const present = await this.deps.runtime.imageExists(image);
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    if (policy === 'Never' || (policy === 'IfNotPresent' && present)) {
      if (present) {
        ev('Normal', Reason.Pulled, `Container image "${image}" already present on machine`);
        return;
      }
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      ev('Warning', Reason.ErrImageNeverPull, msg);
      throw new ImageError('ErrImageNeverPull', msg);
    }
    const key = `${pod.metadata.uid}_${image}`;
    const last = this.#lastFailure.get(key);
    if (last && this.#backoff.isInBackOffSince(key, last.at)) {
      ev('Normal', Reason.BackOff, `Back-off pulling image "${image}"`);
      throw new ImageError('ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${last.message}`);
    }
    ev('Normal', Reason.Pulling, `Pulling image "${image}"`);
    const started = this.deps.clock.now();
    try {
      await this.#pullShared(image);
    } catch (err) {
      const message = errorMessage(err);
      const at = this.deps.clock.now();
      this.#backoff.next(key, at);
      this.#lastFailure.set(key, { at, message });
      ev('Warning', Reason.Failed, `Failed to pull image "${image}": ${message}`);
      throw new ImageError('ErrImagePull', message);
    }
    this.#lastFailure.delete(key);
    const took = ((this.deps.clock.now() - started) / 1000).toFixed(3).replace(/\.?0+$/, '');
    ev('Normal', Reason.Pulled, `Successfully pulled image "${image}" in ${took}s`);
  }

  /** Concurrent pulls of one image share one engine pull. */
  #pullShared(image: string): Promise<void> {
    const ref = withDefaultTag(image);
    let p = this.#inflight.get(ref);
    if (!p) {
      p = this.#queue.add(() => this.deps.runtime.pullImage(ref)).finally(() => this.#inflight.delete(ref)) as Promise<void>;
      this.#inflight.set(ref, p);
    }
    return p;
  }

  forgetPod(uid: string): void {
    this.#backoff.resetPrefix(`${uid}_`);
    for (const k of this.#lastFailure.keys()) if (k.startsWith(`${uid}_`)) this.#lastFailure.delete(k);
  }
}
