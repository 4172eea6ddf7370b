// Pod routes: list (and watch), get, status, create, delete.
import type { Pod } from '../apis/core/types.js';
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { readBody, sendJson, wantsTable } from './http-util.js';
import type { FieldGetter } from './selectors.js';
import { listHandler } from './list-handler.js';
import { includeObjectParam, podTable } from './tables.js';
import { objectBody } from './object-body.js';
import { applyFieldValidation } from './field-validation.js';
import { notFoundError } from '../util/errors.js';
import { POD_PATCH_META } from '../apis/core/patch/patch-meta.js';
import { patchHandler, replaceHandler, withCreateManagedFields, type UpdateTarget } from './patch.js';
import { dryRunCapable, dryRunParam } from './dry-run.js';
import { readDeleteOptions } from './delete-options.js';
import { deleteCollectionHandler } from './delete-collection.js';

/** The field labels the API server supports for pods. */
export const POD_FIELDS: Record<string, FieldGetter<Pod>> = {
  'metadata.name': (p) => p.metadata.name,
  'metadata.namespace': (p) => p.metadata.namespace,
  'spec.nodeName': (p) => p.spec.nodeName ?? '',
  'spec.restartPolicy': (p) => p.spec.restartPolicy,
  'spec.schedulerName': (p) => p.spec.schedulerName,
  'spec.serviceAccountName': (p) => p.spec.serviceAccountName,
  'spec.hostNetwork': (p) => String(p.spec.hostNetwork ?? false),
  'status.phase': (p) => p.status?.phase,
  'status.podIP': (p) => p.status?.podIP,
  'status.nominatedNodeName': (p) => (p.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName,
};

export interface PodHandlers {
  list: Handler;
  get: Handler;
  create: Handler;
  patch: Handler;
  replace: Handler;
  remove: Handler;
  /** DELETE of the namespace's collection (deletecollection), by label and field selectors. */
  removeCollection: Handler;
  /** The pods/ephemeralcontainers subresource: only spec.ephemeralContainers is taken. */
  patchEphemeral: Handler;
  replaceEphemeral: Handler;
  /** pods/status: PATCH and PUT of the client-owned conditions. */
  patchStatus: Handler;
  replaceStatus: Handler;
}

export function podHandlers(d: ApiDeps): PodHandlers {
  const list = listHandler(d, {
    listKind: 'PodList',
    fields: POD_FIELDS,
    hub: (x) => x.podHub,
    list: (x, ns) => x.node.listPods(ns),
    table: podTable,
  });

  const get: Handler = async (req, res, { path, query }) => {
    const pod = d.node.getPod(path.namespace!, path.name!);
    if (wantsTable(req))
      sendJson(
        res,
        200,
        podTable([pod], pod.metadata.resourceVersion ?? d.node.resourceVersion(), includeObjectParam(query)),
      );
    else sendJson(res, 200, pod);
  };

  const create: Handler = dryRunCapable(async (req, res, { path, query }) => {
    const dryRun = dryRunParam(query, 'CreateOptions');
    const body = withCreateManagedFields(
      req,
      query,
      applyFieldValidation('Pod', objectBody(await readBody(req), path.namespace!), query, res),
      POD_PATCH_META,
    );
    const pod = await d.node.createPod(path.namespace!, body, { dryRun });
    sendJson(res, 201, pod);
  });

  const remove: Handler = dryRunCapable(async (req, res, { path, query }) => {
    const { gracePeriodSeconds, dryRun } = await readDeleteOptions(req, query);
    sendJson(res, 200, await d.node.deletePod(path.namespace!, path.name!, gracePeriodSeconds, { dryRun }));
  });

  const removeCollection = deleteCollectionHandler<Pod>({
    listKind: 'PodList',
    fields: POD_FIELDS,
    list: (ns) => d.node.listPods(ns),
    remove: (ns, name, o) => d.node.deletePod(ns, name, o.gracePeriodSeconds, { dryRun: o.dryRun }),
  });

  const target: UpdateTarget<Pod> = {
    resource: 'pods',
    meta: POD_PATCH_META,
    get: (ns, name) => d.node.getPod(ns, name),
    create: (ns, body, opts) => d.node.createPod(ns, body, opts),
    update: (ns, name, body, opts) => d.node.updatePod(ns, name, body, opts),
    supportsDryRun: true,
  };

  // A subresource never creates: server-side apply to an absent pod is the API server's NotFound.
  const subresource = (update: UpdateTarget<Pod>['update']): UpdateTarget<Pod> => ({
    ...target,
    supportsDryRun: false,
    create: async (_ns, body) => {
      throw notFoundError('pods', String((body.metadata as { name?: unknown } | undefined)?.name ?? ''));
    },
    update,
  });
  const ephemeral = subresource((ns, name, body) => d.node.updateEphemeralContainers(ns, name, body));
  const statusTarget = subresource((ns, name, body) => d.node.updatePodStatus(ns, name, body));

  return {
    list,
    get,
    create,
    patch: patchHandler(target),
    replace: replaceHandler(target),
    remove,
    removeCollection,
    patchEphemeral: patchHandler(ephemeral),
    replaceEphemeral: replaceHandler(ephemeral),
    patchStatus: patchHandler(statusTarget),
    replaceStatus: replaceHandler(statusTarget),
  };
}
