// EnsureImageExists (pkg/kubelet/images/image_manager.go): the pull decision runs at
// every container (re)start; pulls are bounded and shared; failures back off per
// pod+image and surface as ErrImagePull / ImagePullBackOff.
//
// Credentials (kuberuntime_image.go PullImage): the pod's imagePullSecrets, read at
// pull time, then the node keyring; every matching credential is tried in order, and
// with none the pull is anonymous. Credentials stay in memory: they are never logged,
// never put in an event or error, and shared pulls are keyed by a hash of them.
import { createHash } from 'node:crypto';
import PQueue from 'p-queue';
import type { Container, ValidPod } from '../apis/core/types.js';
import type { PullProgress } from '../runtime/runtime.js';
import type { RegistryAuth } from '../runtime/docker-client.js';
import type { EventSink } from '../events/recorder.js';
import { containerFieldPath } from '../container/ref.js';
import { Reason } from '../events/reasons.js';
import { Backoff } from '../util/backoff.js';
import { goDuration } from '../util/go-duration.js';
import type { Clock } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { isValidImageRef, parseImageRef, withDefaultTag } from './image-ref.js';
import { UnionKeyring, type AuthConfig, type Keyring } from './keyring.js';
import { missingSecretsMessage, podKeyring, type SecretLookup } from './pull-secrets.js';
import { PullState, type PullSnapshot } from './pull-progress.js';
import { raceAbort } from '../util/abort.js';
import { crashPoint } from '../util/crash-point.js';

export type ImageErrorReason =
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'ErrImageNeverPull'
  | 'InvalidImageName'
  | 'ImageInspectError';

/** A container cannot start because of its image; reason is the waiting reason. */
export class ImageError extends Error {
  constructor(
    readonly reason: ImageErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }
}

/** What the image manager needs from the runtime (DockerRuntime provides it). */
export interface ImageService {
  imageExists(image: string): Promise<boolean>;
  pullImage(
    image: string,
    onProgress?: (p: PullProgress) => void,
    signal?: AbortSignal,
    auth?: RegistryAuth,
  ): Promise<void>;
  /** Size in bytes of a local image, for the Pulled event (optional). */
  imageSize?(image: string): Promise<number | undefined>;
}

export interface ImageManagerDeps {
  runtime: ImageService;
  events: EventSink;
  clock: Clock;
  pullConcurrency: number;
  backOffBaseMs: number;
  backOffMaxMs: number;
  /** Stored Secrets, read at every pull (so an updated Secret is used at the next retry). */
  secrets?: SecretLookup;
  /** The node's credentials (a Docker config file), tried after the pod's secrets. */
  nodeKeyring?: Keyring;
  /** Abort a pull that reports no progress for this long (cri-dockerd: 1 min). 0 = never. */
  pullStallTimeoutMs?: number;
  log?: Logger;
}

/** The kubelet's pull-error retry while backing off: look again to show ImagePullBackOff. */
const BACKOFF_STATUS_CHECK_MS = 10_000;

interface SharedPull {
  promise: Promise<{ pullMs: number }>;
  state: PullState;
}

export class ImageManager {
  readonly #queue: PQueue;
  readonly #inflight = new Map<string, SharedPull>();
  readonly #backoff: Backoff;
  readonly #lastFailure = new Map<string, { at: number; message: string }>();
  readonly #listeners = new Set<(pulls: PullSnapshot[]) => void>();
  /** Engine pulls started (one per shared pull and credential tried), for tests and metrics. */
  enginePulls = 0;
  readonly #pullsByImage = new Map<string, number>();

  constructor(private readonly deps: ImageManagerDeps) {
    this.#queue = new PQueue({ concurrency: deps.pullConcurrency });
    this.#backoff = new Backoff(deps.clock, deps.backOffBaseMs, deps.backOffMaxMs);
  }

