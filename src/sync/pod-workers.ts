// The set of pod workers, one per UID, fed by the pod sources (add/update/delete)
// and by engine events (PLEG): an event for a container wakes its pod's worker.
import type { ValidPod } from '../apis/core/types.js';
import { errorMessage } from '../util/errors.js';
import { PodWorker } from './pod-worker.js';
import { Pleg } from './pleg.js';
import type { SyncDeps } from './sync-deps.js';

export class PodWorkers {
  readonly #workers = new Map<string, PodWorker>();
  #unwatch?: () => void;
  readonly #pleg: Pleg;

  constructor(
    private readonly deps: SyncDeps,
    private readonly resyncMs: number,
    plegPeriodMs: number,
  ) {
    this.#pleg = new Pleg({
      runtime: deps.runtime,
      clock: deps.clock,
      log: deps.log,
      periodMs: plegPeriodMs,
      onChange: (uid) => this.#workers.get(uid)?.wake(),
    });
  }

  /**
   * Engine events wake a pod's worker at once on die/start/destroy; the PLEG relist
   * catches, within a period, any change no event announced.
   */
  start(): void {
    this.#unwatch = this.deps.runtime.watch(
      (e) => this.#workers.get(e.podUid)?.wake(),
      (err) => this.deps.log.warn({ err: errorMessage(err) }, 'engine event stream failed; relying on the PLEG relist'),
    );
    this.#pleg.start();
  }

  /** Add a new pod or update an existing one (same UID). */
  upsert(pod: ValidPod): void {
    const uid = pod.metadata.uid;
    this.deps.status.setPod(pod);
    const existing = this.#workers.get(uid);
    if (existing) {
      existing.update(pod);
      return;
    }
    const w = new PodWorker(this.deps, pod, this.resyncMs, (id) => this.#onTerminated(id));
    this.#workers.set(uid, w);
    w.wake();
  }

  /** Graceful termination; resolves when the pod's containers are gone. */
  terminate(uid: string, graceSeconds?: number): Promise<void> {
    const w = this.#workers.get(uid);
    return w ? w.terminate(graceSeconds) : Promise.resolve();
  }

  has(uid: string): boolean {
    return this.#workers.has(uid);
  }
  uids(): string[] {
    return [...this.#workers.keys()];
  }
  get(uid: string): PodWorker | undefined {
    return this.#workers.get(uid);
  }

  /** Housekeeping: remove containers of pods no source knows (after all sources loaded). */
  async removeOrphans(): Promise<string[]> {
    const pods = await this.deps.runtime.listPods();
    const orphans = pods.filter((p) => !this.#workers.has(p.uid));
    await Promise.all(
      orphans.map(async (p) => {
        this.deps.log.info(
          { pod: `${p.namespace}/${p.name}`, uid: p.uid },
          'removing containers of a pod no source knows',
        );
        const running = p.containers.filter((c) => c.state === 'running');
        await Promise.all(running.map((c) => this.deps.runtime.stopContainer(c.id, 2)));
        await this.deps.runtime.removePod(p.uid);
      }),
    );
    return orphans.map((p) => p.uid);
  }

  /**
   * Agent shutdown: stop every worker and wait for syncs in flight, so nothing is
   * created after this returns; containers keep running (they are adopted later).
   */
  async stop(): Promise<void> {
    this.#unwatch?.();
    this.#pleg.stop();
    await Promise.all([...this.#workers.values()].map((w) => w.stop()));
  }

  #onTerminated(uid: string): void {
    this.deps.probes?.removePod(uid);
    this.#workers.delete(uid);
    this.deps.images.forgetPod(uid);
    this.deps.crashBackoff.resetPrefix(`${uid}/`);
    this.deps.status.remove(uid);
  }
}
