// Checks shared by every create: the body is an object and its namespace agrees with the URL.
import { KubeletError } from '../util/errors.js';

export function objectBody(body: unknown, namespace: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new KubeletError('BadRequest', 'the request body must be a JSON or YAML object');
  }
  const meta = (body as { metadata?: unknown }).metadata;
  if (meta !== undefined && meta !== null && typeof meta === 'object') {
    const ns = (meta as { namespace?: unknown }).namespace;
    if (ns !== undefined && ns !== '' && ns !== namespace) {
      throw new KubeletError(
        'BadRequest',
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
  }
  return body as Record<string, unknown>;
}

/** The name in the body must match the name in a PUT's URL. */
export function checkBodyName(body: Record<string, unknown>, name: string): void {
  const n = (body.metadata as { name?: unknown } | undefined)?.name;
  if (n !== undefined && n !== name) {
    throw new KubeletError(
      'BadRequest',
      `the name of the object (${String(n)}) does not match the name on the URL (${name})`,
    );
  }
}