  /**
   * Resolves when the image is present; throws ImageError otherwise. `signal` ends this
   * pod's wait (its sync is cancelled) without aborting a pull other pods share, and
   * without counting as a pull failure (no back-off).
   */
  async ensureImageExists(pod: ValidPod, c: Container, signal?: AbortSignal): Promise<void> {
    const image = c.image ?? '';
    const fieldPath = containerFieldPath(pod, c.name);
    const ev = (type: 'Normal' | 'Warning', reason: string, msg: string) =>
      this.deps.events.event(pod, type, reason, msg, fieldPath);
    if (!isValidImageRef(image)) {
      let why = `couldn't parse image name "${image}": invalid reference format`;
      try {
        parseImageRef(image);
      } catch (err) {
        why = errorMessage(err);
      }
      const msg = `Failed to apply default image tag "${image}": ${why}`;
      ev('Warning', Reason.InspectFailed, msg);
      throw new ImageError('InvalidImageName', msg);
    }
    const ref = withDefaultTag(image);
    let present: boolean;
    try {
      present = await this.deps.runtime.imageExists(ref);
    } catch (err) {
      const msg = `Failed to inspect image "${image}": ${errorMessage(err)}`;
      ev('Warning', Reason.InspectFailed, msg);
      throw new ImageError('ImageInspectError', msg);
    }
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
    const key = backoffKey(pod.metadata.uid, image);
    const last = this.#lastFailure.get(key);
    if (last && this.#backoff.isInBackOffSince(key, last.at)) {
      ev('Normal', Reason.BackOff, `Back-off pulling image "${image}"`);
      throw new ImageError('ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${last.message}`);
    }

    const started = this.deps.clock.now();
    let result: { pullMs: number };
    let creds: AuthConfig[] | Error;
    try {
      creds = this.#credentials(pod, ref);
    } catch (err) {
      creds = err instanceof Error ? err : new Error(String(err));
    }
    ev('Normal', Reason.Pulling, `Pulling image "${image}"`);
    try {
      if (creds instanceof Error) throw creds;
      result = await raceAbort(this.#pullShared(ref, creds, `${pod.metadata.namespace}/${pod.metadata.name}`), signal);
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      const message = errorMessage(err);
      const at = this.deps.clock.now();
      this.#backoff.next(key, at);
      this.#lastFailure.set(key, { at, message });
      ev('Warning', Reason.Failed, `Failed to pull image "${image}": ${message}`);
      throw new ImageError('ErrImagePull', message);
    }
    this.#lastFailure.delete(key);
    const total = this.deps.clock.now() - started;
    const size = await this.deps.runtime.imageSize?.(ref).catch(() => undefined);
    ev(
      'Normal',
      Reason.Pulled,
      `Successfully pulled image "${image}" in ${goDuration(result.pullMs)} (${goDuration(total)} including waiting)${size !== undefined ? `. Image size: ${size} bytes.` : ''}`,
    );
  }

  /**
   * When the worker should look at this pod again because of an image back-off:
   * shortly after a failure (to show ImagePullBackOff), then when the back-off ends
   * (to pull again). undefined when no image of the pod is backing off.
   */
  nextRetryMs(uid: string): number | undefined {
    const now = this.deps.clock.now();
    let best: number | undefined;
    for (const [key, f] of this.#lastFailure) {
      if (!key.startsWith(`${uid}_`)) continue;
      const delay = this.#backoff.get(key);
      for (const at of [f.at + Math.min(delay / 2, BACKOFF_STATUS_CHECK_MS), f.at + delay]) {
        if (at > now && (best === undefined || at - now < best)) best = at - now;
      }
    }
    return best;
  }

  /** Engine pulls started for one image (`:latest` added when untagged). */
  enginePullsOf(image: string): number {
    return this.#pullsByImage.get(withDefaultTag(image)) ?? 0;
  }

  /** Pulls in flight, for progress displays. */
  pulls(): PullSnapshot[] {
    return [...this.#inflight.values()].map((p) => p.state.snapshot());
  }

  /** Called (often) whenever a pull starts, progresses or ends; returns unsubscribe. */
  onPullProgress(listener: (pulls: PullSnapshot[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  forgetPod(uid: string): void {
    this.#backoff.resetPrefix(`${uid}_`);
    for (const k of this.#lastFailure.keys()) if (k.startsWith(`${uid}_`)) this.#lastFailure.delete(k);
  }

  /** Pod secrets then node keyring; warns about missing secrets. Throws on a malformed secret. */
  #credentials(pod: ValidPod, ref: string): AuthConfig[] {
    const parts: Keyring[] = [];
    if (this.deps.secrets && pod.spec.imagePullSecrets?.length) {
      const { keyring, missing } = podKeyring(pod, this.deps.secrets);
      if (missing.length)
        this.deps.events.event(pod, 'Warning', Reason.FailedToRetrieveImagePullSecret, missingSecretsMessage(missing));
      parts.push(keyring);
    }
    if (this.deps.nodeKeyring) parts.push(this.deps.nodeKeyring);
    const parsed = parseImageRef(ref);
    return new UnionKeyring(parts).lookup(`${parsed.registry}/${parsed.repository}`);
  }

  /**
   * Concurrent pulls of one image share one engine pull, as long as they would use the
   * same credentials (a pod must not get an image through another pod's secret).
   */
  #pullShared(ref: string, creds: AuthConfig[], podName: string): Promise<{ pullMs: number }> {
    const key = `${ref}\0${fingerprint(creds)}`;
    let shared = this.#inflight.get(key);
    if (!shared) {
      const state = new PullState(ref, this.deps.clock.now());
      const promise = this.#queue
        .add(() => this.#pullWithCredentials(ref, creds, state))
        .finally(() => {
          this.#inflight.delete(key);
          this.#notify();
        }) as Promise<{ pullMs: number }>;
      shared = { promise, state };
      this.#inflight.set(key, shared);
    }
    shared.state.pods.add(podName);
    this.#notify();
    return shared.promise;
  }

  /** Each matching credential in order, anonymous when there is none; the first success wins. */
  async #pullWithCredentials(ref: string, creds: AuthConfig[], state: PullState): Promise<{ pullMs: number }> {
    state.phase = 'pulling';
    const started = this.deps.clock.now();
    const registry = parseImageRef(ref).registry;
    const attempts: (RegistryAuth | undefined)[] = creds.length
      ? creds.map((c) => ({ username: c.username, password: c.password, serveraddress: registry }))
      : [undefined];
    const errors: string[] = [];
    for (const auth of attempts) {
      try {
        await this.#pullOnce(ref, state, auth);
        return { pullMs: this.deps.clock.now() - started };
      } catch (err) {
        const msg = scrub(errorMessage(err), creds);
        if (!errors.includes(msg)) errors.push(msg);
      }
    }
    // utilerrors.NewAggregate: one message as is, several as "[a, b]".
    throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  }

  /** One engine pull with a stall deadline: no progress message for that long aborts it. */
  async #pullOnce(ref: string, state: PullState, auth: RegistryAuth | undefined): Promise<void> {
    this.enginePulls++;
    this.#pullsByImage.set(ref, (this.#pullsByImage.get(ref) ?? 0) + 1);
    this.deps.log?.debug({ image: ref, withCredentials: auth !== undefined }, 'pulling image');
    const stallMs = this.deps.pullStallTimeoutMs ?? 60_000;
    const ac = new AbortController();
    let stalled = false;
    let timer: { cancel(): void } | undefined;
    const arm = () => {
      timer?.cancel();
      if (stallMs > 0)
        timer = this.deps.clock.setTimeout(() => {
          stalled = true;
          ac.abort();
        }, stallMs);
    };
    arm();
    try {
      await this.deps.runtime.pullImage(
        ref,
        (p) => {
          arm();
          crashPoint('image-pulling');
          state.update(p);
          this.#notify();
        },
        ac.signal,
        auth,
      );
    } catch (err) {
      if (stalled) {
        throw new Error(
          `cancelled pulling image "${ref}" because of no progress for ${goDuration(stallMs)}, latest progress: "${state.status ?? ''}"`,
          { cause: err },
        );
      }
      throw err;
    } finally {
      timer?.cancel();
    }
  }

  #notify(): void {
    if (this.#listeners.size === 0) return;
    const snap = this.pulls();
    for (const l of this.#listeners) {
      try {
        l(snap);
      } catch {
        /* a display must not break a pull */
      }
    }
  }
}

function backoffKey(uid: string, image: string): string {
  return `${uid}_${image}`;
}

/** A hash that tells credential lists apart without keeping them in the key. */
function fingerprint(creds: AuthConfig[]): string {
  if (creds.length === 0) return 'anonymous';
  return createHash('sha256')
    .update(JSON.stringify(creds.map((c) => [c.username, c.password])))
    .digest('hex');
}

/** Defence in depth: an engine message must never carry a password on to events. */
function scrub(msg: string, creds: AuthConfig[]): string {
  let out = msg;
  for (const c of creds) {
    for (const s of [c.password, Buffer.from(`${c.username}:${c.password}`).toString('base64')]) {
      if (s && s.length >= 3) out = out.split(s).join('[REDACTED]');
    }
  }
  return out;
}
