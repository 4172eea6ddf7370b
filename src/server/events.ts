// Event routes: list and watch, with the involvedObject field selectors `describe` uses.
import type { KubeEvent } from '../apis/core/types.js';
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import type { FieldGetter } from './selectors.js';
import { listHandler } from './list-handler.js';
import { eventTable } from './tables.js';

export const EVENT_FIELDS: Record<string, FieldGetter<KubeEvent>> = {
  'metadata.name': (e) => e.metadata.name,
  'metadata.namespace': (e) => e.metadata.namespace,
  'involvedObject.kind': (e) => e.involvedObject.kind,
  'involvedObject.namespace': (e) => e.involvedObject.namespace,
  'involvedObject.name': (e) => e.involvedObject.name,
  'involvedObject.uid': (e) => e.involvedObject.uid,
  'involvedObject.apiVersion': (e) => e.involvedObject.apiVersion,
  'involvedObject.resourceVersion': (e) => e.involvedObject.resourceVersion,
  'involvedObject.fieldPath': (e) => e.involvedObject.fieldPath,
  reason: (e) => e.reason,
  reportingComponent: (e) => e.reportingComponent,
  source: (e) => e.source?.component,
  type: (e) => e.type,
};

export function eventHandlers(d: ApiDeps): { list: Handler } {
  const list = listHandler(d, {
    listKind: 'EventList',
    fields: EVENT_FIELDS,
    hub: (x) => x.eventHub,
    list: (x, ns) => x.node.listEvents(ns),
    table: eventTable,
  });
  return { list };
}
