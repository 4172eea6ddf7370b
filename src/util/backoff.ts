// Keyed exponential back-off with client-go flowcontrol.Backoff semantics, as the
// kubelet uses it for crash loops and image pulls: the first failure has no entry
// (no wait); each allowed retry doubles the entry up to max; an entry untouched for
// longer than `resetMs` starts again from base.
import type { Clock } from './clock.js';

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  readonly #entries = new Map<string, Entry>();
  constructor(
    private readonly clock: Clock,
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly resetMs: number = 2 * maxMs,
  ) {}

  /** Current delay for key (0 when there is no entry). */
  get(key: string): number {
    return this.#entries.get(key)?.delayMs ?? 0;
  }

  /** Record one more retry: creates the entry at base, else doubles it (capped). */
  next(key: string, eventTime: number = this.clock.now()): number {
    const e = this.#entries.get(key);
    if (!e || this.#expired(e, eventTime)) {
      this.#entries.set(key, { delayMs: this.baseMs, lastUpdate: eventTime });
      return this.baseMs;
    }
    e.delayMs = Math.min(e.delayMs * 2, this.maxMs);
    e.lastUpdate = eventTime;
    return e.delayMs;
  }

  /**
   * Is a retry still held back? `sinceMs` is when the failure happened (a container's
   * finishedAt): in back-off while now - since < delay, as IsInBackOffSince does.
   */
  isInBackOffSince(key: string, sinceMs: number): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    if (this.#expired(e, sinceMs)) return false;
    return this.clock.now() - sinceMs < e.delayMs;
  }

  /** Milliseconds until the back-off since `sinceMs` ends (0 if not in back-off). */
  remaining(key: string, sinceMs: number): number {
    if (!this.isInBackOffSince(key, sinceMs)) return 0;
    return Math.max(0, sinceMs + this.get(key) - this.clock.now());
  }

  reset(key: string): void {
    this.#entries.delete(key);
  }

  /** Drop every key starting with prefix (a pod's entries when it goes away). */
  resetPrefix(prefix: string): void {
    for (const k of this.#entries.keys()) if (k.startsWith(prefix)) this.#entries.delete(k);
  }

  #expired(e: Entry, eventTime: number): boolean {
    return eventTime - e.lastUpdate > this.resetMs;
  }
}
