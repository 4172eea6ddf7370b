// Two controllers of kube-controller-manager, for what every namespace must hold before a
// pod can be admitted with a token:
// - the serviceaccounts controller (pkg/controller/serviceaccount/serviceaccounts_controller.go):
//   a `default` ServiceAccount in every active namespace, re-created when deleted;
// - the root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher/publisher.go):
//   ConfigMap `kube-root-ca.crt` with key `ca.crt` = the API's CA, re-created when deleted
//   and put back when edited.
// Neither touches a namespace being deleted (the namespace controller empties it).
import { randomUUID } from 'node:crypto';
import { DEFAULT_SERVICE_ACCOUNT, ROOT_CA_CONFIGMAP } from '../apis/core/admit-serviceaccount.js';
import type { ConfigMap, ServiceAccount, StoredObject } from '../apis/core/types.js';
import { rfc3339, type Clock } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { NamespaceStore } from '../namespace/namespace-store.js';
import type { ObjectStore } from '../sources/object-store.js';

/** The annotation the publisher sets (publisher.go, since 1.20): what the ConfigMap is for. */
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface ServiceAccountControllerDeps {
  namespaces: NamespaceStore;
  objects: ObjectStore;
  clock: Clock;
  log: Logger;
  /** The API's CA (PEM); without it (no API served) no kube-root-ca.crt is published. */
  caPem?: string;
}

export class ServiceAccountController {
  readonly #unsubscribe: (() => void)[] = [];

  constructor(private readonly d: ServiceAccountControllerDeps) {}

  /** Fills every namespace now, then follows namespaces and deletions. */
  start(): void {
    // Deferred: the stores call listeners while they notify others; a re-creation inside
    // one would reach later listeners (and watches) before the deletion that caused it.
    const later = (ns: string) => queueMicrotask(() => this.#ensure(ns));
    this.#unsubscribe.push(
      this.d.namespaces.subscribe((type, ns) => {
        if (type !== 'DELETED') later(ns.metadata.name!);
      }),
      this.d.objects.subscribe((type, obj) => {
        if (this.#owned(obj) && type !== 'ADDED') later(obj.metadata.namespace!);
      }),
    );
    for (const ns of this.d.namespaces.list()) this.#ensure(ns.metadata.name!);
  }

  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  #owned(o: StoredObject): boolean {
    return (
      (o.kind === 'ServiceAccount' && o.metadata.name === DEFAULT_SERVICE_ACCOUNT) ||
      (o.kind === 'ConfigMap' && o.metadata.name === ROOT_CA_CONFIGMAP)
    );
  }

  #ensure(namespace: string): void {
    if (this.d.namespaces.find(namespace)?.status.phase !== 'Active') return;
    try {
      if (!this.d.objects.find('ServiceAccount', namespace, DEFAULT_SERVICE_ACCOUNT))
        this.d.objects.put(this.#defaultServiceAccount(namespace), { replace: false });
      if (this.d.caPem !== undefined) this.#publishCa(namespace, this.d.caPem);
    } catch (err) {
      this.d.log.warn({ namespace, err: errorMessage(err) }, 'cannot create the namespace service account objects');
    }
  }

  #publishCa(namespace: string, caPem: string): void {
    const cm = this.d.objects.find('ConfigMap', namespace, ROOT_CA_CONFIGMAP) as ConfigMap | undefined;
    if (cm?.data?.['ca.crt'] === caPem) return;
    const next: ConfigMap = cm
      ? { ...cm, data: { 'ca.crt': caPem } }
      : {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            ...this.#meta(namespace, ROOT_CA_CONFIGMAP),
            annotations: { 'kubernetes.io/description': DESCRIPTION },
          },
          data: { 'ca.crt': caPem },
        };
    if (cm) this.d.objects.update(next);
    else this.d.objects.put(next, { replace: false });
  }

  #defaultServiceAccount(namespace: string): ServiceAccount {
    return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: this.#meta(namespace, DEFAULT_SERVICE_ACCOUNT) };
  }

  #meta(namespace: string, name: string) {
    return { name, namespace, uid: randomUUID(), creationTimestamp: rfc3339(this.d.clock.now()) };
  }
}
