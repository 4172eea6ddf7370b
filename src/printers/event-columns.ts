// `kubectl get events` / `kubectl events` columns (printers.go printEvent).
import type { KubeEvent } from '../apis/core/types.js';
import { timestampSince } from './human-duration.js';
import { col, partialObject, type Table, type TableColumnDefinition } from './pod-columns.js';
import { GET_TABWRITER, tabify } from './tabwriter.js';

/** `pod/web`: the lower-cased kind and the name. */
export function eventObject(e: KubeEvent): string {
  const kind = (e.involvedObject.kind ?? '').toLowerCase();
  return e.involvedObject.name ? `${kind}/${e.involvedObject.name}` : kind;
}

function eventSource(e: KubeEvent): string {
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || e.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

/** Oldest first, by last occurrence (SortableEvents). */
export function sortEvents(events: KubeEvent[]): KubeEvent[] {
  const t = (e: KubeEvent) => Date.parse(e.lastTimestamp || e.firstTimestamp || '') || 0;
  return [...events].sort((a, b) => t(a) - t(b));
}

export function formatEventTable(events: KubeEvent[], now: number, opts: { noHeaders?: boolean } = {}): string {
  const lines = opts.noHeaders ? [] : [['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']];
  for (const e of sortEvents(events)) {
    lines.push([timestampSince(e.lastTimestamp, now), e.type, e.reason, eventObject(e), (e.message ?? '').trim()]);
  }
  return tabify(lines.map((l) => `${l.join('\t')}\n`).join(''), GET_TABWRITER);
}

export const EVENT_COLUMNS: TableColumnDefinition[] = [
  col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col(
    'Reason',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  col('Object', 'The object that this event is about.'),
  col('Subobject', 'The field of the involved object this event is about.', 1),
  col('Source', 'The component reporting this event.', 1),
  col('Message', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'The time at which the event was first recorded.', 1),
  col('Count', 'The number of times this event has occurred.', 1),
  col('Name', 'Name must be unique within a namespace.', 1, 'name'),
];

export function eventTableObject(events: KubeEvent[], now: number, rv: string): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: EVENT_COLUMNS,
    rows: events.map((e) => ({
      cells: [
        timestampSince(e.lastTimestamp, now),
        e.type,
        e.reason,
        eventObject(e),
        e.involvedObject.fieldPath ?? '',
        eventSource(e),
        (e.message ?? '').trim(),
        timestampSince(e.firstTimestamp, now),
        e.count,
        e.metadata.name ?? '',
      ],
      object: partialObject(e.metadata),
    })),
  };
}
