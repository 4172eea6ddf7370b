// `kubectl get pvc`, `get pv` and `get sc` columns as the API server's Tables
// (pkg/printers/internalversion/printers.go printPersistentVolumeClaim,
// printPersistentVolume, printStorageClass; pkg/api/v1/persistentvolume
// GetAccessModesAsString).
import {
  type AccessMode,
  DEFAULT_CLASS_ANNOTATION,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from '../apis/core/storage-types.js';
import type { ObjectMeta } from '../apis/core/types.js';
import { timestampSince } from './human-duration.js';
import { col, type Table, type TableColumnDefinition } from './pod-columns.js';

const NAME = col('Name', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');
const VOLUME_MODE = col('VolumeMode', 'volumeMode defines what type of volume is required by the claim.', 1);
const VAC = (of: string) => col('VolumeAttributesClass', `VolumeAttributesClass of the ${of}`);

export const PVC_COLUMNS: TableColumnDefinition[] = [
  NAME,
  col('Status', 'phase represents the current phase of PersistentVolumeClaim.'),
  col('Volume', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
  col('Capacity', 'capacity represents the actual resources of the underlying volume.'),
  col('Access Modes', 'accessModes contains the actual access modes the volume backing the PVC has.'),
  col('StorageClass', 'StorageClass of the pvc'),
  VAC('pvc'),
  AGE,
  VOLUME_MODE,
];

export const PV_COLUMNS: TableColumnDefinition[] = [
  NAME,
  col('Capacity', "capacity is the description of the persistent volume's resources and capacity."),
  col('Access Modes', 'accessModes contains all ways the volume can be mounted.'),
  col(
    'Reclaim Policy',
    'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
  ),
  col('Status', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
  col('Claim', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
  col('StorageClass', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
  VAC('pv'),
  col('Reason', 'reason is a brief CamelCase string that describes any failure.'),
  AGE,
  VOLUME_MODE,
];

export const SC_COLUMNS: TableColumnDefinition[] = [
  col('Name', 'Name must be unique within a namespace.', 0, 'name'),
  col('Provisioner', 'Indicates the type of the provisioner.'),
  col('ReclaimPolicy', 'Indicates the type of the reclaim policy.'),
  col('VolumeBindingMode', 'Indicates the binding mode.'),
  col('AllowVolumeExpansion', 'Indicates whether the storage class allow volume expand.'),
  AGE,
];

const MODE_ABBREV: [AccessMode, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** GetAccessModesAsString: in this fixed order, whatever the spec's order. */
export function accessModesText(modes: AccessMode[] | undefined): string {
  return MODE_ABBREV.filter(([m]) => modes?.includes(m))
    .map(([, a]) => a)
    .join(',');
}

export function claimRow(c: PersistentVolumeClaim, now: number): (string | number)[] {
  const bound = !!c.spec.volumeName;
  return [
    c.metadata.name ?? '',
    c.metadata.deletionTimestamp ? 'Terminating' : (c.status?.phase ?? ''),
    c.spec.volumeName ?? '',
    bound ? (c.status?.capacity?.storage ?? '') : '',
    bound ? accessModesText(c.status?.accessModes) : '',
    c.spec.storageClassName ?? '',
    c.spec.volumeAttributesClassName ?? '<unset>',
    timestampSince(c.metadata.creationTimestamp, now),
    c.spec.volumeMode ?? '<unset>',
  ];
}

export function volumeRow(v: PersistentVolume, now: number): (string | number)[] {
  const ref = v.spec.claimRef;
  return [
    v.metadata.name ?? '',
    v.spec.capacity?.storage ?? '',
    accessModesText(v.spec.accessModes),
    v.spec.persistentVolumeReclaimPolicy,
    v.metadata.deletionTimestamp ? 'Terminating' : (v.status?.phase ?? ''),
    ref ? `${ref.namespace}/${ref.name}` : '',
    v.spec.storageClassName,
    '<unset>',
    '',
    timestampSince(v.metadata.creationTimestamp, now),
    v.spec.volumeMode ?? '<unset>',
  ];
}

export function storageClassRow(sc: StorageClass, now: number): (string | number | boolean)[] {
  const isDefault = sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true';
  return [
    `${sc.metadata.name}${isDefault ? ' (default)' : ''}`,
    sc.provisioner,
    sc.reclaimPolicy ?? 'Delete',
    sc.volumeBindingMode ?? 'Immediate',
    sc.allowVolumeExpansion ?? false,
    timestampSince(sc.metadata.creationTimestamp, now),
  ];
}

function table<T extends { metadata: ObjectMeta }>(
  columns: TableColumnDefinition[],
  items: T[],
  row: (o: T, now: number) => (string | number | boolean)[],
  now: number,
  rv: string,
): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: columns,
    rows: items.map((o) => ({
      cells: row(o, now) as (string | number)[],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}

export const claimTableObject = (items: PersistentVolumeClaim[], now: number, rv: string) =>
  table(PVC_COLUMNS, items, claimRow, now, rv);
export const volumeTableObject = (items: PersistentVolume[], now: number, rv: string) =>
  table(PV_COLUMNS, items, volumeRow, now, rv);
export const storageClassTableObject = (items: StorageClass[], now: number, rv: string) =>
  table(SC_COLUMNS, items, storageClassRow, now, rv);
