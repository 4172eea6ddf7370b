// Probe results cache (pkg/kubelet/prober/results): the latest published result per
// runtime container ID, one cache per probe type. A leaf: status generation and the
// pod actions read it; probe workers write it. Listeners hear only real changes.

export type ProbeType = 'liveness' | 'readiness' | 'startup';
/** A published result; 'unknown' is the startup probe's initial value. */
export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ResultUpdate {
  containerId: string;
  podUid: string;
  result: ProbeResult;
}

export type ResultListener = (u: ResultUpdate) => void;

export class ResultsManager {
  readonly #results = new Map<string, { result: ProbeResult; podUid: string }>();
  readonly #listeners = new Set<ResultListener>();

  /** Keyed by the runtime container ID (the bare 64-hex id, no `docker://`). */
  get(containerId: string): ProbeResult | undefined {
    return this.#results.get(containerId)?.result;
  }

  /** Record a result; listeners are told only when it differs from the cached one. */
  set(containerId: string, result: ProbeResult, podUid: string): void {
    const prev = this.#results.get(containerId);
    if (prev?.result === result) return;
    this.#results.set(containerId, { result, podUid });
    for (const l of this.#listeners) l({ containerId, podUid, result });
  }

  remove(containerId: string): void {
    this.#results.delete(containerId);
  }

  /** Forget every result of one pod. */
  removePod(podUid: string): void {
    for (const [id, v] of this.#results) if (v.podUid === podUid) this.#results.delete(id);
  }

  /** Container IDs of one pod whose result equals `result`. */
  idsWith(podUid: string, result: ProbeResult): string[] {
    return [...this.#results].filter(([, v]) => v.podUid === podUid && v.result === result).map(([k]) => k);
  }

  size(): number {
    return this.#results.size;
  }

  onChange(l: ResultListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}
