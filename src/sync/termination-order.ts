// The order in which a pod's containers stop when it has sidecars (KEP-753; kubelet 1.32
// pkg/kubelet/kuberuntime/kuberuntime_termination_order.go). Every container is killed
// concurrently and runs its preStop hook at once; before its stop signal a sidecar then
// waits, within what is left of its grace period, until every app container and every
// sidecar declared after it has exited. So app containers stop first, then the sidecars
// in reverse order of declaration.
import type { ValidPod } from '../apis/core/types.js';
import { isSidecar } from '../container/helpers.js';
import type { Clock } from '../util/clock.js';

/** A latch: resolved once the container it stands for has terminated. */
interface Latch {
  done: Promise<void>;
  release(): void;
}

function latch(): Latch {
  let release = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { done, release };
}

export class TerminationOrdering {
  readonly #terminated = new Map<string, Latch>();
  readonly #prereqs = new Map<string, Promise<void>[]>();
  readonly #clock: Clock;

  /** `running`: names of the containers being stopped; any other is taken as already gone. */
  constructor(pod: ValidPod, running: readonly string[], clock: Clock) {
    this.#clock = clock;
    const isRunning = new Set(running);
    const track = (name: string): Latch => {
      const l = latch();
      if (!isRunning.has(name)) l.release();
      this.#terminated.set(name, l);
      return l;
    };
    const apps = pod.spec.containers.map((c) => track(c.name).done);
    let later: string | undefined;
    for (const ic of [...(pod.spec.initContainers ?? [])].reverse()) {
      track(ic.name);
      if (!isSidecar(ic)) continue;
      // A sidecar waits for every app container, and for the next sidecar in spec order.
      this.#prereqs.set(ic.name, [...apps, ...(later ? [this.#terminated.get(later)!.done] : [])]);
      later = ic.name;
    }
  }

  /**
   * Resolves when `name` may get its stop signal, or when `graceSeconds` ran out first;
   * gives the seconds waited (fractional, as time.Since(start).Seconds()). No wait at 0.
   */
  async waitForTurn(name: string, graceSeconds: number): Promise<number> {
    if (graceSeconds <= 0) return 0;
    const start = this.#clock.now();
    let timer: { cancel(): void } | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = this.#clock.setTimeout(resolve, graceSeconds * 1000);
    });
    try {
      await Promise.race([Promise.all(this.#prereqs.get(name) ?? []), expired]);
    } finally {
      timer?.cancel();
    }
    return (this.#clock.now() - start) / 1000;
  }

  /** The container `name` has exited (its stop call returned). */
  containerTerminated(name: string): void {
    this.#terminated.get(name)?.release();
  }
}

/** An ordering only for pods with sidecars (killContainersWithSyncResult's HasRestartableInitContainer). */
export function terminationOrderingFor(
  pod: ValidPod,
  running: readonly string[],
  clock: Clock,
): TerminationOrdering | undefined {
  return (pod.spec.initContainers ?? []).some(isSidecar) ? new TerminationOrdering(pod, running, clock) : undefined;
}
