// One serial worker per pod UID (pkg/kubelet/pod_workers.go): syncs never overlap for
// a pod; triggers that arrive during a sync collapse into one more sync afterwards.
// Life cycle: syncing → terminating (on delete) → terminated (containers removed).
// Each sync runs with its own AbortController (the sync's context upstream): a delete
// cancels the sync in flight (UpdatePod with a kill update calls status.cancelFn), so
// termination begins at once instead of after a hung postStart hook or a long pull.
// Each sync is timed as kubelet_pod_worker_duration_seconds by its SyncPodType, and the
// first Pending → Running as kubelet_pod_start_duration_seconds (kubelet.go SyncPod).
import type { ValidPod } from '../apis/core/types.js';
import { errorMessage } from '../util/errors.js';
import { SyncCancelledError } from '../util/abort.js';
import { isEngineUnreachable } from '../runtime/runtime-health.js';
import { NO_METRICS, secondsSince, type PodWorkerOperation } from '../metrics/metrics.js';
import type { RuntimeEvent } from '../runtime/runtime.js';
import { refreshTerminalPodStatus, syncPod, SYNC_ERROR_RETRY_MS } from './sync-pod.js';
import { syncTerminatedPod, syncTerminatingPod } from './terminate-pod.js';
import type { ReasonCache, SyncDeps } from './sync-deps.js';

export type WorkerState = 'syncing' | 'terminating' | 'terminated';

export class PodWorker {
  state: WorkerState = 'syncing';
  readonly #reasons: ReasonCache = new Map();
  #pod: ValidPod;
  #running = false;
  #current: Promise<void> = Promise.resolve();
  #pending = false;
  #timer?: { cancel(): void };
  #terminal = false;
  /** A terminal pod's status is generated once more (engineEvent). */
  #refreshTerminal = false;
  #termination?: { grace?: number; done: Promise<void>; resolve: () => void };
  /** The sync in flight's context; aborted when the pod starts terminating. */
  #syncAbort?: AbortController;
  /** performance.now() at the end of the last sync: a relist sent after it may stand in for the next sync's own (relist.ts). */
  #lastSyncEnd: number | undefined;
  /** When this worker first got the pod (the kubelet's "first seen"), performance.now() ms. */
  readonly #firstSeen = performance.now();
  /** The SyncPodType of the next sync: create first, update after a changed spec. */
  #nextOp: PodWorkerOperation = 'create';
  #startRecorded = false;

  constructor(
    private readonly deps: SyncDeps,
    pod: ValidPod,
    private readonly resyncMs: number,
    private readonly onTerminated: (uid: string) => void,
  ) {
    this.#pod = pod;
  }

  get pod(): ValidPod {
    return this.#pod;
  }

