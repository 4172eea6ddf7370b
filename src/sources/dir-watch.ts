// When to re-read the manifests directory (pkg/kubelet/config/file.go run +
// file_linux.go watch): at once at start, after every burst of changes the watch
// reports, and every --file-check-frequency regardless, so whatever a watch can miss
// (an overflowed inotify queue, a directory deleted and re-created, a watch that could
// not be set up) is caught within one period. Every re-read is a full snapshot, so no
// event needs to be interpreted: an event only says "look again".
//
// The watch is node's fs.watch (inotify on Linux, as the kubelet's fsnotify). Its known
// gaps are covered here: a watch that fails or cannot start (missing directory) is
// retried with back-off (1 s doubling to the period, as file_linux.go's 1 s to 20 s);
// a directory replaced under the watch (new inode) is noticed at the periodic re-read
// and watched again.
import { watch as fsWatch, statSync } from 'node:fs';
import type { Clock } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';

export interface Watch {
  close(): void;
}

/** Starts a watch on `dir`: `onChange` for any entry change, `onError` when it breaks. Throws when it cannot start. */
export type WatchFn = (dir: string, onChange: () => void, onError: (err: unknown) => void) => Watch;

export interface DirWatcherDeps {
  dir: string;
  clock: Clock;
  log: Logger;
  /** --file-check-frequency: the full re-read period. */
  periodMs: number;
  /** Read the directory and apply the snapshot. */
  rescan: () => void;
  /** Quiet time after the last event before re-reading: a burst (200 files, an editor's write-rename) is one re-read. */
  quietMs?: number;
  /** A burst that never goes quiet is still read this long after its first event. */
  maxDelayMs?: number;
  watch?: WatchFn;
  /** The directory's identity (inode), to notice it being replaced; undefined when absent. */
  identity?: (dir: string) => number | undefined;
}

const DEFAULT_QUIET_MS = 150;
const DEFAULT_MAX_DELAY_MS = 1_000;
const WATCH_RETRY_BASE_MS = 1_000;

export class DirWatcher {
  #watch?: Watch;
  #watchedIdentity?: number;
  #retryMs = WATCH_RETRY_BASE_MS;
  #retryTimer?: { cancel(): void };
  #periodTimer?: { cancel(): void };
  #burstTimer?: { cancel(): void };
  #burstStart?: number;
  #stopped = false;

  constructor(private readonly d: DirWatcherDeps) {}

  /** The first read happens now, synchronously: the caller's start-up sees its pods. */
  start(): void {
    this.#scan();
    this.#arm();
    this.#schedulePeriodic();
  }

  stop(): void {
    this.#stopped = true;
    this.#closeWatch();
    this.#retryTimer?.cancel();
    this.#periodTimer?.cancel();
    this.#burstTimer?.cancel();
  }

  /** Whether a watch is currently set up (diagnostics, tests). */
  get watching(): boolean {
    return this.#watch !== undefined;
  }

  /** An event: re-read once the burst has been quiet for quietMs, or maxDelayMs after it began. */
  #changed(): void {
    if (this.#stopped) return;
    const now = this.d.clock.now();
    this.#burstStart ??= now;
    const quiet = this.d.quietMs ?? DEFAULT_QUIET_MS;
    const latest = this.#burstStart + (this.d.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
    this.#burstTimer?.cancel();
    this.#burstTimer = this.d.clock.setTimeout(
      () => {
        this.#burstTimer = undefined;
        this.#scan();
      },
      Math.max(0, Math.min(now + quiet, latest) - now),
    );
  }

  #scan(): void {
    this.#burstStart = undefined;
    try {
      this.d.rescan();
    } catch (err) {
      this.d.log.error({ dir: this.d.dir, err: errorMessage(err) }, 'manifests directory scan failed');
    }
  }

  #schedulePeriodic(): void {
    this.#periodTimer = this.d.clock.setTimeout(() => {
      if (this.#stopped) return;
      this.#burstTimer?.cancel();
      this.#burstTimer = undefined;
      this.#scan();
      // The directory was removed or replaced since the watch began: that watch sees nothing more.
      if (this.#watch && this.#identity() !== this.#watchedIdentity) {
        this.#closeWatch();
        this.#arm();
      }
      this.#schedulePeriodic();
    }, this.d.periodMs);
  }

  #arm(): void {
    if (this.#stopped || this.#watch) return;
    const watchFn = this.d.watch ?? nodeWatch;
    try {
      this.#watchedIdentity = this.#identity();
      this.#watch = watchFn(
        this.d.dir,
        () => this.#changed(),
        (err) => this.#failed(err),
      );
      this.#retryMs = WATCH_RETRY_BASE_MS;
    } catch (err) {
      this.#failed(err);
    }
  }

  /** file_linux.go: a failed watch is retried with back-off; the periodic re-read goes on meanwhile. */
  #failed(err: unknown): void {
    this.#closeWatch();
    if (this.#stopped || this.#retryTimer) return;
    this.d.log.warn(
      { dir: this.d.dir, err: errorMessage(err), retryMs: this.#retryMs },
      'cannot watch manifests directory',
    );
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, Math.max(this.d.periodMs, WATCH_RETRY_BASE_MS));
    this.#retryTimer = this.d.clock.setTimeout(() => {
      this.#retryTimer = undefined;
      this.#arm();
      // Whatever changed while nothing watched is read now.
      if (this.#watch) this.#changed();
    }, delay);
  }

  #closeWatch(): void {
    const w = this.#watch;
    this.#watch = undefined;
    try {
      w?.close();
    } catch {
      // Closing a broken watch has nothing left to release.
    }
  }

  #identity(): number | undefined {
    return (this.d.identity ?? inode)(this.d.dir);
  }
}

function inode(dir: string): number | undefined {
  try {
    return statSync(dir).ino;
  } catch {
    return undefined;
  }
}

/** fs.watch on the directory (not recursive: subdirectories are not manifests). */
const nodeWatch: WatchFn = (dir, onChange, onError) => {
  const w = fsWatch(dir, { persistent: false }, () => onChange());
  w.on('error', onError);
  return w;
};
