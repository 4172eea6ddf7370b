// httpGet probe (pkg/probe/http) on undici, in two layers:
//   - buildHttpGetRequest + httpGetAction: the transport (URL, headers, one-off
//     connection with keep-alive off and TLS unverified, bounded body, redirects
//     followed within the same hostname, one deadline). Lifecycle hooks reuse it with
//     their own User-Agent and their own success rule.
//   - httpProbe: the probe's rule: 200–399 success, off-host redirect a warning,
//     ≥ 400 failure, transport errors failures with Go's error text.
import { lazy } from '../../util/lazy.js';
import type { Container, HTTPGetAction } from '../../apis/core/types.js';
import { joinHostPort, probeHost, resolveContainerPort } from '../target.js';
import { goDialError, type ProbeOutcome } from './outcome.js';

// undici is a large module graph; loaded by the first httpGet probe or hook, not at agent start (#17).
const undici = lazy(() => import('undici'));

/** The kubelet reads at most 10 KiB of a probe response body. */
export const MAX_BODY_BYTES = 10 * 1024;
/** Go's http.Client: stop after 10 redirects. */
export const MAX_REDIRECTS = 10;
export const PROBE_USER_AGENT = 'kube-probe/1.32';
export const LIFECYCLE_USER_AGENT = 'kube-lifecycle/1.32';

export interface HttpGetRequest {
  url: URL;
  /** Headers in order, repeats allowed; a `Host` entry sets the request host. */
  headers: [string, string][];
  timeoutMs: number;
  /** 'same-host': follow only redirects whose hostname is the original one (probes). */
  redirects?: 'same-host' | 'any' | 'none';
  maxBodyBytes?: number;
  signal?: AbortSignal;
}

export interface HttpGetResponse {
  statusCode: number;
  /** Up to maxBodyBytes of the body, as text. */
  body: string;
  /** The URL that produced this response (after redirects). */
  url: URL;
}

/** A transport error (could not get a response), worded like Go's url.Error. */
export class HttpGetError extends Error {
  override readonly name = 'HttpGetError';
}

/** Go's URL text: the port always written, e.g. `http://10.244.0.5:80/`. */
export function goURL(u: URL): string {
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return `${u.protocol}//${joinHostPort(u.hostname.replace(/^\[|\]$/g, ''), Number(port))}${u.pathname}${u.search}`;
}

/**
 * NewRequestForHTTPGetAction: `<scheme>://<host>:<port><path>`, host defaulting to the
 * pod IP, named ports from the container, `User-Agent` and `Accept: *\/*` unless set
 * (an empty Accept removes it).
 */
export function buildHttpGetRequest(
  action: HTTPGetAction,
  container: Container,
  podIP: string | undefined,
  userAgent: string,
): { url: URL; headers: [string, string][] } {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  const host = probeHost(action.host, podIP);
  const port = resolveContainerPort(action.port, container);
  const path = action.path ? (action.path.startsWith('/') ? action.path : `/${action.path}`) : '/';
  const url = new URL(`${scheme}://${joinHostPort(host, port)}${path}`);
  const headers: [string, string][] = (action.httpHeaders ?? []).map((h) => [h.name, h.value]);
  const has = (n: string) => headers.some(([k]) => k.toLowerCase() === n);
  if (!has('user-agent')) headers.push(['User-Agent', userAgent]);
  if (!has('accept')) headers.push(['Accept', '*/*']);
  else if (headers.find(([k]) => k.toLowerCase() === 'accept')?.[1] === '') {
    return { url, headers: headers.filter(([k]) => k.toLowerCase() !== 'accept') };
  }
  return { url, headers };
}

// Headers undici manages itself (or refuses); Go would send them, we drop them.
const TRANSPORT_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'expect',
  'content-length',
]);
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
// What destroy() fails a request still open with (a body cut at maxBody): one shared
// error, because destroy() without one builds a ClientDestroyedError, stack trace and
// all, for every probe (~2 % of the agent's CPU at 100 probed pods, issue #17).
const CLIENT_DONE = new Error('probe finished');

