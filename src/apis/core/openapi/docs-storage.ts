// Descriptions of PersistentVolumeClaim and PersistentVolume (k8s.io/api/core/v1
// types.go), written for minikubelet from what each field means on this node.
import { TIME, TYPE_META_FIELDS, type TypeDocs } from './doc-types.js';

const META = 'Standard object metadata: name, namespace, labels, annotations, uid, versions.';
const ACCESS_MODES = {
  d: 'How the volume may be mounted: ReadWriteOnce (read-write by one node), ReadOnlyMany, ReadWriteMany, ReadWriteOncePod (read-write by one pod).',
  set: true,
} as const;
const VOLUME_MODE = { d: 'Filesystem (the default: a directory) or Block.', enum: ['Block', 'Filesystem'] } as const;

export const STORAGE_DOCS: TypeDocs = {
  PersistentVolumeClaim: {
    d: "A user's request for storage. On minikubelet a claim is bound, when the first pod using it is placed, to a new PersistentVolume whose data is a Docker volume that outlives the pod.",
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      spec: 'The storage the claim asks for.',
      status: 'Whether and to what the claim is bound. Set by the system.',
    },
  },
  PersistentVolumeClaimSpec: {
    d: 'What a claim asks for: access modes, a size and a storage class.',
    fields: {
      accessModes: ACCESS_MODES,
      resources: 'The minimum size the volume must have (`requests.storage`).',
      storageClassName:
        'The StorageClass to provision from; absent means the default class (`standard`), an empty string means no class.',
      volumeName: 'The PersistentVolume the claim is bound to. Set by the binder.',
      volumeMode: VOLUME_MODE,
      selector: 'A label query over existing volumes. Not used by the local provisioner.',
      dataSource: 'An existing object to populate the volume from. Not used by the local provisioner.',
      dataSourceRef: 'An object to populate the volume from, in any namespace. Not used by the local provisioner.',
      volumeAttributesClassName: 'The VolumeAttributesClass the claim uses. Not used by the local provisioner.',
    },
  },
  VolumeResourceRequirements: {
    d: 'The resources a claim asks for.',
    fields: {
      requests: 'The minimum resources: `storage` is required and must be greater than zero.',
      limits: 'The maximum resources. Not enforced by the local provisioner.',
    },
  },
  PersistentVolumeClaimStatus: {
    d: 'The observed state of a claim.',
    fields: {
      phase: {
        d: 'Pending until bound, then Bound; Lost if its volume disappeared.',
        enum: ['Bound', 'Lost', 'Pending'],
      },
      accessModes: { d: 'The access modes of the bound volume.', set: true },
      capacity: 'The size of the bound volume.',
    },
  },
  PersistentVolume: {
    d: "A piece of storage provisioned for a claim. minikubelet's local provisioner names it `pvc-<claim uid>` and keeps its data in a Docker volume.",
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      spec: 'The volume: size, access modes, its claim and what happens when the claim goes.',
      status: 'The phase of the volume. Set by the system.',
    },
  },
  PersistentVolumeSpec: {
    d: 'What a PersistentVolume is.',
    fields: {
      capacity: 'The size of the volume (`storage`), the request of the claim it was provisioned for.',
      accessModes: ACCESS_MODES,
      claimRef: 'The claim the volume is bound to.',
      persistentVolumeReclaimPolicy: {
        d: 'What happens when the claim is deleted: Delete removes the data and the volume, Retain keeps both.',
        enum: ['Delete', 'Recycle', 'Retain'],
      },
      storageClassName: 'The StorageClass the volume was provisioned from.',
      volumeMode: VOLUME_MODE,
      local: 'Where the data is: on minikubelet, the name of the Docker volume that holds it.',
      nodeAffinity: 'The nodes that can reach the volume: this one.',
    },
  },
  LocalVolumeSource: {
    d: 'Storage local to the node.',
    fields: { path: 'The location of the data (minikubelet: the Docker volume name).' },
  },
  PersistentVolumeStatus: {
    d: 'The observed state of a PersistentVolume.',
    fields: {
      phase: {
        d: 'Available, Bound to a claim, Released after its claim is deleted, or Failed.',
        enum: ['Available', 'Bound', 'Failed', 'Pending', 'Released'],
      },
      lastPhaseTransitionTime: { d: 'When the volume last changed phase.', ...TIME },
    },
  },
};
