// Errors from the API server, as KubeletErrors the CLI prints the way kubectl does:
// `Error from server (NotFound): pods "x" not found`.
import { KubeletError, ValidationError, type ErrorCode, type FieldError } from '../util/errors.js';

interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** An error answer of the server; `reason` is the Status reason, `status` the HTTP code. */
export class ApiError extends KubeletError {
  readonly fromServer = true;
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly reason: string,
    readonly details?: StatusBody['details'],
  ) {
    super(code, message);
    this.name = 'ApiError';
  }
}

const CODES = new Set<string>([
  'NotFound',
  'AlreadyExists',
  'Invalid',
  'BadRequest',
  'Conflict',
  'UnsupportedMediaType',
  'MethodNotAllowed',
  'NotAcceptable',
  'Forbidden',
  'Unauthorized',
  'TooManyRequests',
]);

function codeFor(reason: string | undefined, status: number): ErrorCode {
  if (reason && CODES.has(reason)) return reason as ErrorCode;
  if (reason === 'InternalError') return 'Internal';
  if (reason === 'ServiceUnavailable' || reason === 'Timeout' || reason === 'ServerTimeout') return 'Unavailable';
  if (reason === 'Expired' || reason === 'Gone') return 'Conflict';
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'Unavailable';
    default:
      return 'Internal';
  }
}

const FIELD_TYPES: Record<string, FieldError['type']> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueNotFound: 'Not found',
  FieldValueUnknown: 'Unknown field',
};

/** A 422's causes back into FieldErrors, so the CLI prints kubectl's `The Pod "x" is invalid:` list. */
function validationError(s: StatusBody): ValidationError | undefined {
  const causes = s.details?.causes;
  if (!s.details?.kind || !causes?.length) return undefined;
  const fieldErrors: FieldError[] = causes.map((c) => {
    const type = FIELD_TYPES[c.reason ?? ''] ?? 'Invalid value';
    const msg = c.message ?? '';
    const rest = msg === type ? '' : msg.startsWith(`${type}: `) ? msg.slice(type.length + 2) : msg;
    return { path: c.field ?? '', type, ...(rest ? { detail: rest } : {}) };
  });
  const err = new ValidationError(s.details.kind, s.details.name ?? '', fieldErrors);
  // The server's message is authoritative; the rebuilt one only matters for printing causes.
  if (s.message) err.message = s.message;
  return Object.assign(err, { fromServer: true as const, status: 422, reason: 'Invalid' });
}

/** The error for a failed response: its Status, or the body text when it is not one. */
export function errorFromResponse(status: number, bodyText: string, what?: string): KubeletError {
  let s: StatusBody | undefined;
  try {
    const parsed = JSON.parse(bodyText) as StatusBody;
    if (parsed && parsed.kind === 'Status') s = parsed;
  } catch {
    /* not JSON */
  }
  if (s) {
    if (status === 422 || s.reason === 'Invalid') {
      const v = validationError(s);
      if (v) return v;
    }
    return new ApiError(
      codeFor(s.reason, status),
      s.message ?? `the server responded with status ${status}`,
      status,
      s.reason ?? '',
      s.details,
    );
  }
  const text = bodyText.trim();
  const message =
    status === 404
      ? `the server could not find the requested resource${what ? ` (${what})` : ''}`
      : `an error on the server (${JSON.stringify(text || String(status))}) has prevented the request from succeeding${what ? ` (${what})` : ''}`;
  return new ApiError(codeFor(undefined, status), message, status, status === 404 ? 'NotFound' : 'InternalError');
}

/** A failure to reach the server at all, in kubectl's words. */
export function connectionError(server: string, err: unknown): KubeletError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const host = server.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (cause?.code === 'ECONNREFUSED') {
    return new KubeletError(
      'Unavailable',
      `The connection to the server ${host} was refused - did you specify the right host or port?`,
      { cause: err },
    );
  }
  const detail = cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new KubeletError('Unavailable', `unable to reach the server ${host}: ${detail}`, { cause: err });
}
