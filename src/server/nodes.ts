// Node routes: list (and watch), get, the status subresource (read), PATCH and PUT —
// what `kubectl get nodes [-w]`, `describe node`, `label`, `taint` and `cordon` send.
import type { Node } from '../apis/core/types.js';
import { NODE_PATCH_META } from '../apis/core/patch/patch-meta.js';
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { sendJson, wantsTable } from './http-util.js';
import { listHandler } from './list-handler.js';
import { patchHandler, replaceHandler, type UpdateTarget } from './patch.js';
import type { FieldGetter } from './selectors.js';
import { includeObjectParam, nodeTable } from './tables.js';
import { KubeletError } from '../util/errors.js';

/** The field labels the API server supports for nodes (pkg/registry/core/node/strategy.go NodeToSelectableFields). */
export const NODE_FIELDS: Record<string, FieldGetter<Node>> = {
  'metadata.name': (n) => n.metadata.name,
  'spec.unschedulable': (n) => String(n.spec.unschedulable ?? false),
};

export interface NodeHandlers {
  list: Handler;
  get: Handler;
  patch: Handler;
  replace: Handler;
}

export function nodeHandlers(d: ApiDeps): NodeHandlers {
  const list = listHandler(d, {
    listKind: 'NodeList',
    fields: NODE_FIELDS,
    hub: (x) => x.nodeHub,
    list: (x) => x.node.listNodes(),
    table: nodeTable,
  });

  const get: Handler = async (req, res, { path, query }) => {
    const node = d.node.getNode(path.name!);
    if (wantsTable(req))
      sendJson(res, 200, nodeTable([node], node.metadata.resourceVersion!, includeObjectParam(query)));
    else sendJson(res, 200, node);
  };

  const target: UpdateTarget<Node> = {
    resource: 'nodes',
    meta: NODE_PATCH_META,
    get: (_ns, name) => d.node.getNode(name),
    // The agent is its one Node: another cannot be created through it.
    create: async () => {
      throw new KubeletError('MethodNotAllowed', 'nodes cannot be created on minikubelet: the agent is its one Node');
    },
    update: (_ns, name, body) => d.node.updateNode(name, body),
  };

  return { list, get, patch: patchHandler(target), replace: replaceHandler(target) };
}
