// The set of pod workers, one per UID (pkg/kubelet/pod_workers.go), fed by the pod
// sources through PodUpdates (ADD / UPDATE / DELETE / RECONCILE) and by engine
// events (PLEG): an event for a container wakes its pod's worker.
import type { PodUpdate } from '../sources/pod-config.js';
import { errorMessage } from '../util/errors.js';
import { PodWorker } from './pod-worker.js';
import { Pleg } from './pleg.js';
import { markPodNotReady } from './node-not-ready.js';
import { isEngineUnreachable } from '../runtime/runtime-health.js';
import { removeUnknownPod } from './container-gc.js';
import type { SyncDeps } from './sync-deps.js';

export class PodWorkers {
  readonly #workers = new Map<string, PodWorker>();
  #unwatch?: () => void;
  #unhealth?: () => void;
  readonly #pleg: Pleg;
  private readonly deps: SyncDeps;

  constructor(
    deps: SyncDeps,
    private readonly resyncMs: number,
    plegPeriodMs: number,
  ) {
    this.deps = { ...deps, podRunning: (uid) => this.#workers.get(uid)?.podRunning() };
    this.#pleg = new Pleg({
      runtime: deps.runtime,
      clock: deps.clock,
      log: deps.log,
      periodMs: plegPeriodMs,
      onChange: (uid) => this.#workers.get(uid)?.wake(),
      ...(deps.runtimeHealth ? { health: deps.runtimeHealth } : {}),
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    });
  }

  /**
   * Engine events wake a pod's worker at once on die/start/destroy; the PLEG relist
   * catches, within a period, any change no event announced.
   */
  start(): void {
    this.#unwatch = this.deps.runtime.watch(
      (e) => this.#workers.get(e.podUid)?.engineEvent(e),
      (err) => this.#eventStreamFailed(err),
    );
    this.#unhealth = this.deps.runtimeHealth?.onChange((up) => this.#runtimeChanged(up));
    this.#pleg.start();
  }

  /** UpdatePod: the newest spec replaces any pending one; DELETE begins graceful termination. */
  handle(update: PodUpdate): void {
    const { op, pod } = update;
    const uid = pod.metadata.uid;
    if (op === 'RECONCILE') {
      this.#workers.get(uid)?.wake();
      return;
    }
    let worker = this.#workers.get(uid);
    if (worker) worker.update(pod);
    else {
      worker = new PodWorker(this.deps, pod, this.resyncMs, (id) => this.#onTerminated(id));
      this.#workers.set(uid, worker);
      worker.wake();
    }
    if (op === 'DELETE') void worker.terminate(update.gracePeriodSeconds);
  }

  has(uid: string): boolean {
    return this.#workers.has(uid);
  }
  get(uid: string): PodWorker | undefined {
    return this.#workers.get(uid);
  }

  /** Housekeeping: remove containers of pods no source knows (after all sources loaded). */
  async removeOrphans(): Promise<string[]> {
    const pods = await this.deps.runtime.listPods();
    const orphans = pods.filter((p) => !this.#workers.has(p.uid));
    await Promise.all(orphans.map((p) => removeUnknownPod(this.deps.runtime, this.deps.log, p.uid, p)));
    return orphans.map((p) => p.uid);
  }

  /**
   * Agent shutdown: stop every worker and wait for syncs in flight, so nothing is
   * created after this returns; containers keep running (they are adopted later).
   */
  async stop(): Promise<void> {
    this.#unwatch?.();
    this.#unhealth?.();
    this.#pleg.stop();
    await Promise.all([...this.#workers.values()].map((w) => w.stop()));
  }

  /** An unreachable engine is the runtime health's to report (once); anything else is logged here. */
  #eventStreamFailed(err: Error): void {
    if (isEngineUnreachable(err)) this.deps.runtimeHealth?.markDown(errorMessage(err));
    else this.deps.log.warn({ err: errorMessage(err) }, 'engine event stream failed; relying on the PLEG relist');
  }

  /**
   * Runtime down: every pod is marked not ready (node-not-ready.ts). Back up: every
   * worker syncs at once (the relist already woke those whose containers changed),
   * so pods whose containers the engine restart stopped are restarted per policy.
   */
  #runtimeChanged(up: boolean): void {
    for (const w of this.#workers.values()) {
      if (up) w.wake();
      else if (w.state === 'syncing') markPodNotReady(this.deps, w.pod);
    }
  }

  /** The worker finished its teardown: forget it, then the pod leaves its source. */
  #onTerminated(uid: string): void {
    this.#workers.delete(uid);
    this.deps.podTerminated(uid);
  }
}
