// Event routes: list and watch, with the involvedObject field selectors `describe` uses.
import type { KubeEvent } from '../spec/types.js';
import type { ApiDeps } from './context.js';
import type { Handler } from './http-util.js';
import { sendJson, wantsTable } from './http-util.js';
import { selectorFromQuery, type FieldGetter } from './selectors.js';
import { eventTable, includeObjectParam } from './tables.js';
import { isWatch, serveWatch } from './watch.js';

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
  const list: Handler = async (req, res, { path, query }) => {
    const ns = path.namespace;
    const selected = selectorFromQuery(query, EVENT_FIELDS);
    const filter = (e: KubeEvent) => (ns === undefined || e.metadata.namespace === ns) && selected(e);
    const table = wantsTable(req);
    const include = includeObjectParam(query);
    if (isWatch(query)) {
      await serveWatch(req, res, query, {
        hub: d.eventHub,
        snapshot: () => d.node.listEvents(ns),
        filter,
        encode: table ? (e) => eventTable([e], e.metadata.resourceVersion ?? d.node.resourceVersion(), include) : (e) => e,
      }, d.streams);
      return;
    }
    const rv = d.node.resourceVersion();
    const items = d.node.listEvents(ns).filter(filter);
    sendJson(res, 200, table ? eventTable(items, rv, include) : { kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: rv }, items });
  };
  return { list };
}
