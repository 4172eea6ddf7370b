// PersistentVolumeClaim, PersistentVolume (core/v1) and StorageClass (storage.k8s.io/v1):
// the fields minikubelet's one-node local provisioner reads and writes
// (k8s.io/api/core/v1/types.go, k8s.io/api/storage/v1/types.go).
import type { ObjectMeta } from './types.js';

export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';
export const ACCESS_MODES: readonly AccessMode[] = [
  'ReadOnlyMany',
  'ReadWriteMany',
  'ReadWriteOnce',
  'ReadWriteOncePod',
];

export interface PersistentVolumeClaimSpec {
  accessModes?: AccessMode[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  storageClassName?: string;
  volumeName?: string;
  volumeMode?: 'Filesystem' | 'Block';
  selector?: unknown;
  dataSource?: unknown;
  dataSourceRef?: unknown;
  volumeAttributesClassName?: string;
}

export type ClaimPhase = 'Pending' | 'Bound' | 'Lost';

export interface PersistentVolumeClaim {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: ObjectMeta;
  spec: PersistentVolumeClaimSpec;
  status?: { phase?: ClaimPhase; accessModes?: AccessMode[]; capacity?: Record<string, string> };
}

export type VolumePhase = 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed';

export interface PersistentVolume {
  apiVersion: 'v1';
  kind: 'PersistentVolume';
  metadata: ObjectMeta;
  spec: {
    capacity: Record<string, string>;
    accessModes: AccessMode[];
    claimRef?: {
      apiVersion: 'v1';
      kind: 'PersistentVolumeClaim';
      namespace: string;
      name: string;
      uid: string;
      resourceVersion?: string;
    };
    persistentVolumeReclaimPolicy: 'Delete' | 'Retain';
    storageClassName: string;
    volumeMode: 'Filesystem';
    /** The Docker volume holding the data (minikubelet's stand-in for local-path's hostPath). */
    local?: { path: string };
    nodeAffinity?: unknown;
  };
  status?: { phase?: VolumePhase; lastPhaseTransitionTime?: string };
}

export interface StorageClass {
  apiVersion: 'storage.k8s.io/v1';
  kind: 'StorageClass';
  metadata: ObjectMeta;
  provisioner: string;
  reclaimPolicy: 'Delete' | 'Retain';
  volumeBindingMode: 'WaitForFirstConsumer' | 'Immediate';
  allowVolumeExpansion?: boolean;
}

export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
