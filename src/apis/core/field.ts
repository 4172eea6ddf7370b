// Constructors for FieldErrors, mirroring apimachinery's field.Required,
// field.Invalid, … so validation code reads like the API server's.

import type { FieldError } from '../../util/errors.js';

export const required = (path: string, detail?: string): FieldError =>
  detail ? { path, type: 'Required value', detail } : { path, type: 'Required value' };

export const invalid = (path: string, value: unknown, detail: string): FieldError => ({
  path,
  type: 'Invalid value',
  value,
  detail,
});

export const duplicate = (path: string, value: unknown): FieldError => ({ path, type: 'Duplicate value', value });

export const forbidden = (path: string, detail: string): FieldError => ({ path, type: 'Forbidden', detail });

export const notFound = (path: string, value: unknown): FieldError => ({ path, type: 'Not found', value });

export const tooLong = (path: string, max: number): FieldError => ({
  path,
  type: 'Too long',
  detail: `must have at most ${max} bytes`,
});

export function notSupported(path: string, value: unknown, supported: readonly unknown[], why?: string): FieldError {
  const detail = why ?? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`;
  return { path, type: 'Unsupported value', value, detail };
}

/** One Invalid error per message from a name-format check. */
export function nameErrors(path: string, value: string, check: (v: string) => string[]): FieldError[] {
  return check(value).map((msg) => invalid(path, value, msg));
}

export function nonNegative(path: string, n: number | undefined): FieldError[] {
  return n !== undefined && n < 0 ? [invalid(path, n, 'must be greater than or equal to 0')] : [];
}

/** Path helpers: `base.child` and `base[i]`. */
export const child = (base: string, name: string) => (base ? `${base}.${name}` : name);
export const index = (base: string, i: number) => `${base}[${i}]`;
export const key = (base: string, k: string) => `${base}[${k}]`;
