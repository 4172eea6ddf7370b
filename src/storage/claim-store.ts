// PersistentVolumeClaims and PersistentVolumes the agent holds, persisted under the
// root dir (objects/persistentvolumeclaims, objects/persistentvolumes) so that a
// restarted agent finds its claims, their bindings and the Docker volumes they name.
// Every write gets a new resourceVersion; listeners see ADDED/MODIFIED/DELETED (watch).
import { join } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim } from '../apis/core/storage-types.js';
import type { WatchEventType } from '../apis/core/types.js';
import { KubeletError } from '../util/errors.js';
import type { ResourceVersions } from '../util/resource-versions.js';
import { JsonDir } from '../sources/json-dir.js';

export type StorageObject = PersistentVolumeClaim | PersistentVolume;
export type StorageListener = (type: WatchEventType, obj: StorageObject) => void;

export class ClaimStore {
  readonly #claims = new Map<string, PersistentVolumeClaim>();
  readonly #volumes = new Map<string, PersistentVolume>();
  readonly #claimDir: JsonDir<PersistentVolumeClaim>;
  readonly #volumeDir: JsonDir<PersistentVolume>;
  readonly #listeners = new Set<StorageListener>();
  /**
   * Pods (by uid) the scheduler placed with their claims bound: the record a real
   * cluster keeps as the pod's spec.nodeName, so a restarted agent does not hold a
   * running pod back because its claim is now being deleted.
   */
  readonly #placed = new Set<string>();
  readonly #placedDir: JsonDir<string>;

  constructor(
    rootDir: string,
    private readonly rvs: ResourceVersions,
    onLoadError: (file: string, err: unknown) => void,
  ) {
    this.#claimDir = new JsonDir(join(rootDir, 'objects', 'persistentvolumeclaims'));
    this.#volumeDir = new JsonDir(join(rootDir, 'objects', 'persistentvolumes'));
    for (const c of this.#claimDir.readAll(onLoadError)) this.#claims.set(claimKey(c), c);
    for (const v of this.#volumeDir.readAll(onLoadError)) this.#volumes.set(v.metadata.name!, v);
    this.#placedDir = new JsonDir(join(rootDir, 'claim-pods'));
    for (const uid of this.#placedDir.readAll(onLoadError)) this.#placed.add(uid);
  }

  isPlaced(podUid: string): boolean {
    return this.#placed.has(podUid);
  }

  markPlaced(podUid: string): void {
    if (this.#placed.has(podUid)) return;
    this.#placedDir.write(podUid, podUid);
    this.#placed.add(podUid);
  }

  /** Forget placed pods that `exists` no longer knows. */
  prunePlaced(exists: (uid: string) => boolean): void {
    for (const uid of [...this.#placed]) {
      if (exists(uid)) continue;
      this.#placedDir.remove(uid);
      this.#placed.delete(uid);
    }
  }

  claim(namespace: string, name: string): PersistentVolumeClaim | undefined {
    return this.#claims.get(`${namespace}/${name}`);
  }

  claims(namespace?: string): PersistentVolumeClaim[] {
    return [...this.#claims.values()]
      .filter((c) => !namespace || c.metadata.namespace === namespace)
      .sort((a, b) => claimKey(a).localeCompare(claimKey(b)));
  }

  volume(name: string): PersistentVolume | undefined {
    return this.#volumes.get(name);
  }

  volumes(): PersistentVolume[] {
    return [...this.#volumes.values()].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  }

  /** Persist first, then make live: a failed write changes nothing. */
  putClaim(c: PersistentVolumeClaim): PersistentVolumeClaim {
    const prev = this.#claims.get(claimKey(c));
    const stored = this.#stamp(c);
    this.#persist(() => this.#claimDir.write(claimKey(stored), stored), 'persistentvolumeclaims', c);
    this.#claims.set(claimKey(stored), stored);
    this.#emit(prev ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  putVolume(v: PersistentVolume): PersistentVolume {
    const prev = this.#volumes.get(v.metadata.name!);
    const stored = this.#stamp(v);
    this.#persist(() => this.#volumeDir.write(stored.metadata.name!, stored), 'persistentvolumes', v);
    this.#volumes.set(stored.metadata.name!, stored);
    this.#emit(prev ? 'MODIFIED' : 'ADDED', stored);
    return stored;
  }

  /** The DELETED event carries a new resourceVersion, as etcd's delete: a watch from a list's version sees it. */
  removeClaim(c: PersistentVolumeClaim): void {
    this.#claimDir.remove(claimKey(c));
    if (this.#claims.delete(claimKey(c))) this.#emit('DELETED', this.#stamp(c));
  }

  removeVolume(v: PersistentVolume): void {
    this.#volumeDir.remove(v.metadata.name!);
    if (this.#volumes.delete(v.metadata.name!)) this.#emit('DELETED', this.#stamp(v));
  }

  subscribe(l: StorageListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #stamp<T extends StorageObject>(o: T): T {
    return { ...o, metadata: { ...o.metadata, resourceVersion: this.rvs.next() } };
  }

  #persist(write: () => void, resource: string, o: StorageObject): void {
    try {
      write();
    } catch (err) {
      throw new KubeletError('Internal', `cannot store ${resource} "${o.metadata.name}"`, { cause: err });
    }
  }

  #emit(type: WatchEventType, o: StorageObject): void {
    for (const l of this.#listeners) l(type, o);
  }
}

function claimKey(c: PersistentVolumeClaim): string {
  return `${c.metadata.namespace}/${c.metadata.name}`;
}
