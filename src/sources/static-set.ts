// The pure half of the file source: what one snapshot (SET) of the manifests directory
// means against the previous one. pkg/kubelet/config/config.go merges a source's SET
// by UID (updatePodsFunc / checkAndUpdatePod): a UID that is new is an ADD, one that is
// gone a REMOVE, one whose content changed an UPDATE. A static pod's UID is a hash of
// its file's path and content (static-pod.ts), so an edited file is REMOVE + ADD.
import type { KubeObject, StoredObject, ValidPod } from '../apis/core/types.js';
import { CONFIG_SEEN_ANNOTATION, CONFIG_SOURCE_ANNOTATION, FILE_SOURCE } from '../apis/core/pod-util.js';
import { stableStringify } from '../util/stable-json.js';

/** An object read from the manifests directory, with the file that declared it. */
export interface Sourced<T> {
  file: string;
  obj: T;
}

export interface StaticPodDiff {
  added: ValidPod[];
  updated: ValidPod[];
  removed: ValidPod[];
}

/** ADD / UPDATE / REMOVE between two SETs of static pods, by UID. */
export function diffStaticPods(prev: readonly ValidPod[], next: readonly ValidPod[]): StaticPodDiff {
  const before = new Map(prev.map((p) => [p.metadata.uid, p]));
  const after = new Map(next.map((p) => [p.metadata.uid, p]));
  const diff: StaticPodDiff = { added: [], updated: [], removed: [] };
  for (const [uid, pod] of after) {
    const old = before.get(uid);
    if (!old) diff.added.push(pod);
    else if (!sameDeclaredContent(old, pod)) diff.updated.push(pod);
  }
  for (const [uid, pod] of before) if (!after.has(uid)) diff.removed.push(pod);
  return diff;
}

/**
 * Equal as declared: the fields the server or the source stamps on each read
 * (creationTimestamp, resourceVersion, uid, config.seen, status) are left out, so
 * re-reading an unchanged file is no change at all.
 */
export function sameDeclaredContent(a: KubeObject, b: KubeObject): boolean {
  return stableStringify(declared(a)) === stableStringify(declared(b));
}

function declared(o: KubeObject): unknown {
  const { creationTimestamp: _c, resourceVersion: _r, uid: _u, annotations, ...meta } = o.metadata;
  const { [CONFIG_SEEN_ANNOTATION]: _seen, ...kept } = annotations ?? {};
  const { status: _s, ...rest } = o as KubeObject & { status?: unknown };
  return { ...rest, metadata: { ...meta, annotations: kept } };
}

/**
 * One object per kind/namespace/name: the first in sorted file order wins and each
 * later one is reported (the kubelet would keep both UIDs and let the pod manager
 * pick; one winner by file order is deterministic and says which file lost).
 */
export function firstDeclarationWins<T extends KubeObject>(
  entries: readonly Sourced<T>[],
): { kept: Sourced<T>[]; duplicates: { file: string; message: string }[] } {
  const owner = new Map<string, string>();
  const kept: Sourced<T>[] = [];
  const duplicates: { file: string; message: string }[] = [];
  for (const e of entries) {
    const key = `${e.obj.kind}/${e.obj.metadata.namespace}/${e.obj.metadata.name}`;
    const first = owner.get(key);
    if (first === undefined) {
      owner.set(key, e.file);
      kept.push(e);
    } else {
      duplicates.push({
        file: e.file,
        message: `${e.obj.kind.toLowerCase()} "${e.obj.metadata.namespace}/${e.obj.metadata.name}" is already declared by ${first}; ignored`,
      });
    }
  }
  return { kept, duplicates };
}

/** Marks a Secret or ConfigMap as the manifests directory's (it is removed with its file). */
export function markFileOwned<T extends StoredObject>(obj: T): T {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: { ...obj.metadata.annotations, [CONFIG_SOURCE_ANNOTATION]: FILE_SOURCE },
    },
  };
}

export function isFileOwned(obj: StoredObject): boolean {
  return obj.metadata.annotations?.[CONFIG_SOURCE_ANNOTATION] === FILE_SOURCE;
}

export interface StaticObjectDiff {
  /** Declared objects that are absent from the store or differ from what it holds. */
  put: StoredObject[];
  /** Stored objects the directory put there whose declaration is gone. */
  remove: StoredObject[];
}

/**
 * The store's Secrets/ConfigMaps against the directory's: the file wins a name (an API
 * change to a file's object is undone at the next scan, as a mirror pod's would be);
 * only objects carrying the file-source mark are ever removed, so API-created ones
 * are never touched unless a file declares the same name.
 */
export function diffStaticObjects(stored: readonly StoredObject[], next: readonly StoredObject[]): StaticObjectDiff {
  const key = (o: StoredObject) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
  const held = new Map(stored.map((o) => [key(o), o]));
  const declared = new Set(next.map(key));
  return {
    put: next.filter((o) => {
      const cur = held.get(key(o));
      return !cur || !sameDeclaredContent(cur, o);
    }),
    remove: stored.filter((o) => isFileOwned(o) && !declared.has(key(o))),
  };
}
