// The built-in local provisioner's output (rancher/local-path-provisioner provisioner.go
// provisionFor, and the PV controller's bind in pv_controller.go bindVolumeToClaim /
// bindClaimToVolume): for a claim, a PV `pvc-<claim uid>` whose data is a Docker
// volume, and the claim as bound to it. Pure: the controller stores both.
import {
  type AccessMode,
  type PersistentVolume,
  type PersistentVolumeClaim,
  PV_PROTECTION_FINALIZER,
  type StorageClass,
} from '../apis/core/storage-types.js';
import { LOCAL_PROVISIONER } from './storage-class.js';

const BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
const STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
const BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

/** The Docker volume that holds a PV's data. */
export function dataVolumeName(pvName: string): string {
  return `minikubelet-pv_${pvName}`;
}

/** A new PV for `claim` (capacity = its request, its access modes, the class's reclaim policy) and the bound claim. */
export function provision(
  claim: PersistentVolumeClaim,
  cls: StorageClass,
  nodeName: string,
  now: string,
): { volume: PersistentVolume; bound: PersistentVolumeClaim } {
  const pvName = `pvc-${claim.metadata.uid}`;
  const modes = claim.spec.accessModes ?? (['ReadWriteOnce'] as AccessMode[]);
  const storage = claim.spec.resources?.requests?.storage ?? '0';
  const volume: PersistentVolume = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: pvName,
      uid: crypto.randomUUID(),
      creationTimestamp: now,
      annotations: { [PROVISIONED_BY]: LOCAL_PROVISIONER },
      finalizers: [PV_PROTECTION_FINALIZER],
    },
    spec: {
      capacity: { storage },
      accessModes: modes,
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace!,
        name: claim.metadata.name!,
        uid: claim.metadata.uid!,
      },
      persistentVolumeReclaimPolicy: cls.reclaimPolicy,
      storageClassName: cls.metadata.name!,
      volumeMode: 'Filesystem',
      local: { path: dataVolumeName(pvName) },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] },
          ],
        },
      },
    },
    status: { phase: 'Bound', lastPhaseTransitionTime: now },
  };
  const bound: PersistentVolumeClaim = {
    ...claim,
    metadata: {
      ...claim.metadata,
      annotations: {
        ...claim.metadata.annotations,
        [BIND_COMPLETED]: 'yes',
        [BOUND_BY_CONTROLLER]: 'yes',
        [STORAGE_PROVISIONER]: LOCAL_PROVISIONER,
        [BETA_STORAGE_PROVISIONER]: LOCAL_PROVISIONER,
        [SELECTED_NODE]: nodeName,
      },
    },
    spec: { ...claim.spec, volumeName: pvName },
    status: { phase: 'Bound', accessModes: modes, capacity: { storage } },
  };
  return { volume, bound };
}