/** One GET, following redirects per `redirects`; throws HttpGetError when no response comes. */
export async function httpGetAction(req: HttpGetRequest): Promise<HttpGetResponse> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), req.timeoutMs);
  const signal = req.signal ? AbortSignal.any([deadline.signal, req.signal]) : deadline.signal;
  const original = req.url;
  let url = req.url;
  try {
    for (let redirects = 0; ; redirects++) {
      // The Host header applies to the original hostname only (Go keeps req.Host for relative redirects).
      const res = await getOnce(
        url,
        url.hostname === original.hostname ? req.headers : req.headers.filter(([k]) => k.toLowerCase() !== 'host'),
        signal,
        req.maxBodyBytes ?? MAX_BODY_BYTES,
        deadline.signal,
      );
      const location = res.location;
      if (!REDIRECT_CODES.has(res.statusCode) || location === undefined || req.redirects === 'none') return res;
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new HttpGetError(
          `Get ${JSON.stringify(goURL(url))}: failed to parse Location header ${JSON.stringify(location)}`,
        );
      }
      // CheckRedirect: an off-host redirect ends the chain with this (3xx) response.
      if (req.redirects !== 'any' && next.hostname !== original.hostname) return res;
      if (redirects + 1 > MAX_REDIRECTS)
        throw new HttpGetError(`Get ${JSON.stringify(goURL(next))}: stopped after ${MAX_REDIRECTS} redirects`);
      url = next;
    }
  } finally {
    clearTimeout(timer);
  }
}

async function getOnce(
  url: URL,
  headers: [string, string][],
  signal: AbortSignal,
  maxBody: number,
  deadline: AbortSignal,
): Promise<HttpGetResponse & { location?: string }> {
  // A fresh connection per request: keep-alive off, nothing pooled, nothing left open.
  const { Client } = await undici();
  const client = new Client(url.origin, { connect: { rejectUnauthorized: false }, pipelining: 0 });
  const flat: string[] = [];
  let hostSet = false;
  for (const [k, v] of headers) {
    const lk = k.toLowerCase();
    if (TRANSPORT_HEADERS.has(lk)) continue;
    if (lk === 'host') {
      if (hostSet) continue;
      hostSet = true;
    }
    flat.push(k, v);
  }
  flat.push('connection', 'close');
  let phase: 'headers' | 'body' = 'headers';
  try {
    const res = await client.request({ path: `${url.pathname}${url.search}`, method: 'GET', headers: flat, signal });
    phase = 'body';
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      const part = chunk.subarray(0, maxBody - size);
      chunks.push(part);
      size += part.length;
      if (size >= maxBody) break; // bounded read: the rest is dropped with the connection
    }
    const loc = res.headers.location;
    return {
      statusCode: res.statusCode,
      body: Buffer.concat(chunks).toString('utf8'),
      url,
      ...(loc !== undefined ? { location: Array.isArray(loc) ? loc[0]! : loc } : {}),
    };
  } catch (err) {
    if (err instanceof HttpGetError) throw err;
    throw new HttpGetError(`Get ${JSON.stringify(goURL(url))}: ${transportError(err, url, deadline.aborted, phase)}`, {
      cause: err,
    });
  } finally {
    client.destroy(CLIENT_DONE).catch(() => undefined);
  }
}

function transportError(err: unknown, url: URL, timedOut: boolean, phase: 'headers' | 'body'): string {
  if (timedOut) {
    return phase === 'headers'
      ? 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'
      : 'context deadline exceeded (Client.Timeout or context cancellation while reading body)';
  }
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const hostPort = goURL(url)
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  const code = e.code?.startsWith('E') ? e.code : e.cause?.code;
  if (e.code === 'UND_ERR_SOCKET') return 'EOF';
  if (e.code === 'UND_ERR_CONNECT_TIMEOUT') return `dial tcp ${hostPort}: i/o timeout`;
  return goDialError(code, hostPort, e.message ?? String(err));
}

/** DoHTTPProbe: the probe's reading of one GET. */
export async function httpProbe(
  action: HTTPGetAction,
  container: Container,
  podIP: string | undefined,
  timeoutSeconds: number,
): Promise<ProbeOutcome> {
  const { url, headers } = buildHttpGetRequest(action, container, podIP, PROBE_USER_AGENT);
  let res: HttpGetResponse;
  try {
    res = await httpGetAction({ url, headers, timeoutMs: timeoutSeconds * 1000, redirects: 'same-host' });
  } catch (err) {
    // Transport errors and timeouts are failures, not probe errors.
    if (err instanceof HttpGetError) return { result: 'failure', output: err.message };
    throw err;
  }
  if (res.statusCode >= 200 && res.statusCode < 400) {
    if (res.statusCode >= 300)
      return { result: 'warning', output: `Probe terminated redirects, Response body: ${res.body}` };
    return { result: 'success', output: res.body };
  }
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.statusCode}` };
}