  update(pod: ValidPod): void {
    if (pod !== this.#pod && this.#nextOp === 'sync') this.#nextOp = 'update';
    this.#pod = pod;
    this.wake();
  }

  /**
   * An engine event for one of the pod's containers: a sync soon. A terminal pod is not
   * synced again, but an `oom` still reaches its status: dockerd can send it after the
   * exit the pod went Failed on, without ever setting the container's OOMKilled flag.
   */
  engineEvent(e: RuntimeEvent): void {
    if (this.#terminal && e.action === 'oom') this.#refreshTerminal = true;
    this.wake();
  }

  /** Ask for a sync soon (engine event, timer, update). */
  wake(): void {
    if (this.state === 'terminated') return;
    if (this.#running) {
      this.#pending = true;
      return;
    }
    void this.#loop();
  }

  /** Begin graceful termination; resolves when every container of the pod is gone. */
  terminate(graceSeconds?: number): Promise<void> {
    if (!this.#termination) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      this.#termination = { ...(graceSeconds !== undefined ? { grace: graceSeconds } : {}), done, resolve };
      this.state = 'terminating';
      this.#syncAbort?.abort(new SyncCancelledError('the pod is terminating'));
      this.wake();
    }
    return this.#termination.done;
  }

  /**
   * Stop timers without touching containers (agent shutdown: pods keep running). A sync
   * in flight is cancelled at its next step; resolves when it has returned.
   */
  async stop(): Promise<void> {
    this.#timer?.cancel();
    this.state = 'terminated';
    this.#syncAbort?.abort(new SyncCancelledError('the agent is stopping'));
    await this.#current;
  }

  #loop(): Promise<void> {
    this.#current = this.#run();
    return this.#current;
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      do {
        this.#pending = false;
        this.#timer?.cancel();
        const next = await this.#once();
        if (this.state === 'terminated') return;
        if (next !== undefined) this.#schedule(next);
      } while (this.#pending);
    } finally {
      this.#running = false;
    }
  }

  /** One step; returns when to look again (undefined = only on events). */
  async #once(): Promise<number | undefined> {
    const log = this.deps.log.child({ pod: `${this.#pod.metadata.namespace}/${this.#pod.metadata.name}` });
    // kubelet syncLoop: "skipping pod synchronization - container runtime is down";
    // the pod workers wake every worker when it is back.
    if (this.deps.runtimeHealth?.isUp() === false) return undefined;
    const metrics = this.deps.metrics ?? NO_METRICS;
    const started = performance.now();
    try {
      if (this.state === 'terminating') {
        await this.#terminatePod(started);
        return undefined;
      }
      const listedAfter = this.#lastSyncEnd;
      if (this.#terminal) {
        if (this.#refreshTerminal) {
          this.#refreshTerminal = false;
          await refreshTerminalPodStatus(this.deps, this.#pod, this.#reasons, listedAfter);
        }
        return undefined;
      }
      const op = this.#nextOp;
      this.#nextOp = 'sync';
      this.#syncAbort = new AbortController();
      const result = await syncPod(this.deps, this.#pod, this.#reasons, this.#syncAbort.signal, listedAfter);
      metrics.podWorkerDuration(op, secondsSince(started));
      this.#terminal = result.terminal;
      if (result.terminal) return undefined;
      return result.requeueAfterMs ?? this.resyncMs;
    } catch (err) {
      // Cancelled for termination: the loop runs again at once (terminate() woke it).
      if (this.#syncAbort?.signal.aborted) return undefined;
      // An unreachable engine is reported once by the runtime health, not per pod and retry.
      if (isEngineUnreachable(err)) this.deps.runtimeHealth?.markDown(errorMessage(err));
      // Errors are logged once, here, at the worker.
      else log.warn({ err: errorMessage(err) }, 'pod sync failed; will retry');
      return this.state === 'terminating' ? 1000 : SYNC_ERROR_RETRY_MS;
    } finally {
      this.#syncAbort = undefined;
      // Whatever the sync did in the engine is in any list sent after this instant.
      this.#lastSyncEnd = performance.now();
    }
  }

  /** Terminating → terminated: teardown (terminate-pod.ts), then this worker is done. */
  async #terminatePod(started: number): Promise<void> {
    await syncTerminatingPod(this.deps, this.#pod, this.#reasons, this.#termination?.grace);
    await syncTerminatedPod(this.deps, this.#pod);
    this.deps.metrics?.podWorkerDuration('kill', secondsSince(started));
    this.state = 'terminated';
    this.#termination?.resolve();
    this.onTerminated(this.#pod.metadata.uid);
  }

  /**
   * The pod went from Pending to Running (publish-status.ts): the first time, how long
   * since this worker first saw it. A pod adopted already running is never Pending here.
   */
  podRunning(): void {
    if (this.#startRecorded) return;
    this.#startRecorded = true;
    this.deps.metrics?.podStartDuration(secondsSince(this.#firstSeen));
  }

  #schedule(ms: number): void {
    this.#timer?.cancel();
    this.#timer = this.deps.clock.setTimeout(() => this.wake(), ms);
  }
}
