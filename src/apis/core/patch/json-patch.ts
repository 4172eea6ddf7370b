// JSON merge patch (RFC 7386, application/merge-patch+json: `kubectl label`,
// `annotate`, `patch --type merge`) and JSON patch (RFC 6902,
// application/json-patch+json: `patch --type json`, applied by fast-json-patch), with
// the API server's error codes (staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go
// applyJSPatch: a malformed patch is 400, one that does not apply is 422).
import fastJsonPatch from 'fast-json-patch';
import { KubeletError } from '../../../util/errors.js';
import { isMap, type JsonMap } from './strategic-merge.js';
import { ownValue, setOwn } from '../../../util/own-property.js';

/** RFC 7386 MergePatch: objects merge recursively, `null` deletes, anything else replaces. */
export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else setOwn(out, k, jsonMergePatch(ownValue(out, k), v));
  }
  return out;
}

/** RFC 6902: a list of operations applied in order to a copy of `target`. */
export function jsonPatch(target: JsonMap, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new KubeletError('BadRequest', 'a JSON patch must be a list of operations');
  const invalid = fastJsonPatch.validate(ops as fastJsonPatch.Operation[], structuredClone(target));
  if (invalid && !isApplyError(invalid)) throw new KubeletError('BadRequest', invalid.message);
  try {
    return fastJsonPatch.applyPatch(structuredClone(target), ops as fastJsonPatch.Operation[], true, true).newDocument;
  } catch (err) {
    throw new KubeletError('Invalid', err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
}

/** fast-json-patch's errors about the document (a missing path, a failed test) rather than the patch's shape. */
function isApplyError(e: fastJsonPatch.JsonPatchError): boolean {
  return (
    e.name === 'OPERATION_PATH_UNRESOLVABLE' ||
    e.name === 'TEST_OPERATION_FAILED' ||
    e.name === 'OPERATION_FROM_UNRESOLVABLE'
  );
}
