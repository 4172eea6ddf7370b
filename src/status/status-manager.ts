// The versioned cache of every pod the node runs and its latest status: the API's
// source of truth. Every change gets a new resourceVersion and is published to
// watchers, so `get pods --watch` and `minikubelet run` see status changes live.
import type { Pod, PodStatus, ValidPod, WatchEventType } from '../apis/core/types.js';

export type PodChange = WatchEventType;
export type PodListener = (type: PodChange, pod: Pod) => void;

/** One counter for every object kind, like etcd's revision. */
export class ResourceVersions {
  #rv = 0;
  next(): string {
    return String(++this.#rv);
  }
  current(): string {
    return String(this.#rv);
  }
}

interface Entry {
  pod: ValidPod;
  status: PodStatus;
  rv: string;
}

export class StatusManager {
  readonly #pods = new Map<string, Entry>();
  readonly #listeners = new Set<PodListener>();

  constructor(private readonly rvs: ResourceVersions) {}

  /** Add or replace a pod's spec/metadata; status starts Pending. */
  setPod(pod: ValidPod): void {
    const prev = this.#pods.get(pod.metadata.uid);
    const status = prev?.status ?? { phase: 'Pending', qosClass: 'BestEffort' };
    this.#pods.set(pod.metadata.uid, { pod, status, rv: this.rvs.next() });
    this.#emit(prev ? 'MODIFIED' : 'ADDED', pod.metadata.uid);
  }

  /** Publish a new status; no-op (no new resourceVersion) when nothing changed. */
  setStatus(uid: string, status: PodStatus): void {
    const e = this.#pods.get(uid);
    if (!e) return;
    if (JSON.stringify(e.status) === JSON.stringify(status)) return;
    e.status = status;
    e.rv = this.rvs.next();
    this.#emit('MODIFIED', uid);
  }

  remove(uid: string): void {
    const e = this.#pods.get(uid);
    if (!e) return;
    const last = this.#render(e);
    this.#pods.delete(uid);
    last.metadata.resourceVersion = this.rvs.next();
    for (const l of this.#listeners) l('DELETED', last);
  }

  getStatus(uid: string): PodStatus | undefined {
    return this.#pods.get(uid)?.status;
  }
  getSpec(uid: string): ValidPod | undefined {
    return this.#pods.get(uid)?.pod;
  }

  get(uid: string): Pod | undefined {
    const e = this.#pods.get(uid);
    return e ? this.#render(e) : undefined;
  }

  findByName(namespace: string, name: string): Pod | undefined {
    for (const e of this.#pods.values()) {
      if (e.pod.metadata.namespace === namespace && e.pod.metadata.name === name) return this.#render(e);
    }
    return undefined;
  }

  list(namespace?: string): Pod[] {
    const out: Pod[] = [];
    for (const e of this.#pods.values()) {
      if (!namespace || e.pod.metadata.namespace === namespace) out.push(this.#render(e));
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
    );
  }

  subscribe(l: PodListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #render(e: Entry): Pod {
    return {
      ...e.pod,
      metadata: { ...e.pod.metadata, resourceVersion: e.rv },
      status: structuredClone(e.status),
    };
  }

  #emit(type: PodChange, uid: string): void {
    const e = this.#pods.get(uid);
    if (!e) return;
    const pod = this.#render(e);
    for (const l of this.#listeners) l(type, pod);
  }
}
