// The latest status of every desired pod, versioned and watched
// (pkg/kubelet/status/status_manager.go). Specs come from the pod manager; this
// module owns only statuses and the resourceVersion each (spec, status) pair was
// published under. Every change is published to watchers, so `get pods --watch`
// and `minikubelet run` see status changes live.
import type { Pod, PodStatus, ValidPod, WatchEventType } from '../apis/core/types.js';
import type { PodManager } from '../pod/pod-manager.js';
import type { ResourceVersions } from '../util/resource-versions.js';

export type PodListener = (type: WatchEventType, pod: Pod) => void;

interface Entry {
  status: PodStatus;
  rv: string;
}

export class StatusManager {
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<PodListener>();

  /**
   * Follows the pod manager: a new or changed pod is published (ADDED / MODIFIED,
   * status Pending until the first sync), a removed one is published DELETED with
   * its last status.
   */
  constructor(
    private readonly pods: PodManager,
    private readonly rvs: ResourceVersions,
  ) {
    pods.subscribe((change, pod) => {
      if (change === 'DELETED') this.#remove(pod);
      else this.#specChanged(pod);
    });
  }

  /** Publish a new status; no-op (no new resourceVersion) when nothing changed. */
  setStatus(uid: string, status: PodStatus): void {
    const e = this.#entries.get(uid);
    if (!e) return;
    if (JSON.stringify(e.status) === JSON.stringify(status)) return;
    e.status = status;
    e.rv = this.rvs.next();
    this.#emit('MODIFIED', uid);
  }

  getStatus(uid: string): PodStatus | undefined {
    return this.#entries.get(uid)?.status;
  }

  /** The pod as the API shows it: desired spec, latest status, its resourceVersion. */
  getPod(uid: string): Pod | undefined {
    const pod = this.pods.getPodByUid(uid);
    const e = this.#entries.get(uid);
    return pod && e ? render(pod, e) : undefined;
  }

  findPod(namespace: string, name: string): Pod | undefined {
    const pod = this.pods.getPodByName(namespace, name);
    return pod ? this.getPod(pod.metadata.uid) : undefined;
  }

  listPods(namespace?: string): Pod[] {
    return this.pods
      .getPods(namespace)
      .flatMap((p) => {
        const e = this.#entries.get(p.metadata.uid);
        return e ? [render(p, e)] : [];
      })
      .sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
      );
  }

  subscribe(l: PodListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #specChanged(pod: ValidPod): void {
    const uid = pod.metadata.uid;
    const prev = this.#entries.get(uid);
    const status = prev?.status ?? { phase: 'Pending', qosClass: 'BestEffort' };
    this.#entries.set(uid, { status, rv: this.rvs.next() });
    this.#emit(prev ? 'MODIFIED' : 'ADDED', uid);
  }

  #remove(pod: ValidPod): void {
    const e = this.#entries.get(pod.metadata.uid);
    if (!e) return;
    this.#entries.delete(pod.metadata.uid);
    const last = render(pod, { status: e.status, rv: this.rvs.next() });
    for (const l of this.#listeners) l('DELETED', last);
  }

  #emit(type: WatchEventType, uid: string): void {
    const pod = this.getPod(uid);
    if (!pod) return;
    for (const l of this.#listeners) l(type, pod);
  }
}

function render(pod: ValidPod, e: Entry): Pod {
  return {
    ...pod,
    metadata: { ...pod.metadata, resourceVersion: e.rv },
    status: structuredClone(e.status),
  };
}
