// Whether the container engine answers (the kubelet's runtimeState, pkg/kubelet/runtime.go):
// one signal the node's health checks read — /healthz, the Node's Ready condition
// (KubeletNotReady, "container runtime is down"), the pods' Ready conditions — and
// the pod workers follow (no syncs while down, every pod looked at again when back).
// Fed by the PLEG relist (a cheap list call every period) and by any engine call that
// fails to connect. Transitions are logged once each, never per retry.
import type { Logger } from '../util/logger.js';

/** The kubelet's message (runtime.go runtimeErrors / the Ready condition). */
export const RUNTIME_DOWN_MESSAGE = 'container runtime is down';

/** Socket-level failures: the engine is not there (stopped, restarting, socket gone). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** The engine could not be reached at all (as opposed to answering with an error). */
export function isEngineUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  return err instanceof Error && /socket hang up/.test(err.message);
}

export type RuntimeHealthListener = (up: boolean) => void;

export class RuntimeHealth {
  #up = true;
  #reason = '';
  readonly #listeners = new Set<RuntimeHealthListener>();

  constructor(private readonly log?: Logger) {}

  isUp(): boolean {
    return this.#up;
  }

  /** Why the runtime is down ('' when up): the kubelet's message and the engine error. */
  reason(): string {
    return this.#reason;
  }

  onChange(l: RuntimeHealthListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  /** An engine call could not connect. */
  markDown(cause: string): void {
    if (!this.#up) return;
    this.#up = false;
    this.#reason = `${RUNTIME_DOWN_MESSAGE}: ${cause}`;
    this.log?.error({ err: cause }, `${RUNTIME_DOWN_MESSAGE}: pod synchronization paused until the engine answers`);
    this.#emit();
  }

  /** An engine call answered. */
  markUp(): void {
    if (this.#up) return;
    this.#up = true;
    this.#reason = '';
    this.log?.info('container runtime is up again: reconciling every pod');
    this.#emit();
  }

  #emit(): void {
    for (const l of this.#listeners) l(this.#up);
  }
}
