// Where one sync's wall time goes (issue #17, lever 2: profile a pod start inside the
// agent). A sync marks the end of each of its steps; the durations are logged at debug
// level (`sync phases`) so a start can be broken down — relist, volume set-up, sandbox,
// containers, status — without a profiler. Measurement only: nothing reads it back, so
// it uses the monotonic `performance.now()` rather than the injected clock.

export class PhaseTimer {
  readonly #now: () => number;
  readonly #start: number;
  #last: number;
  readonly #phases: Record<string, number> = {};

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.#start = now();
    this.#last = this.#start;
  }

  /** The time since the previous mark (or the start) counts to `phase`; a repeated phase adds up. */
  mark(phase: string): void {
    const t = this.#now();
    this.#phases[phase] = (this.#phases[phase] ?? 0) + (t - this.#last);
    this.#last = t;
  }

  /** Milliseconds by phase (rounded to 0.1 ms), and `total` since the start. */
  summary(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.#phases)) out[k] = Math.round(v * 10) / 10;
    out.total = Math.round((this.#now() - this.#start) * 10) / 10;
    return out;
  }
}
