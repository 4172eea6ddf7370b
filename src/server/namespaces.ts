// Namespace routes: list (and watch), get, create, PATCH/PUT (labels, annotations) and
// delete, which answers the namespace in phase Terminating; it disappears (a DELETED
// watch event, what `kubectl delete ns` waits for) once its content is gone.
import type { Namespace } from '../apis/core/types.js';
import { OBJECT_PATCH_META } from '../apis/core/patch/patch-meta.js';
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { readBody, sendJson, wantsTable } from './http-util.js';
import { listHandler } from './list-handler.js';
import { patchHandler, replaceHandler, type UpdateTarget } from './patch.js';
import { dryRunCapable, dryRunParam } from './dry-run.js';
import { readDeleteOptions } from './delete-options.js';
import type { FieldGetter } from './selectors.js';
import { includeObjectParam, namespaceTable } from './tables.js';

/** pkg/registry/core/namespace/strategy.go NamespaceToSelectableFields. */
const NAMESPACE_FIELDS: Record<string, FieldGetter<Namespace>> = {
  'metadata.name': (n) => n.metadata.name,
  'status.phase': (n) => n.status.phase,
};

export interface NamespaceHandlers {
  list: Handler;
  get: Handler;
  create: Handler;
  patch: Handler;
  replace: Handler;
  remove: Handler;
}

export function namespaceHandlers(d: ApiDeps): NamespaceHandlers {
  const list = listHandler(d, {
    listKind: 'NamespaceList',
    fields: NAMESPACE_FIELDS,
    hub: (x) => x.namespaceHub,
    list: (x) => x.node.listNamespaces(),
    table: namespaceTable,
  });

  const get: Handler = async (req, res, { path, query }) => {
    const ns = d.node.getNamespace(path.name!);
    if (wantsTable(req))
      sendJson(res, 200, namespaceTable([ns], ns.metadata.resourceVersion!, includeObjectParam(query)));
    else sendJson(res, 200, ns);
  };

  const create: Handler = dryRunCapable(async (req, res, { query }) => {
    const dryRun = dryRunParam(query, 'CreateOptions');
    sendJson(res, 201, await d.node.createNamespace(await readBody(req), { dryRun }));
  });

  const remove: Handler = dryRunCapable(async (req, res, { path, query }) => {
    const { dryRun } = await readDeleteOptions(req, query);
    sendJson(res, 200, await d.node.deleteNamespace(path.name!, { dryRun }));
  });

  const target: UpdateTarget<Namespace> = {
    resource: 'namespaces',
    meta: OBJECT_PATCH_META,
    get: (_ns, name) => d.node.getNamespace(name),
    create: (_ns, body, opts) => d.node.createNamespace(body, opts),
    update: (_ns, name, body, opts) => d.node.updateNamespace(name, body, opts),
    supportsDryRun: true,
  };

  return { list, get, create, patch: patchHandler(target), replace: replaceHandler(target), remove };
}
