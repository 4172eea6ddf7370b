// Static pods from manifest files (pkg/kubelet/config/common.go applyDefaults).
// The UID is derived from node, file path and content, so an unchanged file keeps
// its pod across re-reads and restarts, while any edit yields a new pod.

import { createHash } from 'node:crypto';
import { stableStringify } from '../util/stable-json.js';
import {
  CONFIG_HASH_ANNOTATION,
  CONFIG_SEEN_ANNOTATION,
  CONFIG_SOURCE_ANNOTATION,
  FILE_SOURCE,
} from '../apis/core/pod-util.js';

export { stableStringify };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `obj[key]` when it is a mapping; otherwise a new empty mapping stored there. */
function mappingAt(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = obj[key];
  if (isObject(v)) return v;
  const created: Record<string, unknown> = {};
  obj[key] = created;
  return created;
}

/** hex MD5 over `host:<node>`, `file:<path>` and the decoded object (our stand-in for Go's DeepHashObject). */
export function staticPodUid(nodeName: string, absPath: string, podObject: unknown): string {
  const h = createHash('md5');
  h.update(`host:${nodeName}`);
  h.update(`file:${absPath}`);
  h.update(stableStringify(podObject));
  return h.digest('hex');
}

/** Go's RFC3339Nano: fractional seconds with trailing zeros trimmed. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, frac: string) => (frac ? `.${frac}Z` : 'Z'));
}

/**
 * Returns a copy of a decoded Pod with the file source's defaults; anything that
 * is not a mapping is returned unchanged for admission to reject.
 */
export function applyStaticPodDefaults(
  raw: unknown,
  nodeName: string,
  absPath: string,
  now: number = Date.now(),
): unknown {
  if (!isObject(raw)) return raw;
  const pod = structuredClone(raw);
  const meta = mappingAt(pod, 'metadata');
  if (!meta.uid) meta.uid = staticPodUid(nodeName, absPath, raw);
  meta.name = `${typeof meta.name === 'string' ? meta.name : ''}-${nodeName.toLowerCase()}`;
  if (!meta.namespace) meta.namespace = 'default';
  const annotations = mappingAt(meta, 'annotations');
  annotations[CONFIG_HASH_ANNOTATION] = meta.uid;
  annotations[CONFIG_SOURCE_ANNOTATION] = FILE_SOURCE;
  if (!annotations[CONFIG_SEEN_ANNOTATION]) annotations[CONFIG_SEEN_ANNOTATION] = rfc3339Nano(now);

  const spec = mappingAt(pod, 'spec');
  spec.nodeName = nodeName;
  // A static pod tolerates every NoExecute taint: it must never be evicted from its node.
  let tolerations: unknown[];
  if (Array.isArray(spec.tolerations)) tolerations = spec.tolerations;
  else {
    tolerations = [];
    spec.tolerations = tolerations;
  }
  const hasExistsNoExecute = tolerations.some(
    (t) => isObject(t) && t.operator === 'Exists' && t.effect === 'NoExecute' && !t.key,
  );
  if (!hasExistsNoExecute) tolerations.push({ operator: 'Exists', effect: 'NoExecute' });
  return pod;
}
