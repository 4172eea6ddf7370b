// One error hierarchy with stable codes. The HTTP layer maps codes to statuses in
// one place (server/errors.ts); everything else only throws or returns them.

export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'BadRequest'
  | 'RequestEntityTooLarge'
  | 'Conflict'
  | 'UnsupportedMediaType'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'Forbidden'
  | 'Unauthorized'
  | 'TooManyRequests'
  | 'Unavailable'
  | 'Internal';

export interface KubeletErrorOptions {
  cause?: unknown;
  /** The resource the error is about (`pods`, `secrets`), for the Status details. */
  resource?: string;
  /** The object's name, for the Status details. */
  name?: string;
  /** TooManyRequests/Unavailable: when to try again (Status details and the Retry-After header). */
  retryAfterSeconds?: number;
}

export class KubeletError extends Error {
  readonly code: ErrorCode;
  readonly resource?: string;
  /** The object's name (`name` is taken by Error: it holds the class name). */
  readonly objectName?: string;
  readonly retryAfterSeconds?: number;
  constructor(code: ErrorCode, message: string, options: KubeletErrorOptions = {}) {
    const { resource, name, retryAfterSeconds, ...errorOptions } = options;
    super(message, errorOptions);
    this.code = code;
    this.name = 'KubeletError';
    if (resource !== undefined) this.resource = resource;
    if (name !== undefined) this.objectName = name;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** `pods "web" not found` (apierrors.NewNotFound). */
export function notFoundError(resource: string, name: string): KubeletError {
  return new KubeletError('NotFound', `${resource} "${name}" not found`, { resource, name });
}

/** `pods "web" already exists` (apierrors.NewAlreadyExists). */
export function alreadyExistsError(resource: string, name: string): KubeletError {
  return new KubeletError('AlreadyExists', `${resource} "${name}" already exists`, { resource, name });
}

/** A stale resourceVersion precondition (apierrors.NewConflict, as etcd3 GuaranteedUpdate reports it). */
export function conflictError(resource: string, name: string): KubeletError {
  return new KubeletError(
    'Conflict',
    `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { resource, name },
  );
}

/** One invalid field, rendered the way the API server does: `path: Kind: detail`. */
export interface FieldError {
  path: string;
  type:
    | 'Required value'
    | 'Invalid value'
    | 'Duplicate value'
    | 'Unsupported value'
    | 'Forbidden'
    | 'Too long'
    | 'Not found'
    | 'Unknown field';
  value?: unknown;
  detail?: string;
}

export function formatFieldError(e: FieldError): string {
  // Strict decoding's wording (kubectl --validate=strict): the path is the message.
  if (e.type === 'Unknown field') return `unknown field ${JSON.stringify(e.path)}`;
  // Required, Forbidden and Too long never print the value, as in apimachinery's field.Error.
  const showValue =
    e.value !== undefined && e.type !== 'Required value' && e.type !== 'Forbidden' && e.type !== 'Too long';
  const head = showValue ? `${e.path}: ${e.type}: ${JSON.stringify(e.value)}` : `${e.path}: ${e.type}`;
  return e.detail ? `${head}: ${e.detail}` : head;
}

/** A rejected object: carries every field error, not just the first. */
export class ValidationError extends KubeletError {
  readonly kind: string;
  override readonly objectName: string;
  readonly fieldErrors: FieldError[];
  constructor(kind: string, objectName: string, fieldErrors: FieldError[]) {
    super('Invalid', `${kind} "${objectName}" is invalid: ${fieldErrors.map(formatFieldError).join(', ')}`);
    this.kind = kind;
    this.objectName = objectName;
    this.fieldErrors = fieldErrors;
    this.name = 'ValidationError';
  }
}

/** A KubeletError with code NotFound (apierrors.IsNotFound): the API object does not exist. */
export function isKubeletNotFound(err: unknown): boolean {
  return err instanceof KubeletError && err.code === 'NotFound';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
