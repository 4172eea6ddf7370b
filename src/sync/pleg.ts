// PLEG (pkg/kubelet/pleg/generic.go): relist every container of this agent with one
// cheap list call each period and wake the worker of every pod whose containers
// changed (a new, gone or re-stated container). Engine events usually get there
// first; the relist catches what no event announced (e.g. a start that failed).
// The same list feeds kubelet_running_pods / kubelet_running_containers, as the
// kubelet's relist does (generic.go updateRunningPodAndContainerMetrics).
import type { ContainerRuntime, ContainerStateSummary } from '../runtime/runtime.js';
import { NO_METRICS, type ContainerStateLabel, type KubeletMetrics } from '../metrics/metrics.js';
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
        .catch((err: unknown) => this.deps.log.debug({ err: errorMessage(err) }, 'PLEG relist failed'))
        .finally(() => this.#schedule());
    }, this.deps.periodMs);
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
