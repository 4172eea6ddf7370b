// DELETE of a namespaced collection (the deletecollection verb), as the registry's
// Store.DeleteCollection does it (staging/src/k8s.io/apiserver/pkg/registry/generic/
// registry/store.go): list with the request's label and field selectors, delete each
// item with the request's DeleteOptions, answer the list of what each delete returned
// (a pod deleted gracefully is in it with its deletionTimestamp). Every item is tried;
// the first error, if any, is the answer, as upstream's.
import type { ObjectMeta } from '../apis/core/types.js';
import { type DeleteOptions, readDeleteOptions } from './delete-options.js';
import { dryRunCapable } from './dry-run.js';
import type { Handler } from './http-util.js';
import { sendJson } from './http-util.js';
import { type FieldGetter, selectorFromQuery } from './selectors.js';

export interface DeletableCollection<T extends { metadata: ObjectMeta }> {
  /** e.g. PodList */
  listKind: string;
  fields: Record<string, FieldGetter<T>>;
  list(namespace: string): T[];
  remove(namespace: string, name: string, opts: DeleteOptions): Promise<T>;
}

export function deleteCollectionHandler<T extends { metadata: ObjectMeta }>(c: DeletableCollection<T>): Handler {
  return dryRunCapable(async (req, res, { path, query }) => {
    const ns = path.namespace!;
    const opts = await readDeleteOptions(req, query);
    const selected = selectorFromQuery(query, c.fields);
    const items = c.list(ns).filter((o) => o.metadata.namespace === ns && selected(o));
    const results = await Promise.allSettled(items.map((o) => c.remove(ns, o.metadata.name!, opts)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const deleted = results.map((r) => (r as PromiseFulfilledResult<T>).value);
    sendJson(res, 200, { kind: c.listKind, apiVersion: 'v1', metadata: {}, items: deleted });
  });
}
