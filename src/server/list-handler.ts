// One list-or-watch handler for every collection (pods, events): namespace scoping,
// field and label selectors, Table or plain list, and the watch protocol.
import type { ObjectMeta } from '../apis/core/types.js';
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { sendJson, wantsTable } from './http-util.js';
import { selectorFromQuery, type FieldGetter } from './selectors.js';
import { includeObjectParam, type IncludeObject } from './tables.js';
import { isWatch, serveWatch } from './watch.js';
import type { WatchHub } from './watch-hub.js';

export interface Collection<T extends { metadata: ObjectMeta }> {
  /** e.g. PodList */
  listKind: string;
  fields: Record<string, FieldGetter<T>>;
  hub: (d: ApiDeps) => WatchHub<T>;
  list: (d: ApiDeps, namespace: string | undefined) => T[];
  table: (items: T[], rv: string, include: IncludeObject) => unknown;
}

export function listHandler<T extends { metadata: ObjectMeta }>(d: ApiDeps, c: Collection<T>): Handler {
  return async (req, res, { path, query }) => {
    const ns = path.namespace;
    const selected = selectorFromQuery(query, c.fields);
    const filter = (o: T) => (ns === undefined || o.metadata.namespace === ns) && selected(o);
    const table = wantsTable(req);
    const include = includeObjectParam(query);
    if (isWatch(query)) {
      await serveWatch(
        req,
        res,
        query,
        {
          hub: c.hub(d),
          snapshot: () => c.list(d, ns),
          filter,
          encode: table
            ? (o) => c.table([o], o.metadata.resourceVersion ?? d.node.resourceVersion(), include)
            : (o) => o,
        },
        d.streams,
      );
      return;
    }
    const rv = d.node.resourceVersion();
    const items = c.list(d, ns).filter(filter);
    sendJson(
      res,
      200,
      table
        ? c.table(items, rv, include)
        : { kind: c.listKind, apiVersion: 'v1', metadata: { resourceVersion: rv }, items },
    );
  };
}
