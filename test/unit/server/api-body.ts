// What the server tests read from a decoded response body. The server sends many
// shapes (objects, lists, Status, Table, discovery documents, watch events); this is
// their fields side by side, so a test can walk whichever one it asked for while the
// compiler still checks names and value types. Nothing here is validated at run time:
// a field the server did not send reads as undefined and the test's assertion fails.
import type { ObjectMeta, ObjectReference, PodSpec, PodStatus } from '../../../src/apis/core/types.js';
import type { TableColumnDefinition } from '../../../src/printers/pod-columns.js';

export interface ApiBody {
  kind: string;
  apiVersion: string;
  metadata: ObjectMeta & { resourceVersion?: string; continue?: string };
  // Objects
  spec: PodSpec;
  status: PodStatus;
  data: Record<string, string>;
  involvedObject: ObjectReference;
  // Lists, tables, watch events
  items: ApiBody[];
  columnDefinitions: TableColumnDefinition[];
  rows: { cells: (string | number)[]; object: ApiBody }[];
  type: string;
  object: ApiBody;
  // Status
  code: number;
  reason: string;
  message: string;
  details: { name?: string; kind?: string; causes?: { reason: string; message: string; field: string }[] };
  // /version
  major: string;
  minor: string;
  gitVersion: string;
}
