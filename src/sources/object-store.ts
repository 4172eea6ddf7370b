// Secrets, ConfigMaps and ServiceAccounts the agent holds (from manifests and the API), persisted
// under the root dir so they survive an agent restart. Later issues read them for
// imagePullSecrets and volumes.
import { join } from 'node:path';
import { RESOURCE_OF_KIND, type StoredKind, type StoredObject, type WatchEventType } from '../apis/core/types.js';
import { alreadyExistsError, conflictError, KubeletError, notFoundError } from '../util/errors.js';
import type { ResourceVersions } from '../util/resource-versions.js';
import { JsonDir } from './json-dir.js';

export type ObjectListener = (type: WatchEventType, obj: StoredObject) => void;

export class ObjectStore {
  readonly #objects = new Map<string, StoredObject>();
  readonly #dirs: Record<StoredKind, JsonDir<StoredObject>>;
  readonly #listeners = new Set<ObjectListener>();

  constructor(
    rootDir: string,
    private readonly rvs: ResourceVersions,
    onLoadError: (file: string, err: unknown) => void,
  ) {
    this.#dirs = {
      Secret: new JsonDir(join(rootDir, 'objects', RESOURCE_OF_KIND.Secret)),
      ConfigMap: new JsonDir(join(rootDir, 'objects', RESOURCE_OF_KIND.ConfigMap)),
      ServiceAccount: new JsonDir(join(rootDir, 'objects', RESOURCE_OF_KIND.ServiceAccount)),
    };
    for (const kind of ['Secret', 'ConfigMap', 'ServiceAccount'] as const) {
      for (const o of this.#dirs[kind].readAll(onLoadError))
        this.#objects.set(key(kind, o.metadata.namespace!, o.metadata.name!), o);
    }
  }

  /**
   * Create an admitted object, or with `replace` overwrite one of the same name (the
   * manifests directory's objects at start-up). The server's fields are the store's:
   * an overwrite keeps the uid and creationTimestamp, every write gets a new resourceVersion.
   */
  put(obj: StoredObject, opts: { replace: boolean; dryRun?: boolean }): StoredObject {
    const prev = this.find(obj.kind, obj.metadata.namespace!, obj.metadata.name!);
    if (prev && !opts.replace) throw alreadyExistsError(RESOURCE_OF_KIND[obj.kind], obj.metadata.name!);
    return opts.dryRun ? withServerFields(obj, prev) : this.#store(obj, prev);
  }

  /**
   * Replace (PUT) an existing object with an admitted one, as the API server's update:
   * NotFound when absent; Conflict when `resourceVersion` (the client's precondition)
   * is given and is not the stored one (staging/src/k8s.io/apiserver/pkg/storage/etcd3
   * GuaranteedUpdate). The stored object is unchanged unless the write succeeds.
   */
  update(obj: StoredObject, resourceVersion?: string, opts: { dryRun?: boolean } = {}): StoredObject {
    const resource = RESOURCE_OF_KIND[obj.kind];
    const name = obj.metadata.name!;
    const prev = this.find(obj.kind, obj.metadata.namespace!, name);
    if (!prev) throw notFoundError(resource, name);
    if (resourceVersion && resourceVersion !== prev.metadata.resourceVersion) {
      throw conflictError(resource, name);
    }
    return opts.dryRun ? withServerFields(obj, prev) : this.#store(obj, prev);
  }

  /** Persist first, then make it live: a failed write leaves nothing changed. */
  #store(obj: StoredObject, prev: StoredObject | undefined): StoredObject {
    const kind = obj.kind;
    const ns = obj.metadata.namespace!;
    const name = obj.metadata.name!;
    const stored = {
      ...obj,
      metadata: {
        ...obj.metadata,
        resourceVersion: this.rvs.next(),
        ...(prev ? { uid: prev.metadata.uid, creationTimestamp: prev.metadata.creationTimestamp } : {}),
      },
    } as StoredObject;
    try {
      this.#dirs[kind].write(`${ns}/${name}`, stored);
    } catch (err) {
      // The detail (a path under the root dir) is for the agent's log, not the client.
      throw new KubeletError('Internal', `cannot store ${RESOURCE_OF_KIND[kind]} "${name}"`, { cause: err });
    }
    this.#objects.set(key(kind, ns, name), stored);
    for (const l of this.#listeners) l(prev ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  get(kind: StoredKind, namespace: string, name: string): StoredObject {
    const o = this.#objects.get(key(kind, namespace, name));
    if (!o) throw notFoundError(RESOURCE_OF_KIND[kind], name);
    return o;
  }

  find(kind: StoredKind, namespace: string, name: string): StoredObject | undefined {
    return this.#objects.get(key(kind, namespace, name));
  }

  list(kind: StoredKind, namespace?: string): StoredObject[] {
    return [...this.#objects.values()]
      .filter((o) => o.kind === kind && (!namespace || o.metadata.namespace === namespace))
      .sort((a, b) =>
        `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`),
      );
  }

  /**
   * The answer and the DELETED event carry a new resourceVersion, as etcd3's
   * conditionalDelete decodes the deleted object at the delete's revision
   * (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go): a watch started from a
   * list's version sees the deletion as newer than that list.
   */
  delete(kind: StoredKind, namespace: string, name: string): StoredObject {
    const o = this.get(kind, namespace, name);
    this.#dirs[kind].remove(`${namespace}/${name}`);
    this.#objects.delete(key(kind, namespace, name));
    const gone = { ...o, metadata: { ...o.metadata, resourceVersion: this.rvs.next() } } as StoredObject;
    for (const l of this.#listeners) l('DELETED', gone);
    return gone;
  }

  subscribe(l: ObjectListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}

/**
 * A dry run's answer: the object as it would be stored, without a new resourceVersion
 * (the API server's dry-run storage copies the object without a revision).
 */
function withServerFields(obj: StoredObject, prev: StoredObject | undefined): StoredObject {
  if (!prev) return obj;
  const { uid, creationTimestamp, resourceVersion } = prev.metadata;
  return { ...obj, metadata: { ...obj.metadata, uid, creationTimestamp, resourceVersion } } as StoredObject;
}

function key(kind: StoredKind, ns: string, name: string): string {
  return `${kind}/${ns}/${name}`;
}
