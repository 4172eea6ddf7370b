// `kubectl get serviceaccounts` columns as the API server's Table
// (pkg/printers/internalversion/printers.go printServiceAccount): NAME, SECRETS, AGE.
import type { ServiceAccount } from '../apis/core/types.js';
import { timestampSince } from './human-duration.js';
import { col, partialObject, type Table, type TableColumnDefinition } from './pod-columns.js';

export const SERVICE_ACCOUNT_COLUMNS: TableColumnDefinition[] = [
  col('Name', 'Name must be unique within a namespace.', 0, 'name'),
  col(
    'Secrets',
    'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
  ),
  col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
];

export function serviceAccountTableObject(items: ServiceAccount[], now: number, rv: string): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: SERVICE_ACCOUNT_COLUMNS,
    rows: items.map((sa) => ({
      cells: [sa.metadata.name ?? '', (sa.secrets ?? []).length, timestampSince(sa.metadata.creationTimestamp, now)],
      object: partialObject(sa.metadata),
    })),
  };
}
