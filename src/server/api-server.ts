// The Kubernetes-compatible HTTP API of the agent (node:http, no framework).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../util/logger.js';
import type { KubeEvent, Pod } from '../apis/core/types.js';
import type { NodeFacade } from './node-facade.js';
import type { ApiDeps, MetricsScrape } from './api-deps.js';
import { buildRouter } from './routes.js';
import { StreamTracker } from './streams.js';
import { WatchHub } from './watch-hub.js';
import { errorToStatus, internalDetail, methodNotAllowed, notFoundPath } from './errors.js';
import { sendJson } from './http-util.js';
import { upgradeHandler } from './streaming/upgrade.js';

export interface ApiServerOptions {
  node: NodeFacade;
  /** `host:port` (`[::1]:port` for IPv6); port 0 picks a free port. */
  listen: string;
  log: Logger;
  /** Image pulls in flight, served at /minikubelet/v1/pulls. */
  pulls?: () => unknown[];
  /** Served at /metrics and /metrics/probes. */
  metrics?: MetricsScrape;
}

export interface ApiServer {
  /** The URL clients use, e.g. `http://127.0.0.1:10350`. */
  url: string;
  port: number;
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

/** The address a client should dial: a wildcard listen address means loopback. */
function dialHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { node, log } = opts;
  const { host, port } = parseListen(opts.listen);
  const streams = new StreamTracker();
  const podHub = new WatchHub<Pod>((l) => node.watchPods(l));
  const eventHub = new WatchHub<KubeEvent>((l) => node.watchEvents(l));
  const deps: ApiDeps = {
    node,
    log,
    streams,
    podHub,
    eventHub,
    ...(opts.pulls ? { pulls: opts.pulls } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  };
  const router = buildRouter(deps, new Date().toISOString().replace(/\.\d+Z$/, 'Z'));
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
      if (match.kind === 'none') throw notFoundPath();
      if (match.kind === 'method') throw methodNotAllowed();
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
      if (!res.headersSent) sendJson(res, status.code, status);
      else if (!res.writableEnded) res.destroy();
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
  const server = createServer((req, res) => {
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
  });
  server.on('connection', (sock: Socket) => {
    inFlight.set(sock, 0);
    sock.on('close', () => inFlight.delete(sock));
  });
  // exec, attach and portforward (WebSocket or SPDY); they bypass the request handler.
  server.on('upgrade', upgradeHandler(deps));
  // Watches and followed logs live long; only the request itself is bounded.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${dialHost(host)}:${actual}`;
  log.info({ url }, 'API server listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      streams.endAll();
      podHub.close();
      eventHub.close();
      // Connections whose stream just ended become idle only after their last
      // chunk is flushed: keep closing idle ones, and force the rest after 1 s.
      const closeIdle = () => {
        server.closeIdleConnections();
        for (const [sock, n] of inFlight) if (n === 0) sock.destroy();
      };
      const sweep = setInterval(closeIdle, 10);
      const force = setTimeout(() => server.closeAllConnections(), 1000);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(force);
        resolve();
      });
      closeIdle();
    });
    return closing;
  };

  return { url, port: actual, openStreams: () => streams.size, close };
}
