// PLEG (pkg/kubelet/pleg/generic.go): relist every container of this agent with one
// cheap list call each period and wake the worker of every pod whose containers
// changed (a new, gone or re-stated container). Engine events usually get there
// first; the relist catches what no event announced (e.g. a start that failed).
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { errorMessage } from '../util/errors.js';

export class Pleg {
  #last = new Map<string, string>();
  #timer?: { cancel(): void };
  #stopped = false;

  constructor(
    private readonly deps: {
      runtime: ContainerRuntime;
      clock: Clock;
      log: Logger;
      periodMs: number;
      onChange: (podUid: string) => void;
    },
  ) {}

  start(): void {
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
  }

  /** One relist: compare each pod's containers with the last relist. */
  async relist(): Promise<void> {
    const now = new Map<string, string[]>();
    for (const c of await this.deps.runtime.listContainerStates()) {
      if (!c.podUid) continue;
      const list = now.get(c.podUid) ?? [];
      list.push(`${c.id}:${c.state}`);
      now.set(c.podUid, list);
    }
    const next = new Map<string, string>();
    for (const [uid, list] of now) next.set(uid, list.sort().join(','));
    for (const [uid, fp] of next) if (this.#last.get(uid) !== fp) this.deps.onChange(uid);
    for (const uid of this.#last.keys()) if (!next.has(uid)) this.deps.onChange(uid);
    this.#last = next;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.deps.clock.setTimeout(() => {
      this.relist()
        .catch((err: unknown) => this.deps.log.debug({ err: errorMessage(err) }, 'PLEG relist failed'))
        .finally(() => this.#schedule());
    }, this.deps.periodMs);
  }
}
