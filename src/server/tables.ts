// meta.k8s.io/v1 Table answers (kubectl get without -o). The cells come from the
// printers, so the server and our own CLI print the same columns.
import { podTableObject, type Table } from '../printers/pod-columns.js';
import { eventTableObject } from '../printers/event-columns.js';
import { namespaceTableObject, nodeTableObject } from '../printers/cluster-columns.js';
import { serviceAccountTableObject } from '../printers/serviceaccount-columns.js';
import type { KubeEvent, Namespace, Node, ObjectMeta, Pod, ServiceAccount } from '../apis/core/types.js';
import { KubeletError } from '../util/errors.js';
import { claimTableObject, storageClassTableObject, volumeTableObject } from '../printers/storage-columns.js';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../apis/core/storage-types.js';

export type { Table };
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw new KubeletError(
    'BadRequest',
    `includeObject: Unsupported value: ${JSON.stringify(v)}: supported values: "Metadata", "None", "Object"`,
  );
}

/** Rows' objects as asked: PartialObjectMetadata (default), the full object, or none. */
function withObjects<T extends { metadata: ObjectMeta }>(table: Table, items: T[], include: IncludeObject): Table {
  table.rows.forEach((row, i) => {
    const r = row as { object?: unknown };
    if (include === 'None') delete r.object;
    else if (include === 'Object') r.object = items[i];
    else
      r.object = {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: withoutManagedFields(items[i]!.metadata),
      };
  });
  return table;
}

function withoutManagedFields(m: ObjectMeta): ObjectMeta {
  if (!m.managedFields) return m;
  const { managedFields: _drop, ...rest } = m;
  return rest;
}

export function podTable(pods: Pod[], rv: string, include: IncludeObject, now = Date.now()): Table {
  return withObjects(podTableObject(pods, now, rv), pods, include);
}

export function eventTable(events: KubeEvent[], rv: string, include: IncludeObject, now = Date.now()): Table {
  return withObjects(eventTableObject(events, now, rv), events, include);
}

export function nodeTable(nodes: Node[], rv: string, include: IncludeObject, now = Date.now()): Table {
  return withObjects(nodeTableObject(nodes, now, rv), nodes, include);
}

export function namespaceTable(items: Namespace[], rv: string, include: IncludeObject, now = Date.now()): Table {
  return withObjects(namespaceTableObject(items, now, rv), items, include);
}

export function serviceAccountTable(
  items: ServiceAccount[],
  rv: string,
  include: IncludeObject,
  now = Date.now(),
): Table {
  return withObjects(serviceAccountTableObject(items, now, rv), items, include);
}

export function claimTable(
  items: PersistentVolumeClaim[],
  rv: string,
  include: IncludeObject,
  now = Date.now(),
): Table {
  return withObjects(claimTableObject(items, now, rv), items, include);
}

export function volumeTable(items: PersistentVolume[], rv: string, include: IncludeObject, now = Date.now()): Table {
  return withObjects(volumeTableObject(items, now, rv), items, include);
}

export function storageClassTable(items: StorageClass[], rv: string, include: IncludeObject, now = Date.now()): Table {
  return withObjects(storageClassTableObject(items, now, rv), items, include);
}

const GENERIC_COLUMNS: Table['columnDefinitions'] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  {
    name: 'Created At',
    type: 'date',
    format: '',
    description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
    priority: 0,
  },
];

/** The API server's default table for kinds without printers: Name and Created At. */
export function genericTable<T extends { metadata: ObjectMeta }>(
  items: T[],
  rv: string,
  include: IncludeObject,
): Table {
  const table: Table = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: GENERIC_COLUMNS,
    rows: items.map((o) => ({
      cells: [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
  return withObjects(table, items, include);
}
