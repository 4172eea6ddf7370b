// One probe worker per (pod, container, probe type) (pkg/kubelet/prober/worker.go).
//
// Timing: a chain of clock timeouts on a fixed grid t0 + k·period. A run never
// overlaps the previous one; a run slower than the period collapses the missed ticks
// into one immediate run (like a Go ticker's 1-slot channel), and the grid never
// drifts because each tick is scheduled from its intended time, not from "now".
// A manual trigger (readiness after `started` flips) runs at once, outside the grid.
//
// Semantics per run (doProbe): wait for a container ID; a new ID resets the result to
// the initial value and lifts the hold; no probing while not running (result Failure);
// liveness/startup stop during deletion (Success); initialDelaySeconds from startedAt;
// only the startup probe runs before `started`, only the others after; thresholds
// count consecutive results; a liveness/startup Failure holds the worker until a new
// container ID appears; errored runs are discarded.
import type { Probe } from '../apis/core/types.js';
import type { Clock } from '../util/clock.js';
import type { ProbeResult, ProbeType, ResultsManager } from './results.js';
import type { ProbeSeries } from '../metrics/metrics.js';

/** What a worker needs to know about its container, read fresh at every run. */
export interface ContainerView {
  /** The pod reached Succeeded/Failed: the worker ends. */
  podTerminal: boolean;
  /** The pod has a deletionTimestamp. */
  deleting: boolean;
  /** The newest runtime instance, if any. */
  containerId?: string;
  running: boolean;
  /** The instance exited and will not be restarted (Never, not a sidecar): the worker ends. */
  finished: boolean;
  /** state.running.startedAt, ms. */
  startedAtMs?: number;
  /** Running and (no startup probe, or it succeeded). */
  started: boolean;
}

export interface ProbeWorkerDeps {
  type: ProbeType;
  spec: Probe;
  podUid: string;
  clock: Clock;
  results: ResultsManager;
  /** When the agent started: a random first offset only if that is less than a period ago. */
  agentStartedAt: number;
  random?: () => number;
  view(): ContainerView | undefined;
  /** One probe run; undefined when it errored (discarded). */
  probe(containerId: string): Promise<'success' | 'failure' | undefined>;
  /** The worker ended by itself (pod terminal, container finished, deletion). */
  onExit(): void;
  onError?(err: unknown): void;
  /** prober_probe_total for this worker: every run that gave a result counts (worker.go doProbe). */
  series?: ProbeSeries;
}

export const INITIAL_RESULT: Record<ProbeType, ProbeResult> = {
  readiness: 'failure',
  liveness: 'success',
  startup: 'unknown',
};

export class ProbeWorker {
  readonly type: ProbeType;
  #containerId?: string;
  #onHold = false;
  #lastResult?: 'success' | 'failure';
  #resultRun = 0;
  #stopped = false;
  #running = false;
  #timer?: { cancel(): void };
  /** The grid time of the last tick that fired. */
  #lastTick = 0;
  #tickDue = false;
  #manualDue = false;
  /** Completed runs (for tests and diagnostics). */
  runs = 0;

  constructor(private readonly d: ProbeWorkerDeps) {
    this.type = d.type;
  }

