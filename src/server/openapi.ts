// GET /openapi/v2, /openapi/v3 and /openapi/v3/api/v1, as kube-apiserver serves them
// (k8s.io/kube-openapi pkg/handler3/handler.go, pkg/handler/handler.go): the v3 root
// lists one document per group-version with a content-hash URL; every document
// carries an ETag and answers If-None-Match with 304. The documents are built on
// the first request and kept, so they cost nothing at start-up.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openApiV2, openApiV3 } from '../apis/core/openapi/documents.js';
import { RESOURCES } from './discovery.js';
import type { Handler } from './http-util.js';
import { KubeletError } from '../util/errors.js';

interface Cached {
  body: Buffer;
  etag: string;
  hash: string;
}

function cache(build: () => unknown): () => Cached {
  let value: Cached | undefined;
  return () => {
    if (!value) {
      const body = Buffer.from(JSON.stringify(build()));
      const hash = createHash('sha256').update(body).digest('hex').toUpperCase();
      value = { body, hash, etag: `"${hash}"` };
    }
    return value;
  };
}

const v3CoreV1 = cache(() => openApiV3(RESOURCES));
const v2 = cache(() => openApiV2(RESOURCES));
const v3Root = cache(() => ({
  paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${v3CoreV1().hash}` } },
}));

function send(req: IncomingMessage, res: ServerResponse, doc: Cached, immutable: boolean): void {
  // A URL that names the document's hash never changes content (handler3's cache rule).
  const cacheControl = immutable ? 'public, immutable' : 'no-cache, private';
  if (req.headers['if-none-match'] === doc.etag) {
    res.writeHead(304, { ETag: doc.etag, 'Cache-Control': cacheControl });
    res.end();
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': doc.body.length,
    ETag: doc.etag,
    'Cache-Control': cacheControl,
  });
  res.end(req.method === 'HEAD' ? undefined : doc.body);
}

export const openApiV3Root: Handler = async (req, res) => send(req, res, v3Root(), false);

export const openApiV3Document: Handler = async (req, res, { query }) => {
  const doc = v3CoreV1();
  send(req, res, doc, query.get('hash') === doc.hash);
};

/**
 * Swagger 2.0 as JSON. kubectl asks for the protobuf encoding (gnostic's OpenAPIv2
 * Document) and cannot read JSON; its apply falls back to compiled-in patch metadata
 * either way, so a request that accepts only protobuf gets 406, as kube-apiserver
 * answers an Accept it cannot satisfy, and JSON clients get the document.
 */
export const openApiV2Document: Handler = async (req, res) => {
  const accept = req.headers.accept ?? '';
  if (accept !== '' && !/application\/json|\*\/\*/.test(accept)) {
    throw new KubeletError(
      'NotAcceptable',
      'only the following media types are accepted: application/json (protobuf is not served)',
    );
  }
  send(req, res, v2(), false);
};
