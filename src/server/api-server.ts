// The Kubernetes-compatible API of the agent (node:https, or node:http on loopback only; no framework).
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIPv4, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { KubeletError } from '../util/errors.js';
import { authenticateRequest, type AuthnPolicy } from './authn.js';
import { authorize, requestAttributes, type Principal } from './authz.js';
import type { Logger } from '../util/logger.js';
import type { KubeEvent, Namespace, Node, Pod } from '../apis/core/types.js';
import type { NodeFacade } from './node-facade.js';
import type { ApiDeps, MetricsScrape, StatsFacade } from './api-deps.js';
import { refuseUnsupportedDryRun } from './dry-run.js';
import { buildRouter } from './routes.js';
import { RETRY_AFTER_SECONDS, StreamTracker } from './streams.js';
import { rvNumber, WatchHub } from './watch-hub.js';
import { errorToStatus, internalDetail, methodNotAllowed, notFoundPath } from './errors.js';
import { sendJson } from './http-util.js';
import { rejectUpgrade } from './streaming/reject-upgrade.js';
import { lazy } from '../util/lazy.js';

export interface ApiServerOptions {
  node: NodeFacade;
  /** `host:port` (`[::1]:port` for IPv6); port 0 picks a free port. */
  listen: string;
  log: Logger;
  /** Image pulls in flight, served at /minikubelet/v1/pulls. */
  pulls?: () => unknown[];
  /** Serve HTTPS with this certificate; without it, plain HTTP, allowed on loopback only. */
  tls?: { certPem: string; keyPem: string };
  /**
   * Checks a bearer token (true: the admin; a Principal: a ServiceAccount, authorized
   * read-only in its namespace); without it, no authentication (allowed on loopback only).
   */
  checkToken?: (token: string) => boolean | Principal | undefined;
  /**
   * More addresses served the same way, on the same port (the pod network's gateway, so
   * pods reach the API). Each must pass the same listen policy as `listen`.
   */
  extraHosts?: string[];
  limits?: Partial<ApiLimits>;
  /** Served at /metrics and /metrics/probes. */
  metrics?: MetricsScrape;
  /** Resource usage for /stats/summary and metrics.k8s.io. */
  stats?: StatsFacade;
}

