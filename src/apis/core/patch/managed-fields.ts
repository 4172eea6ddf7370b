// Field ownership and server-side apply, kept minimal but with the API server's
// semantics (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager,
// sigs.k8s.io/structured-merge-diff merge/update.go):
// - every write records, per manager and operation, the fields it set, as FieldsV1
//   (`f:<field>`, `k:{"name":"app"}` for keyed list elements with `.` for the element,
//   `v:"x"` for set members);
// - an Update takes the fields it changed from every other manager;
// - an Apply merges the applied configuration into the live object, fails with a
//   Conflict when another manager owns a field the configuration sets to another
//   value (unless forced, which takes the field), and removes the fields this manager
//   applied before, no longer applies and nobody else owns.
import { isDeepStrictEqual } from 'node:util';
import { KubeletError } from '../../../util/errors.js';
import type { ListMeta, MapMeta } from './patch-meta.js';
import { isMap, strategicMergePatch, type JsonMap } from './strategic-merge.js';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonMap;
}

/** Path tokens joined with NUL: one string per owned leaf. */
type Leaves = Map<string, unknown>;
const SEP = '\u0000';
const ELEMENT = '.';

/** Fields no manager owns (the field manager strips them before computing sets). */
const UNOWNED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

function leaves(obj: JsonMap, meta: MapMeta): Leaves {
  const out: Leaves = new Map();
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj;
  const ownedMeta = Object.fromEntries(
    Object.entries(isMap(metadata) ? metadata : {}).filter(([k]) => !UNOWNED_META.has(k)),
  );
  const metaMeta = meta.metadata && 'map' in meta.metadata ? meta.metadata.map : {};
  if (Object.keys(ownedMeta).length > 0) walkMap(ownedMeta, metaMeta, ['f:metadata'], out);
  walkMap(rest, meta, [], out);
  return out;
}

function walkMap(obj: JsonMap, meta: MapMeta, prefix: string[], out: Leaves): void {
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    const path = [...prefix, `f:${k}`];
    const fm = meta[k];
    if (isMap(v) && Object.keys(v).length > 0) walkMap(v, fm && 'map' in fm ? fm.map : {}, path, out);
    else if (Array.isArray(v) && fm && 'list' in fm) walkList(v, fm.list, path, out);
    else out.set(path.join(SEP), v);
  }
}

function walkList(list: unknown[], meta: ListMeta, prefix: string[], out: Leaves): void {
  for (const el of list) {
    if (meta.key === undefined || !isMap(el)) {
      out.set([...prefix, `v:${JSON.stringify(el)}`].join(SEP), el);
      continue;
    }
    const path = [...prefix, `k:${elementKey(el, meta)}`];
    out.set([...path, ELEMENT].join(SEP), null);
    walkMap(el, meta.elem ?? {}, path, out);
  }
}

function elementKey(el: JsonMap, meta: ListMeta): string {
  const keys = meta.mapKeys ?? [meta.key!];
  return JSON.stringify(Object.fromEntries(keys.filter((k) => el[k] !== undefined).map((k) => [k, el[k]])));
}

function toFieldsV1(paths: Iterable<string>): JsonMap {
  const root: JsonMap = {};
  for (const p of paths) {
    let node = root;
    for (const t of p.split(SEP)) {
      if (!isMap(node[t])) node[t] = {};
      node = node[t] as JsonMap;
    }
  }
  return root;
}

function fromFieldsV1(tree: unknown, prefix: string[] = [], out: Set<string> = new Set()): Set<string> {
  if (!isMap(tree)) return out;
  for (const [t, sub] of Object.entries(tree)) {
    const path = [...prefix, t];
    if (isMap(sub) && Object.keys(sub).length > 0) fromFieldsV1(sub, path, out);
    else out.add(path.join(SEP));
  }
  return out;
}

function entries(obj: JsonMap): ManagedFieldsEntry[] {
  const mf = isMap(obj.metadata) ? obj.metadata.managedFields : undefined;
  return Array.isArray(mf) ? (mf.filter(isMap) as unknown as ManagedFieldsEntry[]) : [];
}

function entry(manager: string, operation: ManagedFieldsEntry['operation'], paths: Set<string>, time: string) {
  return { manager, operation, apiVersion: 'v1', time, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(paths) };
}

/** Entries with `taken` removed from every manager but `owner`, empty ones dropped, `owner`'s put in. */
function withOwner(all: ManagedFieldsEntry[], owner: ManagedFieldsEntry, taken: Set<string>): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const e of all) {
    if (e.manager === owner.manager && e.operation === owner.operation) continue;
    const left = [...fromFieldsV1(e.fieldsV1)].filter((p) => !taken.has(p));
    if (left.length > 0) out.push({ ...e, fieldsV1: toFieldsV1(left) });
  }
  if (Object.keys(owner.fieldsV1).length > 0) out.push(owner);
  return out;
}

