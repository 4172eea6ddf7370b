// The one place that turns an error into an HTTP status and a metav1.Status body.
import type { ErrorCode, FieldError } from '../util/errors.js';
import { KubeletError, ValidationError, formatFieldError } from '../util/errors.js';

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** metav1.Status, as the API server sends it. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** What the failing request was about, for `details` (kind is the resource, e.g. `pods`). */
export interface ErrorContext {
  resource?: string;
  name?: string;
}

const HTTP: Record<ErrorCode, { code: number; reason: string }> = {
  NotFound: { code: 404, reason: 'NotFound' },
  AlreadyExists: { code: 409, reason: 'AlreadyExists' },
  Invalid: { code: 422, reason: 'Invalid' },
  BadRequest: { code: 400, reason: 'BadRequest' },
  RequestEntityTooLarge: { code: 413, reason: 'RequestEntityTooLarge' },
  Conflict: { code: 409, reason: 'Conflict' },
  UnsupportedMediaType: { code: 415, reason: 'UnsupportedMediaType' },
  MethodNotAllowed: { code: 405, reason: 'MethodNotAllowed' },
  NotAcceptable: { code: 406, reason: 'NotAcceptable' },
  Forbidden: { code: 403, reason: 'Forbidden' },
  Unauthorized: { code: 401, reason: 'Unauthorized' },
  TooManyRequests: { code: 429, reason: 'TooManyRequests' },
  Unavailable: { code: 503, reason: 'ServiceUnavailable' },
  Internal: { code: 500, reason: 'InternalError' },
};

/** apimachinery's CauseType for each field error type. */
const CAUSE_REASON: Record<FieldError['type'], string> = {
  'Required value': 'FieldValueRequired',
  'Invalid value': 'FieldValueInvalid',
  'Duplicate value': 'FieldValueDuplicate',
  'Unsupported value': 'FieldValueNotSupported',
  Forbidden: 'FieldValueForbidden',
  'Too long': 'FieldValueTooLong',
  'Not found': 'FieldValueNotFound',
  'Unknown field': 'FieldValueUnknown',
};

export function fieldErrorCause(e: FieldError): StatusCause {
  const full = formatFieldError(e);
  const prefix = `${e.path}: `;
  // As apimachinery: the field goes in `field`, the message is the rest.
  const message = full.startsWith(prefix) ? full.slice(prefix.length) : full;
  return { reason: CAUSE_REASON[e.type] ?? 'FieldValueInvalid', message, field: e.path };
}

export function failureStatus(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** A Forbidden from authorization (server/authz.ts): its details name the resource, as NewForbidden's. */
function isAuthzDenial(err: KubeletError): boolean {
  return err.code === 'Forbidden' && err.resource !== undefined && err.resource !== '';
}

/** Maps any thrown value to the HTTP status code and Status body to answer with. */
export function errorToStatus(err: unknown, ctx: ErrorContext = {}): Status {
  if (err instanceof ValidationError) {
    const details: StatusDetails = {
      name: err.objectName,
      kind: err.kind,
      causes: err.fieldErrors.map(fieldErrorCause),
    };
    return failureStatus(422, 'Invalid', err.message, details);
  }
  if (err instanceof KubeletError) {
    const m = HTTP[err.code] ?? HTTP.Internal;
    let details: StatusDetails | undefined;
    if (err.code === 'NotFound' || err.code === 'AlreadyExists' || err.code === 'Conflict' || isAuthzDenial(err)) {
      // A create has no name in its URL: the error names the object it is about.
      const resource = ctx.resource ?? err.resource;
      const name = ctx.name ?? (err.resource === resource ? err.objectName : undefined);
      if (name || resource) details = { ...(name ? { name } : {}), ...(resource ? { kind: resource } : {}) };
    }
    if (err.retryAfterSeconds !== undefined) details = { ...details, retryAfterSeconds: err.retryAfterSeconds };
    const message = err.code === 'Internal' ? `Internal error occurred: ${err.message}` : err.message;
    return failureStatus(m.code, m.reason, message, details);
  }
  // An unexpected error's text may name files under the root dir: it goes to the
  // agent's log (api-server.ts), never to the client.
  return failureStatus(500, 'InternalError', `Internal error occurred: ${INTERNAL_DETAIL}`);
}

export const INTERNAL_DETAIL = 'the agent could not complete the request; the details are in its log';

export const NOT_FOUND_MESSAGE = 'the server could not find the requested resource';

export function notFoundPath(): KubeletError {
  return new KubeletError('NotFound', NOT_FOUND_MESSAGE);
}

export function methodNotAllowed(): KubeletError {
  return new KubeletError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** What the agent's log records about a failed request: the error and what caused it. */
export function internalDetail(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error ? err.cause : undefined;
  return cause === undefined ? text : `${text}: ${internalDetail(cause)}`;
}
