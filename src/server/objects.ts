// Secrets, ConfigMaps and ServiceAccounts: list, get, create, replace (PUT), delete. Bodies are never logged.
import type { ApiDeps } from './api-deps.js';
import { RESOURCE_OF_KIND, type ServiceAccount, type StoredKind, type StoredObject } from '../apis/core/types.js';
import type { Handler } from './http-util.js';
import { readBody, sendJson, wantsTable } from './http-util.js';
import { selectorFromQuery, type FieldGetter } from './selectors.js';
import { genericTable, includeObjectParam, serviceAccountTable, type IncludeObject } from './tables.js';
import { checkBodyName, objectBody } from './object-body.js';
import { applyFieldValidation } from './field-validation.js';
import { KubeletError } from '../util/errors.js';
import { OBJECT_PATCH_META } from '../apis/core/patch/patch-meta.js';
import { patchHandler } from './patch.js';
import { dryRunCapable, dryRunParam } from './dry-run.js';
import { readDeleteOptions } from './delete-options.js';
import { deleteCollectionHandler } from './delete-collection.js';

const FIELDS: Record<string, FieldGetter<StoredObject>> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
  type: (o) => (o.kind === 'Secret' ? (o.type ?? 'Opaque') : undefined),
};

export interface ObjectHandlers {
  list: Handler;
  get: Handler;
  create: Handler;
  replace: Handler;
  patch: Handler;
  remove: Handler;
  /** DELETE of the namespace's collection (deletecollection), by label and field selectors. */
  removeCollection: Handler;
}

/** ServiceAccounts have the API server's printer (NAME, SECRETS, AGE); the others its default table. */
function tableFor(kind: StoredKind) {
  return kind === 'ServiceAccount'
    ? (items: StoredObject[], rv: string, include: IncludeObject) =>
        serviceAccountTable(items as ServiceAccount[], rv, include)
    : genericTable<StoredObject>;
}

export function objectHandlers(d: ApiDeps, kind: StoredKind): ObjectHandlers {
  const table = tableFor(kind);
  const fields: Record<string, FieldGetter<StoredObject>> = kind === 'Secret'
    ? FIELDS
    : { 'metadata.name': FIELDS['metadata.name']!, 'metadata.namespace': FIELDS['metadata.namespace']! };

  const list: Handler = async (req, res, { path, query }) => {
    if (query.get('watch') === 'true' || query.get('watch') === '1') {
      throw new KubeletError('MethodNotAllowed', `watch is not supported for ${RESOURCE_OF_KIND[kind]}`);
    }
    const ns = path.namespace;
    const selected = selectorFromQuery(query, fields);
    const rv = d.node.resourceVersion();
    const items = d.node
      .listObjects(kind, ns)
      .filter((o) => (ns === undefined || o.metadata.namespace === ns) && selected(o));
    if (wantsTable(req)) sendJson(res, 200, table(items, rv, includeObjectParam(query)));
    else sendJson(res, 200, { kind: `${kind}List`, apiVersion: 'v1', metadata: { resourceVersion: rv }, items });
  };

  const get: Handler = async (req, res, { path, query }) => {
    const obj = d.node.getObject(kind, path.namespace!, path.name!);
    if (wantsTable(req))
      sendJson(
        res,
        200,
        table([obj], obj.metadata.resourceVersion ?? d.node.resourceVersion(), includeObjectParam(query)),
      );
    else sendJson(res, 200, obj);
  };

  const create: Handler = dryRunCapable(async (req, res, { path, query }) => {
    const dryRun = dryRunParam(query, 'CreateOptions');
    const body = applyFieldValidation(kind, objectBody(await readBody(req), path.namespace!), query, res);
    sendJson(res, 201, await d.node.createObject(kind, path.namespace!, body, { dryRun }));
  });

  /**
   * PUT: replaces an existing object, as kube-apiserver's update (Secrets and ConfigMaps
   * do not allow create-on-update: an absent one is NotFound). The new body is validated
   * before anything changes, so an invalid PUT leaves the stored object as it was.
   */
  const replace: Handler = dryRunCapable(async (req, res, { path, query }) => {
    const dryRun = dryRunParam(query, 'UpdateOptions');
    const body = applyFieldValidation(kind, objectBody(await readBody(req), path.namespace!), query, res);
    checkBodyName(body, path.name!);
    const named = { ...body, metadata: { ...(body.metadata as object | undefined), name: path.name } };
    sendJson(res, 200, await d.node.replaceObject(kind, path.namespace!, path.name!, named, { dryRun }));
  });

  const remove: Handler = dryRunCapable(async (req, res, { path, query }) => {
    const { dryRun } = await readDeleteOptions(req, query);
    sendJson(res, 200, await d.node.deleteObject(kind, path.namespace!, path.name!, { dryRun }));
  });

  const removeCollection = deleteCollectionHandler<StoredObject>({
    listKind: `${kind}List`,
    fields,
    list: (ns) => d.node.listObjects(kind, ns),
    remove: (ns, name, o) => d.node.deleteObject(kind, ns, name, { dryRun: o.dryRun }),
  });

  const patch = patchHandler({
    resource: RESOURCE_OF_KIND[kind],
    meta: OBJECT_PATCH_META,
    get: (ns, name) => d.node.getObject(kind, ns, name),
    create: (ns, body, opts) => d.node.createObject(kind, ns, body, opts),
    update: (ns, name, body, opts) => d.node.replaceObject(kind, ns, name, body, opts),
    supportsDryRun: true,
  });

  return { list, get, create, replace, patch, remove, removeCollection };
}
