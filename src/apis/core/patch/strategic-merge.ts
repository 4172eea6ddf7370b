// Strategic merge patch (application/strategic-merge-patch+json), as the API server
// applies it: staging/src/k8s.io/apimachinery/pkg/util/strategicpatch/patch.go
// (mergeMap, mergeSlice, handleDirectiveInMergeMap, normalizeElementOrder). Lists
// with a merge key merge element by element; other lists are replaced whole; `null`
// deletes a key; directives `$patch: replace|delete`, `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured and
// never stored.
import { isDeepStrictEqual } from 'node:util';
import { KubeletError } from '../../../util/errors.js';
import type { ListMeta, MapMeta } from './patch-meta.js';
import { ownValue, setOwn } from '../../../util/own-property.js';

export type JsonMap = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE = '$deleteFromPrimitiveList/';

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The patched object; `original` is not modified. BadRequest for a malformed patch. */
export function strategicMergePatch(original: JsonMap, patch: unknown, meta: MapMeta): JsonMap {
  if (!isMap(patch)) throw badPatch('a strategic merge patch must be a JSON object');
  return mergeMap(structuredClone(original), patch, meta);
}

function badPatch(message: string): KubeletError {
  return new KubeletError('BadRequest', message);
}

function mergeMap(original: JsonMap, patch: JsonMap, meta: MapMeta): JsonMap {
  const directive = patch[DIRECTIVE];
  if (directive !== undefined) {
    // handleDirectiveInMergeMap: replace = the patch itself, delete = an empty map.
    if (directive === 'replace') {
      const { [DIRECTIVE]: _d, ...rest } = patch;
      return mergeMap({}, rest, meta);
    }
    if (directive === 'delete') return {};
    throw badPatch(`Unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  }
  applyRetainKeys(original, patch[RETAIN_KEYS]);
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_FROM_PRIMITIVE))
      deleteFromPrimitiveList(original, k.slice(DELETE_FROM_PRIMITIVE.length), v);
  }
  for (const [k, pv] of Object.entries(patch)) {
    if (k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE)) continue;
    if (pv === null) {
      delete original[k];
      continue;
    }
    const fieldMeta = ownValue(meta, k);
    const ov = ownValue(original, k);
    if (isMap(pv)) {
      setOwn(original, k, mergeMap(isMap(ov) ? ov : {}, pv, fieldMeta && 'map' in fieldMeta ? fieldMeta.map : {}));
    } else if (Array.isArray(pv) && fieldMeta && 'list' in fieldMeta) {
      setOwn(original, k, mergeList(Array.isArray(ov) ? ov : [], pv, fieldMeta.list));
    } else {
      // Scalars and lists without a patch strategy: the patch's value wins whole.
      setOwn(original, k, structuredClone(pv));
    }
  }
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    const fieldMeta = ownValue(meta, field);
    const list = ownValue(original, field);
    if (!Array.isArray(order)) throw badPatch(`invalid ${k}: must be a list`);
    if (Array.isArray(list))
      setOwn(original, field, reorder(list, order, fieldMeta && 'list' in fieldMeta ? fieldMeta.list : {}));
  }
  return original;
}

/** `$retainKeys`: keys of the original that the list does not name are dropped. */
function applyRetainKeys(original: JsonMap, retain: unknown): void {
  if (retain === undefined) return;
  if (!Array.isArray(retain)) throw badPatch(`invalid ${RETAIN_KEYS}: must be a list of strings`);
  for (const k of Object.keys(original)) if (!retain.includes(k)) delete original[k];
}

function deleteFromPrimitiveList(original: JsonMap, field: string, values: unknown): void {
  if (!Array.isArray(values)) throw badPatch(`invalid ${DELETE_FROM_PRIMITIVE}${field}: must be a list`);
  const cur = original[field];
  if (Array.isArray(cur)) original[field] = cur.filter((x) => !values.some((d) => isDeepStrictEqual(d, x)));
}

function mergeList(original: unknown[], patch: unknown[], meta: ListMeta): unknown[] {
  const key = meta.key;
  // A list of primitives with the merge strategy is a set: union, original order first (deduplicateScalars).
  if (key === undefined) {
    const out = [...original];
    for (const x of patch) if (!out.some((o) => isDeepStrictEqual(o, x))) out.push(structuredClone(x));
    return out;
  }
  const elem = meta.elem ?? {};
  let out = [...original];
  const plain: JsonMap[] = [];
  let replace = false;
  for (const pe of patch) {
    if (!isMap(pe)) throw badPatch(`the elements of a list merged by ${JSON.stringify(key)} must be objects`);
    const directive = pe[DIRECTIVE];
    if (directive === undefined) plain.push(pe);
    else if (directive === 'delete') {
      if (!(key in pe)) throw noMergeKey(pe, key);
      out = out.filter((o) => !(isMap(o) && isDeepStrictEqual(o[key], pe[key])));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw badPatch('merging lists cannot yet be specified in the patch');
    else throw badPatch(`Unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(pe)}`);
  }
  if (replace) return plain.map((pe) => mergeMap({}, pe, elem));
  for (const pe of plain) {
    if (!(key in pe)) throw noMergeKey(pe, key);
    const i = out.findIndex((o) => isMap(o) && isDeepStrictEqual(o[key], pe[key]));
    if (i >= 0) out[i] = mergeMap(out[i] as JsonMap, pe, elem);
    else out.push(mergeMap({}, pe, elem));
  }
  return out;
}

function noMergeKey(m: JsonMap, key: string): KubeletError {
  return badPatch(`map: ${JSON.stringify(m)} does not contain declared merge key: ${key}`);
}

/**
 * `$setElementOrder/<list>`: the elements it names take, in its order, the places
 * the named elements hold; elements only the server has keep their places.
 */
function reorder(list: unknown[], order: unknown[], meta: ListMeta): unknown[] {
  const id = (x: unknown): unknown => (meta.key !== undefined && isMap(x) ? x[meta.key] : x);
  const rank = (x: unknown): number => order.findIndex((o) => isDeepStrictEqual(id(o), id(x)));
  const slots = list.map((x, i) => ({ x, i, r: rank(x) })).filter((s) => s.r >= 0);
  const sorted = [...slots].sort((a, b) => a.r - b.r);
  const out = [...list];
  slots.forEach((slot, n) => {
    out[slot.i] = sorted[n]!.x;
  });
  return out;
}
