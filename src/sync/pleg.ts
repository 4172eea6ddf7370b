// PLEG (pkg/kubelet/pleg/generic.go): relist every container of this agent with one
// cheap list call each period and wake the worker of every pod whose containers
// changed (a new, gone or re-stated container). Engine events usually get there
// first; the relist catches what no event announced (e.g. a start that failed).
// The relist is also the runtime health check (the kubelet's updateRuntimeUp): a relist
// that cannot reach the engine marks the runtime down, and the next relists back off
// (1 s doubling to 30 s) until one answers, which marks it up again.
// The same list feeds kubelet_running_pods / kubelet_running_containers, as the
// kubelet's relist does (generic.go updateRunningPodAndContainerMetrics).
import type { ContainerRuntime, ContainerStateSummary } from '../runtime/runtime.js';
import { NO_METRICS, type ContainerStateLabel, type KubeletMetrics } from '../metrics/metrics.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { errorMessage } from '../util/errors.js';
import { isEngineUnreachable, type RuntimeHealth } from '../runtime/runtime-health.js';

/** Reconnect back-off while the engine is unreachable. */
export const ENGINE_RETRY_MIN_MS = 1_000;
export const ENGINE_RETRY_MAX_MS = 30_000;

export class Pleg {
  #last = new Map<string, string>();
  #timer?: { cancel(): void };
  #stopped = false;
  /** The next relist's delay while the engine is down (0 = up: the normal period). */
  #retryMs = 0;

  constructor(
    private readonly deps: {
      runtime: ContainerRuntime;
      clock: Clock;
      log: Logger;
      periodMs: number;
      onChange: (podUid: string) => void;
      health?: RuntimeHealth;
      metrics?: KubeletMetrics;
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
    const states = await this.deps.runtime.listContainerStates();
    recordRunning(this.deps.metrics ?? NO_METRICS, states);
    for (const c of states) {
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
        .then(() => this.#answered())
        .catch((err: unknown) => this.#failed(err))
        .finally(() => this.#schedule());
    }, this.#retryMs || this.deps.periodMs);
  }

  #answered(): void {
    this.#retryMs = 0;
    this.deps.health?.markUp();
  }

  #failed(err: unknown): void {
    if (!isEngineUnreachable(err)) {
      this.deps.log.debug({ err: errorMessage(err) }, 'PLEG relist failed');
      return;
    }
    this.deps.health?.markDown(errorMessage(err));
    this.#retryMs = this.#retryMs ? Math.min(ENGINE_RETRY_MAX_MS, this.#retryMs * 2) : ENGINE_RETRY_MIN_MS;
  }
}

/** The engine's state word → kubecontainer.State (running_containers' `container_state`). */
function stateLabel(engineState: string): ContainerStateLabel {
  switch (engineState) {
    case 'running':
    case 'paused':
    case 'restarting':
      return 'running';
    case 'created':
      return 'created';
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
    default:
      return 'unknown';
  }
}

/** Pods with a running sandbox, and app/init containers by state (sandboxes not counted). */
function recordRunning(metrics: KubeletMetrics, states: ContainerStateSummary[]): void {
  const pods = new Set<string>();
  const containers: Record<ContainerStateLabel, number> = { created: 0, running: 0, exited: 0, unknown: 0 };
  for (const c of states) {
    const label = stateLabel(c.state);
    if (!c.sandbox) containers[label]++;
    else if (label === 'running' && c.podUid) pods.add(c.podUid);
  }
  metrics.setRunning(pods.size, containers);
}