/** managedFields after a create or an update by `manager` (operation Update). */
export function recordUpdate(
  old: JsonMap,
  next: JsonMap,
  manager: string,
  meta: MapMeta,
  time: string,
): ManagedFieldsEntry[] {
  const before = leaves(old, meta);
  const after = leaves(next, meta);
  const changed = new Set(
    [...after].filter(([p, v]) => !before.has(p) || !isDeepStrictEqual(before.get(p), v)).map(([p]) => p),
  );
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const all = entries(old);
  const mine = all.find((e) => e.manager === manager && e.operation === 'Update');
  const owned = new Set([...fromFieldsV1(mine?.fieldsV1)].filter((p) => after.has(p)));
  for (const p of changed) owned.add(p);
  return withOwner(all, entry(manager, 'Update', owned, time), new Set([...changed, ...removed]));
}

/** The object an Apply by `manager` produces, with its managedFields; Conflict unless `force`. */
export function serverSideApply(
  live: JsonMap,
  applied: JsonMap,
  opts: { manager: string; force: boolean; meta: MapMeta; time: string },
): JsonMap {
  const liveLeaves = leaves(live, opts.meta);
  const config = leaves(applied, opts.meta);
  const all = entries(live);
  const others = all.filter((e) => !(e.manager === opts.manager && e.operation === 'Apply'));
  const conflicts: { manager: ManagedFieldsEntry; path: string }[] = [];
  for (const e of others) {
    for (const p of fromFieldsV1(e.fieldsV1)) {
      if (config.has(p) && liveLeaves.has(p) && !isDeepStrictEqual(config.get(p), liveLeaves.get(p)))
        conflicts.push({ manager: e, path: p });
    }
  }
  if (conflicts.length > 0 && !opts.force) throw conflictError(conflicts);
  const previous = fromFieldsV1(all.find((e) => e.manager === opts.manager && e.operation === 'Apply')?.fieldsV1);
  const ownedByOthers = new Set(others.flatMap((e) => [...fromFieldsV1(e.fieldsV1)]));
  const merged = strategicMergePatch(live, stripIdentity(applied), opts.meta);
  for (const p of previous) if (!config.has(p) && !ownedByOthers.has(p)) removePath(merged, p.split(SEP), opts.meta);
  const mine = entry(opts.manager, 'Apply', new Set(config.keys()), opts.time);
  const taken = new Set(conflicts.map((c) => c.path));
  (merged.metadata as JsonMap).managedFields = withOwner(all, mine, taken);
  return merged;
}

/** apiVersion/kind/name/namespace of an applied configuration identify the object; they are not merged. */
function stripIdentity(applied: JsonMap): JsonMap {
  const { apiVersion: _a, kind: _k, status: _s, ...rest } = applied;
  return rest;
}

function removePath(obj: JsonMap, tokens: string[], meta: MapMeta): void {
  let node: unknown = obj;
  let m: MapMeta = meta;
  let list: ListMeta | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const last = i === tokens.length - 1;
    if (t.startsWith('f:') && isMap(node)) {
      const f = t.slice(2);
      if (last) {
        delete node[f];
        return;
      }
      const fm = m[f];
      list = fm && 'list' in fm ? fm.list : undefined;
      m = fm && 'map' in fm ? fm.map : (list?.elem ?? {});
      node = node[f];
    } else if ((t.startsWith('k:') || t.startsWith('v:')) && Array.isArray(node) && list) {
      const want = JSON.parse(t.slice(2)) as unknown;
      const matches = (el: unknown) =>
        t.startsWith('v:') ? isDeepStrictEqual(el, want) : isMap(el) && elementKey(el, list!) === JSON.stringify(want);
      const i0 = node.findIndex(matches);
      if (i0 < 0) return;
      if (last || tokens[i + 1] === ELEMENT) {
        node.splice(i0, 1);
        return;
      }
      node = node[i0];
    } else return;
  }
}

/** apply.go's NewConflictError wording: `Apply failed with 1 conflict: conflict with "kubectl-set" using v1: .spec…`. */
function conflictError(conflicts: { manager: ManagedFieldsEntry; path: string }[]): KubeletError {
  const who = (e: ManagedFieldsEntry) =>
    e.operation === 'Update' ? `"${e.manager}" using ${e.apiVersion}` : JSON.stringify(e.manager);
  let text: string;
  if (conflicts.length === 1) text = `conflict with ${who(conflicts[0]!.manager)}: ${fieldPath(conflicts[0]!.path)}`;
  else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts)
      byManager.set(who(c.manager), [...(byManager.get(who(c.manager)) ?? []), fieldPath(c.path)]);
    text = [...byManager.keys()]
      .sort()
      .flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)])
      .join('\n');
  }
  const n = conflicts.length;
  return new KubeletError('Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${text}`);
}

/** fieldpath.Path.String(): `.spec.containers[name="app"].image`. */
function fieldPath(p: string): string {
  return p
    .split(SEP)
    .map((t) => {
      if (t.startsWith('f:')) return `.${t.slice(2)}`;
      if (t.startsWith('v:')) return `[=${t.slice(2)}]`;
      if (t.startsWith('k:')) {
        const key = JSON.parse(t.slice(2)) as JsonMap;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return '';
    })
    .join('');
}
