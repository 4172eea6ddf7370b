// One subscription to the node per resource, fanned out to every watch request, with
// a short history so a watch from a list's resourceVersion misses nothing that
// changed between the list and the watch (what `kubectl wait` and `delete` rely on).
import type { WatchEvent } from '../apis/core/types.js';
import type { ObjectMeta } from '../apis/core/types.js';

export type Listener<T> = (e: WatchEvent<T>) => void;

export class ResourceVersionExpired extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export function rvNumber(rv: string | undefined): number | undefined {
  if (rv === undefined || !/^\d+$/.test(rv)) return undefined;
  return Number(rv);
}

export class WatchHub<T extends { metadata: ObjectMeta }> {
  readonly #listeners = new Set<Listener<T>>();
  readonly #history: { rv: number; event: WatchEvent<T> }[] = [];
  /** The highest resourceVersion dropped from the history (0 = nothing dropped). */
  #dropped: number;
  readonly #unsubscribe: () => void;

  /**
   * `startRv` is the resourceVersion when the hub starts listening: changes up to it
   * (made before the server started, by an earlier process before a restart) are not
   * in the history, so a watch from an older version is answered 410 Gone, as the API
   * server answers one older than its watch cache, never with a silent gap.
   */
  constructor(
    subscribe: (l: Listener<T>) => () => void,
    private readonly maxHistory = 1000,
    startRv = 0,
  ) {
    this.#dropped = startRv;
    this.#unsubscribe = subscribe((e) => this.#publish(e));
  }

  #publish(e: WatchEvent<T>): void {
    const rv = rvNumber(e.object.metadata.resourceVersion);
    if (rv !== undefined) {
      this.#history.push({ rv, event: e });
      while (this.#history.length > this.maxHistory) this.#dropped = Math.max(this.#dropped, this.#history.shift()!.rv);
    }
    for (const l of [...this.#listeners]) {
      try {
        l(e);
      } catch {
        /* one broken watcher must not starve the others */
      }
    }
  }

  /**
   * Registers `listener` for every later change and returns, synchronously, the
   * remembered changes newer than `sinceRv` (none when sinceRv is undefined).
   * Throws ResourceVersionExpired when changes after sinceRv were already dropped.
   */
  subscribe(listener: Listener<T>, sinceRv?: number): { replay: WatchEvent<T>[]; unsubscribe: () => void } {
    let replay: WatchEvent<T>[] = [];
    if (sinceRv !== undefined) {
      if (sinceRv < this.#dropped) throw new ResourceVersionExpired(sinceRv, this.#history[0]?.rv ?? this.#dropped);
      replay = this.#history.filter((h) => h.rv > sinceRv).map((h) => h.event);
    }
    this.#listeners.add(listener);
    return {
      replay,
      unsubscribe: () => {
        this.#listeners.delete(listener);
      },
    };
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  close(): void {
    this.#unsubscribe();
    this.#listeners.clear();
  }
}