export interface ApiLimits {
  /** Open connections; requests on connections beyond it get 429. */
  maxConnections: number;
  /** Concurrent watches and followed logs; more get 429. */
  maxWatches: number;
  maxFollowedLogs: number;
  /** Time to receive the request headers, and the whole request (not the response). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Caps are unlimited unless given (the agent passes its options' caps, OPTION_DEFAULTS). */
export const API_LIMIT_DEFAULTS: ApiLimits = {
  maxConnections: Infinity,
  maxWatches: Infinity,
  maxFollowedLogs: Infinity,
  // Node's defaults are 60 s and 300 s; a request of at most 3 MiB from a local client needs far less.
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
};

export interface ApiServer {
  /** The URL clients use, e.g. `http://127.0.0.1:10350`. */
  url: string;
  port: number;
  /** The extra hosts it listens on (those of ApiServerOptions.extraHosts that could be bound). */
  extraHosts: string[];
  /**
   * Watches and followed logs open now. A caller can see that a watch is established,
   * or has ended and unsubscribed, instead of guessing with a sleep (the tests do).
   */
  openStreams(): number;
  /** Stops accepting, ends open watch and log streams, and closes every connection. */
  close(): Promise<void>;
}

export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(listen.trim());
  if (!m) throw new Error(`invalid listen address ${JSON.stringify(listen)}: expected host:port`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`invalid listen address ${JSON.stringify(listen)}: port out of range`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackAddress(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * Refuses to expose the API beyond this machine without TLS and authentication: the
 * API can run privileged pods, so whoever reaches it is root on the host.
 */
export function checkListenPolicy(host: string, tls: boolean, authn: boolean): void {
  if (isLoopbackAddress(host) || (tls && authn)) return;
  const missing = [tls ? '' : 'TLS', authn ? '' : 'authentication'].filter(Boolean).join(' and ');
  throw new Error(
    `refusing to listen on ${host} without ${missing}: the API can run privileged pods; ` +
      'drop --insecure-http or listen on a loopback address (127.0.0.1, ::1, localhost)',
  );
}

/** Throws the API server's Forbidden when `user` may not make this request. */
function checkAuthorized(user: Principal, method: string, url: URL): void {
  const d = authorize(user, requestAttributes(method, url.pathname, url.searchParams));
  if (!d.allowed) throw new KubeletError('Forbidden', d.message, { resource: d.resource, name: d.name });
}

/** The address a client should dial: a wildcard listen address means loopback. */
function dialHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { node, log } = opts;
  const { host, port } = parseListen(opts.listen);
  checkListenPolicy(host, opts.tls !== undefined, opts.checkToken !== undefined);
  const limits: ApiLimits = { ...API_LIMIT_DEFAULTS, ...opts.limits };
  const policy: AuthnPolicy = {
    plainHttp: opts.tls === undefined,
    ...(opts.checkToken ? { checkToken: opts.checkToken } : {}),
  };
  const streams = new StreamTracker({ watch: limits.maxWatches, follow: limits.maxFollowedLogs });
  // Versions up to now were handed out before the hubs listened: a watch from one gets 410.
  const startRv = rvNumber(node.resourceVersion()) ?? 0;
  const podHub = new WatchHub<Pod>((l) => node.watchPods(l), undefined, startRv);
  const eventHub = new WatchHub<KubeEvent>((l) => node.watchEvents(l), undefined, startRv);
  const nodeHub = new WatchHub<Node>((l) => node.watchNodes(l), undefined, startRv);
  const namespaceHub = new WatchHub<Namespace>((l) => node.watchNamespaces(l), undefined, startRv);
  const deps: ApiDeps = {
    node,
    log,
    streams,
    podHub,
    eventHub,
    nodeHub,
    namespaceHub,
    ...(opts.pulls ? { pulls: opts.pulls } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    ...(opts.stats ? { stats: opts.stats } : {}),
  };
  const router = buildRouter(deps);
  let seq = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rlog = log.child({ req: ++seq });
    const match = router.match(method, url.pathname);
    const path = match.kind === 'none' ? {} : match.path;
    const resource = match.kind === 'none' ? undefined : match.route.resource;
    try {
      const authn = authenticateRequest({ method, path: url.pathname, headers: req.headers }, policy);
      if ('refused' in authn) throw authn.refused;
      checkAuthorized(authn.user, method, url);
      if (inFlight.size > limits.maxConnections) {
        res.setHeader('Connection', 'close');
        throw new KubeletError('TooManyRequests', 'too many open connections, please try again later', {
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        });
      }
      if (match.kind === 'none') throw notFoundPath();
      if (match.kind === 'method') throw methodNotAllowed();
      refuseUnsupportedDryRun(method, url.searchParams, match.handler, resource);
      await match.handler(req, res, { path, query: url.searchParams });
    } catch (err) {
      const status = errorToStatus(err, {
        ...(resource ? { resource } : {}),
        ...(path.name ? { name: path.name } : {}),
      });
      if (status.code >= 500)
        rlog.warn({ method, path: url.pathname, code: status.code, err: internalDetail(err) }, 'request failed');
      else
        rlog.debug(
          { method, path: url.pathname, code: status.code, reason: status.reason },
          status.message ?? 'request failed',
        );
      if (!res.headersSent) {
        if (status.details?.retryAfterSeconds !== undefined)
          res.setHeader('Retry-After', String(status.details.retryAfterSeconds));
        sendJson(res, status.code, status);
      } else if (!res.writableEnded) res.destroy();
    } finally {
      rlog.debug(
        {
          method,
          path: url.pathname,
          query: url.search,
          code: res.statusCode,
          ms: Date.now() - started,
          ua: req.headers['user-agent'],
        },
        'request',
      );
    }
  }

  // Requests in flight per connection, so closing can drop connections that carry
  // none (Node's closeIdleConnections skips ones that never carried a request).
  const inFlight = new Map<Socket, number>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const sock = req.socket;
    inFlight.set(sock, (inFlight.get(sock) ?? 0) + 1);
    let counted = true;
    const done = () => {
      if (counted) {
        counted = false;
        inFlight.set(sock, (inFlight.get(sock) ?? 1) - 1);
      }
    };
    res.on('finish', done);
    res.on('close', done);
    handle(req, res).catch((err: unknown) => {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'unhandled request error');
      if (!res.destroyed) res.destroy();
    });
  };
  // One server per address (the listen address, then the extra hosts on its port): same
  // handler, same admission, same connection accounting.
  // ws, SPDY and the exec/attach/port-forward handlers: loaded by the first admitted upgrade, not at start (#17).
  const upgrade = lazy(async () => (await import('./streaming/upgrade.js')).upgradeHandler(deps));
  const makeServer = () => {
    const server = opts.tls
      ? createHttpsServer({ cert: opts.tls.certPem, key: opts.tls.keyPem, minVersion: 'TLSv1.2' }, onRequest)
      : createHttpServer(onRequest);
    // With TLS, 'connection' sees the raw TCP socket and requests carry the TLS one.
    server.on(opts.tls ? 'secureConnection' : 'connection', (sock: Socket) => {
      inFlight.set(sock, 0);
      sock.on('close', () => inFlight.delete(sock));
    });
    // exec, attach and portforward (WebSocket or SPDY) bypass the request handler: the
    // same admission (Host, Origin, bearer token, authorization) runs here before any upgrade.
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'GET';
      const authn = authenticateRequest({ method, path: url.pathname, headers: req.headers, upgrade: true }, policy);
      let refused = 'refused' in authn ? authn.refused : undefined;
      if (!refused && 'user' in authn) {
        try {
          checkAuthorized(authn.user, method, url);
        } catch (err) {
          refused = err as KubeletError;
        }
      }
      if (refused) {
        socket.on('error', () => undefined);
        rejectUpgrade(socket, refused);
        return;
      }
      // Until the handlers are loaded the socket is ours: an error on it must not be unhandled.
      const onLoadingError = () => socket.destroy();
      socket.on('error', onLoadingError);
      upgrade().then(
        (handle) => {
          socket.off('error', onLoadingError);
          if (!socket.destroyed) handle(req, socket, head);
        },
        (err: unknown) => rejectUpgrade(socket, err),
      );
    });
    // Bounds receiving the request only: Node stops the timer once the request is
    // complete, so watches and followed logs (long responses) are not cut.
    server.headersTimeout = limits.headersTimeoutMs;
    server.requestTimeout = limits.requestTimeoutMs;
    // A hard ceiling on sockets (Node drops the excess unanswered); below it, requests on
    // connections past maxConnections get a 429 they can act on.
    if (Number.isFinite(limits.maxConnections)) server.maxConnections = limits.maxConnections * 2;
    return server;
  };
  const listenOn = (server: ReturnType<typeof makeServer>, h: string, p: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, h, () => {
        server.off('error', reject);
        resolve();
      });
    });

  const server = makeServer();
  await listenOn(server, host, port);
  const actual = (server.address() as AddressInfo).port;
  const servers = [server];
  const extraListening: string[] = [];
  for (const extra of opts.extraHosts ?? []) {
    checkListenPolicy(extra, opts.tls !== undefined, opts.checkToken !== undefined);
    const s2 = makeServer();
    try {
      await listenOn(s2, extra, actual);
      servers.push(s2);
      extraListening.push(extra);
    } catch (err) {
      // The engine's bridge may live elsewhere (a remote DOCKER_HOST): the API still serves
      // on --listen, only pods cannot reach it.
      log.warn({ host: extra, port: actual, err: err instanceof Error ? err.message : String(err) }, 'cannot listen');
    }
  }
  const url = `${opts.tls ? 'https' : 'http'}://${dialHost(host)}:${actual}`;
  log.info({ url, extraHosts: opts.extraHosts ?? [] }, 'API server listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      streams.endAll();
      podHub.close();
      eventHub.close();
      nodeHub.close();
      namespaceHub.close();
      // Connections whose stream just ended become idle only after their last
      // chunk is flushed: keep closing idle ones, and force the rest after 1 s.
      const closeIdle = () => {
        for (const sv of servers) sv.closeIdleConnections();
        for (const [sock, n] of inFlight) if (n === 0) sock.destroy();
      };
      const sweep = setInterval(closeIdle, 10);
      const force = setTimeout(() => {
        for (const sv of servers) sv.closeAllConnections();
      }, 1000);
      let open = servers.length;
      for (const sv of servers)
        sv.close(() => {
          if (--open > 0) return;
          clearInterval(sweep);
          clearTimeout(force);
          resolve();
        });
      closeIdle();
    });
    return closing;
  };

  return { url, port: actual, extraHosts: extraListening, openStreams: () => streams.size, close };
}
