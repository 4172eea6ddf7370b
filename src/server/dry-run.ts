// The `dryRun` parameter of writes, as kube-apiserver reads it
// (staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation ValidateDryRun, checked by
// the create/update/patch/delete handlers in staging/src/k8s.io/apiserver/pkg/endpoints/
// handlers): `All` runs every check a write makes and stores nothing; `kubectl
// --dry-run=server` sends it. Any other value is Invalid.
//
// A write route either supports it (its handler is marked with `dryRunCapable`) or is
// refused before its handler runs: a write asked to be a dry run must never happen.
import { KubeletError } from '../util/errors.js';
import type { Handler } from './http-util.js';

export type WriteOptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** What a write may be asked to do besides writing. */
export interface WriteOptions {
  dryRun?: boolean;
}

const SUPPORTED = ['All'];

/**
 * True for `dryRun=All`; Invalid for any other value, with the API server's message.
 * A DELETE may carry it in its body instead (DeleteOptions.dryRun, where kubectl
 * delete puts it): `fromBody` is that field (delete-options.ts reads it).
 */
export function dryRunParam(query: URLSearchParams, kind: WriteOptionsKind, fromBody?: unknown): boolean {
  const values = [...query.getAll('dryRun'), ...bodyValues(fromBody)];
  if (values.length === 0) return false;
  const unsupported = values.filter((v) => !SUPPORTED.includes(v));
  if (unsupported.length > 0) {
    const list = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
    throw new KubeletError(
      'Invalid',
      `${kind}.meta.k8s.io "" is invalid: dryRun: Unsupported value: ${list}: supported values: "All"`,
    );
  }
  return true;
}

function bodyValues(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new KubeletError('BadRequest', 'DeleteOptions.dryRun must be an array of strings');
  return v as string[];
}

const capable = new WeakSet<Handler>();

/** Marks a write handler that honours dryRun (it reads the parameter itself). */
export function dryRunCapable(handler: Handler): Handler {
  capable.add(handler);
  return handler;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Refuses a dry-run write to a handler that would really write; called before any handler runs. */
export function refuseUnsupportedDryRun(
  method: string,
  query: URLSearchParams,
  handler: Handler,
  resource: string | undefined,
): void {
  if (!WRITES.has(method) || !query.has('dryRun') || capable.has(handler)) return;
  throw new KubeletError(
    'BadRequest',
    `dryRun is not supported by minikubelet for ${method} on ${resource ?? 'this path'}; nothing was changed`,
  );
}
