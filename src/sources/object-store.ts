// Secrets and ConfigMaps the agent holds (from manifests and the API), persisted
// under the root dir so they survive an agent restart. Later issues read them for
// imagePullSecrets and volumes.
import { join } from 'node:path';
import { RESOURCE_OF_KIND, type StoredKind, type StoredObject, type WatchEventType } from '../apis/core/types.js';
import { alreadyExistsError, notFoundError } from '../util/errors.js';
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
    };
    for (const kind of ['Secret', 'ConfigMap'] as const) {
      for (const o of this.#dirs[kind].readAll(onLoadError))
        this.#objects.set(key(kind, o.metadata.namespace!, o.metadata.name!), o);
    }
  }

  /** Create (or, with replace, overwrite) an admitted object. */
  put(obj: StoredObject, opts: { replace: boolean }): StoredObject {
    const kind = obj.kind;
    const ns = obj.metadata.namespace!;
    const name = obj.metadata.name!;
    const k = key(kind, ns, name);
    const prev = this.#objects.get(k);
    if (prev && !opts.replace) {
      throw alreadyExistsError(RESOURCE_OF_KIND[kind], name);
    }
    const stored = {
      ...obj,
      metadata: {
        ...obj.metadata,
        resourceVersion: this.rvs.next(),
        ...(prev ? { uid: prev.metadata.uid, creationTimestamp: prev.metadata.creationTimestamp } : {}),
      },
    } as StoredObject;
    this.#objects.set(k, stored);
    this.#dirs[kind].write(`${ns}/${name}`, stored);
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

  delete(kind: StoredKind, namespace: string, name: string): StoredObject {
    const o = this.get(kind, namespace, name);
    this.#objects.delete(key(kind, namespace, name));
    this.#dirs[kind].remove(`${namespace}/${name}`);
    for (const l of this.#listeners) l('DELETED', o);
    return o;
  }

  subscribe(l: ObjectListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }
}

function key(kind: StoredKind, ns: string, name: string): string {
  return `${kind}/${ns}/${name}`;
}
