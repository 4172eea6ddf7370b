// Small HTTP helpers: JSON answers, request bodies (JSON or YAML), content negotiation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeDocument } from '../apis/core/decode.js';
import { KubeletError } from '../util/errors.js';
import { lazy } from '../util/lazy.js';

// protobufjs and the Pod's message schema: loaded by the first protobuf body, not at agent start (#17).
const protobufDecoder = lazy(() => import('./protobuf/decode.js'));

/** The shape of every route handler: it answers or throws. */
export type Handler = (req: IncomingMessage, res: ServerResponse, params: RouteParams) => Promise<void>;

export interface RouteParams {
  /** Path parameters, e.g. `namespace`, `name`. */
  path: Record<string, string>;
  query: URLSearchParams;
}

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(code, {
    'Content-Type': contentType,
    'Content-Length': data.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(data);
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  const data = Buffer.from(text);
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': data.length });
  res.end(data);
}

/** The API server's limit on a request body (3 MiB, `maxRequestBodyBytes`). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** apiserver's `limitedReadBody`: 413 RequestEntityTooLarge past the limit, before anything is decoded. */
async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = () =>
  new KubeletError('RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY_BYTES}`);

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

const JSON_TYPES = new Set([
  '',
  'application/json',
  'application/merge-patch+json',
  'application/json-patch+json',
  'application/strategic-merge-patch+json',
  'text/json',
]);
const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';
const YAML_TYPES = new Set(['application/yaml', 'application/x-yaml', 'text/yaml', 'application/apply-patch+yaml']);

/**
 * The decoded request body: JSON, YAML for a YAML Content-Type, or a Kubernetes protobuf
 * envelope of the kinds kubectl's typed commands send. Anything else is refused with 415. `optional` allows an empty body (undefined).
 */
export async function readBody(req: IncomingMessage, opts: { optional?: boolean } = {}): Promise<unknown> {
  const type = mediaType(req);
  const raw = await readRaw(req);
  if (raw.length === 0) {
    if (opts.optional) return undefined;
    throw new KubeletError('BadRequest', 'the request body is empty');
  }
  // `kubectl create secret|configmap|namespace` POST protobuf: they go through client-go's
  // typed clientset, which prefers protobuf for built-in kinds (staging/src/k8s.io/kubectl/pkg/cmd/create).
  if (type === PROTOBUF_TYPE) return (await protobufDecoder()).decodeKubernetesProtobuf(raw);
  if (!JSON_TYPES.has(type) && !YAML_TYPES.has(type)) {
    throw new KubeletError(
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
    );
  }
  const text = raw.toString('utf8');
  try {
    return decodeDocument(text, YAML_TYPES.has(type));
  } catch (err) {
    const what = YAML_TYPES.has(type) ? 'YAML' : 'JSON';
    throw new KubeletError(
      'BadRequest',
      `the request body is not valid ${what}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The Accept header asks for a meta.k8s.io Table (`kubectl get` without -o). */
export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => /;\s*as=Table/.test(part) && /;\s*g=meta\.k8s\.io/.test(part));
}

/** Reads an integer query parameter; BadRequest when present but not an integer. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v))
    throw new KubeletError('BadRequest', `invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  return Number(v);
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === 'true' || v === '1';
}
