// The desired pods of this node (pkg/kubelet/pod/pod_manager.go): what the sources
// asked for, by UID and by namespace/name, static (file) vs API. A static pod's API view (the kubelet's mirror pod) is
// the pod itself under the same UID, so there is no separate mirror identity to track.
// Specs live here; statuses live in status/status-manager.ts. Written only by
// sources/pod-config.ts, the one owner of incoming pods; everyone else reads.
import type { ValidPod, WatchEventType } from '../apis/core/types.js';

export type PodManagerListener = (change: WatchEventType, pod: ValidPod) => void;

/** What readers of the desired pods need (status, sync, the API adapter). */
export interface PodGetter {
  getPodByUid(uid: string): ValidPod | undefined;
  getPodByName(namespace: string, name: string): ValidPod | undefined;
  getPods(namespace?: string): ValidPod[];
}

export class PodManager implements PodGetter {
  readonly #byUid = new Map<string, ValidPod>();
  readonly #byName = new Map<string, string>();
  readonly #listeners = new Set<PodManagerListener>();

  /** Add a pod, or replace the pod with the same UID (UpdatePod). */
  setPod(pod: ValidPod): void {
    const { uid, namespace, name } = pod.metadata;
    const prev = this.#byUid.get(uid);
    if (prev) this.#byName.delete(nameKey(prev.metadata.namespace, prev.metadata.name));
    this.#byUid.set(uid, pod);
    this.#byName.set(nameKey(namespace, name), uid);
    for (const l of this.#listeners) l(prev ? 'MODIFIED' : 'ADDED', pod);
  }

  removePod(uid: string): void {
    const pod = this.#byUid.get(uid);
    if (!pod) return;
    this.#byUid.delete(uid);
    // The name may already point at another UID (a successor): only this pod's entry goes.
    const key = nameKey(pod.metadata.namespace, pod.metadata.name);
    if (this.#byName.get(key) === uid) this.#byName.delete(key);
    for (const l of this.#listeners) l('DELETED', pod);
  }

  getPodByUid(uid: string): ValidPod | undefined {
    return this.#byUid.get(uid);
  }

  getPodByName(namespace: string, name: string): ValidPod | undefined {
    const uid = this.#byName.get(nameKey(namespace, name));
    return uid === undefined ? undefined : this.#byUid.get(uid);
  }

  getPods(namespace?: string): ValidPod[] {
    const all = [...this.#byUid.values()];
    return namespace ? all.filter((p) => p.metadata.namespace === namespace) : all;
  }

  uids(): string[] {
    return [...this.#byUid.keys()];
  }

  /** Called synchronously on every change, after it is applied. */
  subscribe(l: PodManagerListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}

function nameKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
