// The namespace controller's deletion (pkg/controller/namespace/deletion
// namespaced_resources_deleter.go): a Terminating namespace has its Secrets and
// ConfigMaps deleted and its pods deleted gracefully; when the last pod is gone the
// `kubernetes` finalizer is done and the namespace disappears. Static pods belong to
// their manifests, not to the namespace: they keep running (upstream the kubelet keeps
// them too, and only their mirror pods fail to be re-created).
import { isStaticPod } from '../apis/core/pod-util.js';
import type { StoredKind } from '../apis/core/types.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { PodManager } from '../pod/pod-manager.js';
import type { ObjectStore } from '../sources/object-store.js';
import type { PodConfig } from '../sources/pod-config.js';
import type { NamespaceStore } from './namespace-store.js';

export interface NamespaceControllerDeps {
  namespaces: NamespaceStore;
  pods: PodManager;
  podConfig: PodConfig;
  objects: ObjectStore;
  /**
   * The namespace's PersistentVolumeClaims are deleted with it (each goes once no pod
   * uses it; the namespace does not wait for them).
   */
  claims?: { deleteClaimsIn(namespace: string): void };
  log: Logger;
}

const CONTENT_KINDS: StoredKind[] = ['Secret', 'ConfigMap', 'ServiceAccount'];

export class NamespaceController {
  readonly #unsubscribe: (() => void)[];

  constructor(private readonly d: NamespaceControllerDeps) {
    this.#unsubscribe = [
      d.namespaces.subscribe((type, ns) => {
        if (type !== 'DELETED' && ns.status.phase === 'Terminating') this.#drain(ns.metadata.name!);
      }),
      d.pods.subscribe((change, pod) => {
        if (change === 'DELETED') this.#finishIfEmpty(pod.metadata.namespace);
      }),
    ];
  }

  /** Namespaces left Terminating by an earlier run are emptied now. */
  resume(): void {
    for (const ns of this.d.namespaces.list()) if (ns.status.phase === 'Terminating') this.#drain(ns.metadata.name!);
  }

  stop(): void {
    for (const u of this.#unsubscribe) u();
  }

  #drain(namespace: string): void {
    for (const kind of CONTENT_KINDS)
      for (const o of this.d.objects.list(kind, namespace)) this.d.objects.delete(kind, namespace, o.metadata.name!);
    this.d.claims?.deleteClaimsIn(namespace);
    for (const pod of this.#apiPods(namespace)) {
      try {
        this.d.podConfig.deleteApiPod(namespace, pod.metadata.name);
      } catch (err) {
        this.d.log.warn({ namespace, pod: pod.metadata.name, err: errorMessage(err) }, 'cannot delete pod');
      }
    }
    this.#finishIfEmpty(namespace);
  }

  #finishIfEmpty(namespace: string): void {
    if (this.d.namespaces.find(namespace)?.status.phase !== 'Terminating') return;
    if (this.#apiPods(namespace).length === 0) this.d.namespaces.finalize(namespace);
  }

  #apiPods(namespace: string) {
    return this.d.pods.getPods(namespace).filter((p) => !isStaticPod(p));
  }
}
