// PersistentVolumeClaims (namespaced; list/watch, get, create, PUT, PATCH, delete),
// PersistentVolumes (cluster-scoped; list/watch, get) and StorageClasses
// (storage.k8s.io/v1; list, get) from the node's storage manager.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../apis/core/storage-types.js';
import { OBJECT_PATCH_META } from '../apis/core/patch/patch-meta.js';
import { KubeletError } from '../util/errors.js';
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { readBody, sendJson, wantsTable } from './http-util.js';
import { listHandler } from './list-handler.js';
import { checkBodyName } from './object-body.js';
import { patchHandler, type UpdateTarget } from './patch.js';
import { dryRunCapable, dryRunParam } from './dry-run.js';
import { readDeleteOptions } from './delete-options.js';
import type { FieldGetter } from './selectors.js';
import type { StorageFacade } from './storage-facade.js';
import { claimTable, includeObjectParam, storageClassTable, volumeTable } from './tables.js';
import { rvNumber, WatchHub } from './watch-hub.js';

const CLAIM_FIELDS: Record<string, FieldGetter<PersistentVolumeClaim>> = {
  'metadata.name': (c) => c.metadata.name,
  'metadata.namespace': (c) => c.metadata.namespace,
};
const NAME_FIELD: Record<string, FieldGetter<{ metadata: { name?: string } }>> = {
  'metadata.name': (o) => o.metadata.name,
};

export interface StorageHandlers {
  claims: { list: Handler; get: Handler; create: Handler; replace: Handler; patch: Handler; remove: Handler };
  volumes: { list: Handler; get: Handler };
  classes: { list: Handler; get: Handler };
}

function storageOf(d: ApiDeps): StorageFacade {
  const s = d.node.storage;
  if (!s) throw new KubeletError('NotFound', 'the server could not find the requested resource');
  return s;
}

export function storageHandlers(d: ApiDeps): StorageHandlers {
  const storage = d.node.storage;
  const startRv = rvNumber(d.node.resourceVersion()) ?? 0;
  // Without a storage manager the hubs watch nothing (the routes answer NotFound anyway).
  const claimHub = new WatchHub<PersistentVolumeClaim>(
    (l) => storage?.watchClaims(l) ?? (() => {}),
    undefined,
    startRv,
  );
  const volumeHub = new WatchHub<PersistentVolume>((l) => storage?.watchVolumes(l) ?? (() => {}), undefined, startRv);

  const claimTarget: UpdateTarget<PersistentVolumeClaim> = {
    resource: 'persistentvolumeclaims',
    meta: OBJECT_PATCH_META,
    get: (ns, name) => storageOf(d).getClaim(ns, name),
    create: async (ns, body, opts) => storageOf(d).createClaim(ns, body, opts),
    update: async (ns, name, body, opts) => storageOf(d).replaceClaim(ns, name, body, resourceVersionOf(body), opts),
    supportsDryRun: true,
  };

  const claims = {
    list: listHandler(d, {
      listKind: 'PersistentVolumeClaimList',
      fields: CLAIM_FIELDS,
      hub: () => claimHub,
      list: (x, ns) => storageOf(x).listClaims(ns),
      table: claimTable,
    }),
    get: (async (req, res, { path, query }) => {
      const c = storageOf(d).getClaim(path.namespace!, path.name!);
      sendJson(res, 200, wantsTable(req) ? claimTable([c], c.metadata.resourceVersion!, includeObjectParam(query)) : c);
    }) as Handler,
    create: dryRunCapable(async (req, res, { path, query }) => {
      const dryRun = dryRunParam(query, 'CreateOptions');
      sendJson(res, 201, storageOf(d).createClaim(path.namespace!, await readBody(req), { dryRun }));
    }),
    replace: dryRunCapable(async (req, res, { path, query }) => {
      const dryRun = dryRunParam(query, 'UpdateOptions');
      const body = (await readBody(req)) as Record<string, unknown>;
      checkBodyName(body, path.name!);
      const s = storageOf(d);
      sendJson(res, 200, s.replaceClaim(path.namespace!, path.name!, body, resourceVersionOf(body), { dryRun }));
    }),
    patch: patchHandler(claimTarget),
    remove: dryRunCapable(async (req, res, { path, query }) => {
      const { dryRun } = await readDeleteOptions(req, query);
      sendJson(res, 200, storageOf(d).deleteClaim(path.namespace!, path.name!, { dryRun }));
    }),
  };

  const volumes = {
    list: listHandler(d, {
      listKind: 'PersistentVolumeList',
      fields: NAME_FIELD,
      hub: () => volumeHub,
      list: (x) => storageOf(x).listVolumes(),
      table: volumeTable,
    }),
    get: (async (req, res, { path, query }) => {
      const v = storageOf(d).getVolume(path.name!);
      sendJson(
        res,
        200,
        wantsTable(req) ? volumeTable([v], v.metadata.resourceVersion!, includeObjectParam(query)) : v,
      );
    }) as Handler,
  };

  const classes = {
    list: (async (req, res, { query }) => {
      const items: StorageClass[] = storageOf(d).storageClasses();
      const rv = d.node.resourceVersion();
      sendJson(
        res,
        200,
        wantsTable(req)
          ? storageClassTable(items, rv, includeObjectParam(query))
          : { kind: 'StorageClassList', apiVersion: 'storage.k8s.io/v1', metadata: { resourceVersion: rv }, items },
      );
    }) as Handler,
    get: (async (req, res, { path, query }) => {
      const sc = storageOf(d).storageClass(path.name!);
      sendJson(res, 200, wantsTable(req) ? storageClassTable([sc], '1', includeObjectParam(query)) : sc);
    }) as Handler,
  };
  return { claims, volumes, classes };
}

function resourceVersionOf(body: unknown): string | undefined {
  const rv = (body as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}
