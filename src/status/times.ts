// Runtime times arrive with nanoseconds (Docker); the API carries metav1.Time, which
// serialises at second precision.
import { rfc3339 } from '../util/clock.js';

/** Normalise an RFC 3339 time to the API's second precision; undefined when absent/zero. */
export function apiTime(t: string | undefined): string | undefined {
  if (!t || t.startsWith('0001-01-01')) return undefined;
  const ms = Date.parse(t.replace(/\.\d+/, ''));
  return Number.isNaN(ms) ? undefined : rfc3339(ms);
}