  get periodMs(): number {
    return this.d.spec.periodSeconds! * 1000; // set at admission (apis/core/defaults.ts)
  }
  get containerId(): string | undefined {
    return this.#containerId;
  }
  get onHold(): boolean {
    return this.#onHold;
  }
  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    const now = this.d.clock.now();
    const period = this.periodMs;
    // After an agent restart every probe would fire at once: spread the first runs.
    const offset = now - this.d.agentStartedAt < period ? Math.floor((this.d.random ?? Math.random)() * period) : 0;
    this.#arm(now + offset);
  }

  /** Run as soon as possible (after an in-progress run), outside the tick grid. */
  trigger(): void {
    if (this.#stopped) return;
    this.#manualDue = true;
    void this.#pump();
  }

  /** Stop for good and forget this container's result. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.d.series?.remove();
    this.#timer?.cancel();
    this.#timer = undefined;
    if (this.#containerId) this.d.results.remove(this.#containerId);
  }

  /** Deletion: liveness/startup report Success and stop (StopLivenessAndStartup). */
  stopWithSuccess(): void {
    if (this.#containerId && !this.#stopped) this.d.results.set(this.#containerId, 'success', this.d.podUid);
    this.#stopped = true;
    this.d.series?.remove();
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #arm(at: number): void {
    if (this.#stopped) return;
    this.#timer = this.d.clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#lastTick = at;
        this.#tickDue = true;
        void this.#pump();
      },
      Math.max(0, at - this.d.clock.now()),
    );
  }

  /** Runs due work one run at a time; re-arms the grid after a tick's run. */
  async #pump(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      while (!this.#stopped && (this.#tickDue || this.#manualDue)) {
        const fromTick = this.#tickDue;
        this.#tickDue = false;
        this.#manualDue = false;
        let keepGoing = true;
        try {
          keepGoing = await this.#doProbe();
        } catch (err) {
          this.d.onError?.(err);
        }
        this.runs++;
        if (this.#stopped) return;
        if (!keepGoing) {
          this.stop();
          this.d.onExit();
          return;
        }
        if (fromTick) this.#armNext();
      }
    } finally {
      this.#running = false;
    }
  }

  #armNext(): void {
    const period = this.periodMs;
    const now = this.d.clock.now();
    const next = this.#lastTick + period;
    if (next > now) {
      this.#arm(next);
      return;
    }
    // The run overran one or more ticks: one run now, on the latest grid point passed.
    this.#arm(this.#lastTick + Math.floor((now - this.#lastTick) / period) * period);
  }

  /** doProbe: false when the worker should end. */
  async #doProbe(): Promise<boolean> {
    const v = this.d.view();
    if (!v) return true;
    if (v.podTerminal) return false;
    if (!v.containerId) return true;
    if (v.containerId !== this.#containerId) {
      if (this.#containerId) this.d.results.remove(this.#containerId);
      this.#containerId = v.containerId;
      this.d.results.set(v.containerId, INITIAL_RESULT[this.type], this.d.podUid);
      // A new container: probing resumes and counting starts over.
      this.#onHold = false;
      this.#lastResult = undefined;
      this.#resultRun = 0;
    }
    if (this.#onHold) return true;
    const id = this.#containerId;
    if (!v.running) {
      this.d.results.set(id, 'failure', this.d.podUid);
      return !v.finished;
    }
    if (v.deleting && this.type !== 'readiness') {
      this.d.results.set(id, 'success', this.d.podUid);
      return false;
    }
    const delay = this.d.spec.initialDelaySeconds!;
    if (v.startedAtMs !== undefined && Math.trunc((this.d.clock.now() - v.startedAtMs) / 1000) < delay) return true;
    // Startup gates the others; once started, the startup worker idles (a restart resets it).
    if (v.started ? this.type === 'startup' : this.type !== 'startup') return true;

    const result = await this.d.probe(id);
    if (this.#stopped || id !== this.#containerId) return true;
    if (result === undefined) return true; // errored: thrown away
    this.d.series?.inc(result === 'success' ? 'successful' : 'failed');
    if (result === this.#lastResult) this.#resultRun++;
    else {
      this.#lastResult = result;
      this.#resultRun = 1;
    }
    const threshold = result === 'failure' ? this.d.spec.failureThreshold! : this.d.spec.successThreshold!;
    if (this.#resultRun < threshold) return true;
    this.d.results.set(id, result, this.d.podUid);
    if (result === 'failure' && this.type !== 'readiness') {
      // The container will be killed: no probing until a new instance exists.
      this.#onHold = true;
      this.#resultRun = 0;
    }
    return true;
  }
}
