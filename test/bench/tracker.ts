// Follows every pod of the agent through one long-lived watch and timestamps the
// moment a pod first satisfies a condition (all containers started, Ready, gone).
import type { ApiClient } from '../../src/client/api-client.js';
import type { Pod } from '../../src/apis/core/types.js';
import { NS } from './pods.js';
import { sleep } from './stats.js';

export type PodPredicate = (pod: Pod) => boolean;

interface Waiter {
  pred: PodPredicate | 'gone';
  resolve: (t: number) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Every init container exited 0 and every app container is running. */
export function allStarted(pod: Pod): boolean {
  const s = pod.status;
  const inits = pod.spec.initContainers ?? [];
  const initOk =
    inits.length === 0 ||
    (s?.initContainerStatuses?.length === inits.length &&
      s.initContainerStatuses.every((c) => c.state?.terminated?.exitCode === 0));
  return (
    initOk &&
    s?.containerStatuses?.length === pod.spec.containers.length &&
    s.containerStatuses.every((c) => c.state?.running !== undefined)
  );
}

export function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export class PodTracker {
  readonly #client: ApiClient;
  readonly #waiters = new Map<string, Waiter[]>();
  readonly #stop = new AbortController();
  #loop?: Promise<void>;
  events = 0;

  constructor(client: ApiClient) {
    this.#client = client;
  }

  start(): void {
    this.#loop = (async () => {
      while (!this.#stop.signal.aborted) {
        try {
          await this.#client.watchPods(NS, (e) => this.#on(e.type, e.object), this.#stop.signal);
        } catch {
          if (!this.#stop.signal.aborted) await sleep(200);
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    for (const ws of this.#waiters.values())
      for (const w of ws) {
        clearTimeout(w.timer);
        w.reject(new Error('tracker stopped'));
      }
    this.#waiters.clear();
  }

  /** Register BEFORE acting; resolves with performance.now() of the first matching event. */
  waitFor(name: string, pred: PodPredicate | 'gone', timeoutMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#remove(name, w);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for pod ${name} (${pred === 'gone' ? 'gone' : pred.name})`,
            ),
          );
        }, timeoutMs),
      };
      const ws = this.#waiters.get(name) ?? [];
      ws.push(w);
      this.#waiters.set(name, ws);
    });
  }

  #remove(name: string, w: Waiter): void {
    const ws = this.#waiters.get(name)?.filter((x) => x !== w) ?? [];
    if (ws.length) this.#waiters.set(name, ws);
    else this.#waiters.delete(name);
  }

  #on(type: string, pod: Pod): void {
    const t = performance.now();
    this.events++;
    const name = pod.metadata.name ?? '';
    const ws = this.#waiters.get(name);
    if (!ws) return;
    for (const w of [...ws]) {
      const hit = w.pred === 'gone' ? type === 'DELETED' : type !== 'DELETED' && w.pred(pod);
      if (hit) {
        clearTimeout(w.timer);
        this.#remove(name, w);
        w.resolve(t);
      }
    }
  }
}
