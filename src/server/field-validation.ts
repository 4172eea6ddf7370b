// Server-side field validation of write bodies (POST, PUT, PATCH), as kube-apiserver
// does it since 1.27 (k8s.io/apiserver pkg/endpoints/handlers/create.go, rest.go
// fieldValidation): `fieldValidation=Strict` rejects unknown fields with 400, `Warn`
// (the default for a request without the parameter) drops them and sends one
// `Warning` header per field, `Ignore` drops them silently. kubectl sends Strict by
// default and Ignore with --validate=false. Wrongly typed values are decode errors
// in every mode: admission reports them.
import type { ServerResponse } from 'node:http';
import { DECODE_SCHEMAS } from '../apis/core/schema.js';
import { unknownFields, withoutUnknownFields } from '../apis/core/unknown-fields.js';
import { KubeletError, formatFieldError } from '../util/errors.js';

export const FIELD_VALIDATION_MODES = ['Ignore', 'Strict', 'Warn'] as const;
export type FieldValidation = (typeof FIELD_VALIDATION_MODES)[number];

export function fieldValidationParam(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if ((FIELD_VALIDATION_MODES as readonly string[]).includes(v)) return v as FieldValidation;
  throw new KubeletError(
    'BadRequest',
    `fieldValidation: Unsupported value: ${JSON.stringify(v)}: supported values: ${FIELD_VALIDATION_MODES.map((m) => JSON.stringify(m)).join(', ')}`,
  );
}

/**
 * The body the server goes on with, after applying the request's field validation
 * mode: Strict throws, Warn sets the Warning headers on `res` (sent with the answer).
 */
export function applyFieldValidation(
  kind: string,
  body: Record<string, unknown>,
  query: URLSearchParams,
  res: ServerResponse,
): Record<string, unknown> {
  const mode = fieldValidationParam(query);
  const schema = DECODE_SCHEMAS[kind];
  if (!schema) return body;
  const unknown = unknownFields(body, schema);
  if (unknown.length === 0) return body;
  const messages = unknown.map(formatFieldError);
  if (mode === 'Strict') {
    throw new KubeletError(
      'BadRequest',
      `${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${messages.join(', ')}`,
    );
  }
  // RFC 7234 warn-code 299 with agent `-`, as k8s.io/apiserver pkg/warning writes them.
  if (mode === 'Warn')
    res.setHeader(
      'Warning',
      messages.map((m) => `299 - ${JSON.stringify(m)}`),
    );
  return withoutUnknownFields(body, schema) as Record<string, unknown>;
}
