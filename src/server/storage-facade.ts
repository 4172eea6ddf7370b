// What the storage routes need from the node: claims, volumes and classes, as the
// storage manager (src/storage/volume-controller.ts) provides them.
import type { WriteOptions } from './dry-run.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../apis/core/storage-types.js';
import type { WatchEvent } from '../apis/core/types.js';

export interface StorageFacade {
  listClaims(namespace?: string): PersistentVolumeClaim[];
  /** Throws NotFound. */
  getClaim(namespace: string, name: string): PersistentVolumeClaim;
  /** Admission (defaults, DefaultStorageClass, pvc-protection finalizer), validation, then Pending. */
  createClaim(namespace: string, body: unknown, opts?: WriteOptions): PersistentVolumeClaim;
  /** PUT or a PATCH's result; Invalid for a forbidden spec change, Conflict on a stale resourceVersion. */
  replaceClaim(
    namespace: string,
    name: string,
    body: unknown,
    resourceVersion?: string,
    opts?: WriteOptions,
  ): PersistentVolumeClaim;
  /** Sets deletionTimestamp; the claim goes once no pod uses it. */
  deleteClaim(namespace: string, name: string, opts?: WriteOptions): PersistentVolumeClaim;
  listVolumes(): PersistentVolume[];
  getVolume(name: string): PersistentVolume;
  storageClasses(): StorageClass[];
  storageClass(name: string): StorageClass;
  watchClaims(handler: (e: WatchEvent<PersistentVolumeClaim>) => void): () => void;
  watchVolumes(handler: (e: WatchEvent<PersistentVolume>) => void): () => void;
}
