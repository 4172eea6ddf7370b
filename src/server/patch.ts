// PATCH (strategic merge, JSON merge, JSON patch, server-side apply) and PUT of a
// single object, as staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go and
// update.go do it: read the live object, compute the new one, check the
// resourceVersion precondition, record managedFields, and hand the whole object to
// the node's update (which validates it). Server-side apply creates an absent object.
import type { IncomingMessage } from 'node:http';
import type { ObjectMeta } from '../apis/core/types.js';
import type { MapMeta } from '../apis/core/patch/patch-meta.js';
import { strategicMergePatch, isMap, type JsonMap } from '../apis/core/patch/strategic-merge.js';
import { jsonMergePatch, jsonPatch } from '../apis/core/patch/json-patch.js';
import { recordUpdate, serverSideApply } from '../apis/core/patch/managed-fields.js';
import { rfc3339 } from '../util/clock.js';
import { conflictError, KubeletError, isKubeletNotFound } from '../util/errors.js';
import type { Handler } from './http-util.js';
import { boolParam, mediaType, readBody, sendJson } from './http-util.js';
import { checkBodyName, objectBody } from './object-body.js';
import { dryRunCapable, dryRunParam, type WriteOptions } from './dry-run.js';

/** One kind of object as PATCH and PUT see it. */
export interface UpdateTarget<T extends { metadata: ObjectMeta }> {
  /** The resource, for messages (`pods`). */
  resource: string;
  meta: MapMeta;
  get(namespace: string, name: string): T;
  create(namespace: string, body: JsonMap, opts?: WriteOptions): Promise<T>;
  update(namespace: string, name: string, body: JsonMap, opts?: WriteOptions): Promise<T>;
  /** create and update honour `opts.dryRun`; without it a dry-run PATCH or PUT is refused. */
  supportsDryRun?: boolean;
}

function markDryRun<T extends { metadata: ObjectMeta }>(t: UpdateTarget<T>, h: Handler): Handler {
  return t.supportsDryRun ? dryRunCapable(h) : h;
}

const STRATEGIC = 'application/strategic-merge-patch+json';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const APPLY = 'application/apply-patch+yaml';

/** The API server's 415 for a PATCH of another media type (patch.go). */
const UNSUPPORTED = `the body of the request was in an unknown format - accepted media types include: ${[JSON_PATCH, MERGE, APPLY, STRATEGIC].join(', ')}`;

export function patchHandler<T extends { metadata: ObjectMeta }>(t: UpdateTarget<T>): Handler {
  return markDryRun(t, async (req, res, { path, query }) => {
    const opts = { dryRun: t.supportsDryRun === true && dryRunParam(query, 'PatchOptions') };
    const type = mediaType(req);
    if (![STRATEGIC, MERGE, JSON_PATCH, APPLY].includes(type))
      throw new KubeletError('UnsupportedMediaType', UNSUPPORTED);
    const ns = path.namespace!;
    const name = path.name!;
    const patch = await readBody(req);
    const manager = fieldManager(req, query);
    const time = rfc3339(Date.now());
    if (type === APPLY) {
      if (!query.get('fieldManager'))
        throw new KubeletError('BadRequest', 'PATCH requests with apply content type require fieldManager');
      const applied = objectBody(patch, ns);
      checkBodyName(applied, name);
      let live: T;
      try {
        live = t.get(ns, name);
      } catch (err) {
        if (!isKubeletNotFound(err)) throw err;
        const created = serverSideApply({ metadata: {} }, applied, { manager, force: true, meta: t.meta, time });
        const body = {
          ...applied,
          metadata: {
            ...(applied.metadata as object),
            name,
            managedFields: (created.metadata as JsonMap).managedFields,
          },
        };
        sendJson(res, 201, await t.create(ns, body, opts));
        return;
      }
      const force = boolParam(query, 'force');
      const merged = serverSideApply(asMap(live), applied, { manager, force, meta: t.meta, time });
      sendJson(res, 200, await t.update(ns, name, merged, opts));
      return;
    }
    const live = asMap(t.get(ns, name));
    const next = applyPatch(type, live, patch, t.meta);
    if (!isMap(next)) throw new KubeletError('BadRequest', 'the patched object must be a JSON object');
    checkBodyName(next, name);
    checkResourceVersion(next, live, t.resource, name);
    setManagedFields(next, recordUpdate(live, next, manager, t.meta, time));
    sendJson(res, 200, await t.update(ns, name, next, opts));
  });
}

/** PUT: replaces the whole object (NotFound when absent), as `kubectl edit` and `replace` send it. */
export function replaceHandler<T extends { metadata: ObjectMeta }>(t: UpdateTarget<T>): Handler {
  return markDryRun(t, async (req, res, { path, query }) => {
    const opts = { dryRun: t.supportsDryRun === true && dryRunParam(query, 'UpdateOptions') };
    const ns = path.namespace!;
    const name = path.name!;
    const body = objectBody(await readBody(req), ns);
    checkBodyName(body, name);
    const live = asMap(t.get(ns, name));
    checkResourceVersion(body, live, t.resource, name);
    setManagedFields(body, recordUpdate(live, body, fieldManager(req, query), t.meta, rfc3339(Date.now())));
    sendJson(res, 200, await t.update(ns, name, body, opts));
  });
}

/** A create records its manager's fields too (operation Update), as the API server does. */
export function withCreateManagedFields(
  req: IncomingMessage,
  query: URLSearchParams,
  body: JsonMap,
  meta: MapMeta,
): JsonMap {
  const managedFields = recordUpdate({ metadata: {} }, body, fieldManager(req, query), meta, rfc3339(Date.now()));
  const out = { ...body };
  setManagedFields(out, managedFields);
  return out;
}

function applyPatch(type: string, live: JsonMap, patch: unknown, meta: MapMeta): unknown {
  if (type === STRATEGIC) return strategicMergePatch(live, patch, meta);
  if (type === MERGE) return jsonMergePatch(live, patch);
  return jsonPatch(live, patch);
}

/**
 * A resourceVersion in the new object is a precondition (optimistic concurrency):
 * a stale one is the API server's 409 Conflict.
 */
function checkResourceVersion(next: JsonMap, live: JsonMap, resource: string, name: string): void {
  const rv = isMap(next.metadata) ? next.metadata.resourceVersion : undefined;
  const current = (live.metadata as ObjectMeta).resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current) {
    throw conflictError(resource, name);
  }
}

/** The fieldManager parameter, else the user agent's first word, as the API server defaults it. */
function fieldManager(req: IncomingMessage, query: URLSearchParams): string {
  const q = query.get('fieldManager');
  if (q) return q;
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0]!.trim() || 'unknown';
}

function setManagedFields(obj: JsonMap, managedFields: unknown[]): void {
  obj.metadata = { ...(isMap(obj.metadata) ? obj.metadata : {}), managedFields };
}

function asMap(o: { metadata: ObjectMeta }): JsonMap {
  return o as unknown as JsonMap;
}
