// Long-running responses (watches, followed logs): closing the server ends them, and
// each kind is capped so a client cannot hold every socket and watcher of the agent
// (the kube-apiserver's max-requests-inflight answers 429 the same way,
// staging/src/k8s.io/apiserver/pkg/server/filters/maxinflight.go).
import { KubeletError } from '../util/errors.js';

export type StreamKind = 'watch' | 'follow';

export type StreamLimits = Record<StreamKind, number>;

/** Seconds a client is told to wait before retrying a refused stream (maxinflight's value). */
export const RETRY_AFTER_SECONDS = 1;

const WHAT: Record<StreamKind, string> = { watch: 'watches', follow: 'followed logs' };

export class StreamTracker {
  readonly #enders = new Set<() => void>();
  readonly #open: Record<StreamKind, number> = { watch: 0, follow: 0 };

  constructor(readonly limits: StreamLimits = { watch: Infinity, follow: Infinity }) {}

  /**
   * Takes one slot of `kind`, or throws TooManyRequests when all are taken. The
   * returned function gives it back (calling it more than once is harmless).
   */
  reserve(kind: StreamKind): () => void {
    if (this.#open[kind] >= this.limits[kind]) {
      throw new KubeletError(
        'TooManyRequests',
        `too many open ${WHAT[kind]} (limit ${this.limits[kind]}), please try again later`,
        { retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    this.#open[kind]++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open[kind]--;
    };
  }

  open(kind: StreamKind): number {
    return this.#open[kind];
  }

  /** Registers a function that ends one stream; returns its deregistration. */
  track(end: () => void): () => void {
    this.#enders.add(end);
    return () => {
      this.#enders.delete(end);
    };
  }

  get size(): number {
    return this.#enders.size;
  }

  endAll(): void {
    for (const end of [...this.#enders]) {
      try {
        end();
      } catch {
        /* already gone */
      }
    }
    this.#enders.clear();
  }
}
