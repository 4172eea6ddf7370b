// Who may call the API, decided before any handler runs. The kube-apiserver's order:
// authentication (401 Unauthorized, pkg/endpoints/filters/authentication.go), then
// request checks. On top of it, the browser defences of `kubectl proxy`
// (staging/src/k8s.io/kubectl/pkg/proxy: a Host filter against DNS rebinding) and a
// Content-Type check so a page cannot POST a "simple" cross-site request.
import type { IncomingHttpHeaders } from 'node:http';
import { KubeletError } from '../util/errors.js';
import { ADMIN, type Principal } from './authz.js';

/** Paths answered without credentials: they reveal nothing but "ok". */
export const UNAUTHENTICATED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/livez', '/readyz']);

export interface AuthnRequest {
  method: string;
  /** The URL path, without the query. */
  path: string;
  headers: IncomingHttpHeaders;
  /**
   * A protocol upgrade (exec, attach, port-forward over WebSocket or SPDY). It carries
   * no body; a page cannot send one without `Origin` (checked), so the Content-Type
   * rule does not apply — kubectl's SPDY fallback POSTs with none.
   */
  upgrade?: boolean;
}

export interface AuthnPolicy {
  /** Plain HTTP on loopback: the Host header must then name loopback too. */
  plainHttp: boolean;
  /**
   * Checks a bearer token: false (or undefined) refuses it, true is the admin, a Principal
   * is who the token names (a ServiceAccount). Unset = no authentication (in-process test servers only).
   */
  checkToken?: (token: string) => boolean | Principal | undefined;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `localhost`, `127.0.0.1` or `[::1]`, with an optional port. */
export function isLoopbackHost(host: string): boolean {
  const m = /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return m !== null && LOOPBACK_HOSTS.has(m[1]!);
}

/** An Origin a page on this machine's loopback would send (`http://localhost:3000`). */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK_HOSTS.has(u.hostname);
  } catch {
    return false; // `null` (sandboxed or file: pages) and garbage
  }
}

/** Request body types a browser may send cross-site without a CORS preflight, and none at all. */
const BROWSER_SIMPLE_TYPES = new Set(['', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);

function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function hasBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return m?.[1];
}

export const UNAUTHORIZED_MESSAGE = 'Unauthorized';

/** The error to answer `req` with, or undefined when it may proceed. */
export function admitRequest(req: AuthnRequest, policy: AuthnPolicy): KubeletError | undefined {
  const r = authenticateRequest(req, policy);
  return 'refused' in r ? r.refused : undefined;
}

/**
 * admitRequest, and who the caller is when it may proceed: the admin for the agent's
 * token or when the server checks no tokens, the token's Principal otherwise.
 */
export function authenticateRequest(
  req: AuthnRequest,
  policy: AuthnPolicy,
): { refused: KubeletError } | { user: Principal } {
  let user: Principal = ADMIN;
  const refused = checks(req, policy, (p) => {
    user = p;
  });
  return refused ? { refused } : { user };
}

function checks(req: AuthnRequest, policy: AuthnPolicy, found: (p: Principal) => void): KubeletError | undefined {
  if (policy.plainHttp && !isLoopbackHost(req.headers.host ?? '')) {
    return new KubeletError('Forbidden', 'the Host header must name a loopback address (localhost, 127.0.0.1, [::1])');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return new KubeletError('Forbidden', `requests from origin ${JSON.stringify(origin)} are not allowed`);
  }
  if (UNAUTHENTICATED_PATHS.has(req.path) && (req.method === 'GET' || req.method === 'HEAD')) return undefined;
  if (policy.checkToken) {
    const token = bearer(req.headers);
    const who = token === undefined ? false : policy.checkToken(token);
    if (!who) return new KubeletError('Unauthorized', UNAUTHORIZED_MESSAGE);
    if (who !== true) found(who);
  }
  // A write with a body must say what it is in a type no cross-site form can send; so
  // must every POST, the one write method a page can send without a preflight.
  const write = !req.upgrade && req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
  if (write && (req.method === 'POST' || hasBody(req.headers)) && BROWSER_SIMPLE_TYPES.has(mediaType(req.headers))) {
    return new KubeletError(
      'UnsupportedMediaType',
      `Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted for ${req.method}: use application/json or application/yaml`,
    );
  }
  return undefined;
}
