// The periodic container GC (kubelet.go StartGarbageCollection: containerGC.GarbageCollect
// every ContainerGCPeriod, 1 min). Pods with a worker are pruned by that worker inside
// its own sync (pruneOldInstances), so this pass handles only what no worker owns: the
// containers, sandboxes, emptyDir volumes and per-pod directories of pods that are gone
// (deleted while the agent was down, or behind its back). A failed pass is logged and
// the next one tries again; a pass never overlaps the previous one.
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Clock } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { type PodOwnership, removeUnknownPod, unknownPods } from './container-gc.js';

export interface ContainerGcDeps {
  runtime: ContainerRuntime;
  clock: Clock;
  log: Logger;
  owner: PodOwnership;
  periodMs: number;
}

export class ContainerGC {
  #timer?: { cancel(): void };
  #current: Promise<string[]> | undefined;
  #stopped = false;

  constructor(private readonly d: ContainerGcDeps) {}

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** No new pass starts; resolves when the one in flight (if any) is done. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#current?.catch(() => undefined);
  }

  /** One pass now (or join the one running); resolves with the pod UIDs it removed. */
  collect(): Promise<string[]> {
    this.#current ??= this.#collect().finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  async #collect(): Promise<string[]> {
    const { runtime, owner, log } = this.d;
    const [pods, leftovers] = await Promise.all([runtime.listPods(), runtime.listPodLeftovers()]);
    const removed: string[] = [];
    for (const uid of unknownPods(pods, leftovers, owner)) {
      // Checked again just before acting: a pod may have arrived since the relist.
      if (this.#stopped || owner.hasWorker(uid) || owner.isDesired(uid)) continue;
      await removeUnknownPod(
        runtime,
        log,
        uid,
        pods.find((p) => p.uid === uid),
      );
      removed.push(uid);
    }
    return removed;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.d.clock.setTimeout(() => {
      this.collect()
        .catch((err: unknown) => this.d.log.warn({ err: errorMessage(err) }, 'container garbage collection failed'))
        .finally(() => this.#schedule());
    }, this.d.periodMs);
  }
}
