// Upgrade requests of the API server: the exec, attach and portforward subresources.
// exec/attach speak the v5/v4 channel protocol over WebSocket; portforward speaks SPDY/3.1,
// either inside WebSocket binary messages (kubectl ≥1.31, `SPDY/3.1+portforward.k8s.io`)
// or on the raw upgraded connection (the older fallback, POST + `Upgrade: SPDY/3.1`).
// Errors found before the upgrade are answered as an ordinary HTTP Status response, which
// kubectl prints (`error: unable to upgrade connection: …`).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { KubeletError } from '../../util/errors.js';
import type { ApiDeps } from '../api-deps.js';
import { rejectUpgrade } from './reject-upgrade.js';
import { runChannelSession } from './channel-session.js';
import { attachStart } from './attach-handler.js';
import { execStart, type StreamStart } from './exec-handler.js';
import { portForwardHandler } from './port-forward.js';
import { SpdySession, type SpdyTransport } from '../../util/httpstream/spdy-session.js';
import { pickChannelProtocol } from '../../util/remotecommand/ws-channels.js';
import { execOptions, streamRequest } from './stream-request.js';
import { resolvePodContainer } from '../../container/resolve.js';

export const PORT_FORWARD_WS_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
export const PORT_FORWARD_SPDY_PROTOCOL = 'portforward.k8s.io';
/** `ws` refuses protocol names with '/' (RFC 6455 tokens); the offer is renamed to this before the handshake. */
const WS_PLACEHOLDER = 'spdy-portforward';

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

interface Target {
  namespace: string;
  name: string;
  verb: 'exec' | 'attach' | 'portforward';
}

function target(req: IncomingMessage): { target?: Target; query: URLSearchParams } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const m = PATH.exec(url.pathname);
  if (!m) return { query: url.searchParams };
  try {
    const [namespace, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    return { target: { namespace, name, verb: m[3] as Target['verb'] }, query: url.searchParams };
  } catch {
    return { query: url.searchParams };
  }
}

export { rejectUpgrade };

function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** The API server's 'upgrade' listener. */
export function upgradeHandler(d: ApiDeps): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 16 * 1024 * 1024,
    // ws would pick the first offered protocol: answer with the one chosen for this request.
    handleProtocols: (_offered, req) => chosen.get(req) ?? false,
  });
  return (req, socket, head) => {
    socket.on('error', () => undefined);
    const { target: t, query } = target(req);
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    handle(d, wss, req, socket, head, t, query, upgrade).catch((err: unknown) => {
      if (!socket.destroyed && !(socket as { upgraded?: boolean }).upgraded)
        rejectUpgrade(socket, err, t ? { name: t.name } : {});
    });
  };
}

async function handle(
  d: ApiDeps,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  t: Target | undefined,
  query: URLSearchParams,
  upgrade: string,
): Promise<void> {
  if (!t) throw new KubeletError('NotFound', 'the server could not find the requested resource');
  if (t.verb !== 'portforward') {
    // The API server's own checks, before anything is upgraded or started, so a bad request
    // gets the same answer on the WebSocket attempt and on kubectl's SPDY retry.
    const pod = d.node.getPod(t.namespace, t.name);
    const opts = t.verb === 'exec' ? execOptions(query) : streamRequest(query);
    resolvePodContainer(pod, opts.container);
  }
  if (upgrade === 'websocket') {
    if (t.verb === 'portforward') return portForwardOverWebSocket(d, wss, req, socket, head, t);
    return channelsOverWebSocket(d, wss, req, socket, head, t, query);
  }
  if (upgrade === 'spdy/3.1' && t.verb === 'portforward') return portForwardOverSpdy(d, req, socket, head, t);
  // Exec/attach over plain SPDY is what kubectl ≤1.28 speaks; 1.29+ uses WebSocket.
  throw new KubeletError(
    'BadRequest',
    `unsupported upgrade ${JSON.stringify(req.headers.upgrade ?? '')} for ${t.verb}`,
  );
}

function accept(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<WebSocket> {
  return new Promise((resolve) => wss.handleUpgrade(req, socket, head, resolve));
}

async function channelsOverWebSocket(
  d: ApiDeps,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  t: Target,
  query: URLSearchParams,
): Promise<void> {
  const protocol = pickChannelProtocol(offeredProtocols(req));
  if (!protocol)
    throw new KubeletError(
      'BadRequest',
      'no supported Sec-WebSocket-Protocol (want v5.channel.k8s.io or v4.channel.k8s.io)',
    );
  const s: StreamStart = (t.verb === 'exec' ? execStart : attachStart)(d, t.namespace, t.name, query);
  // Start first: an error (no such container, pod completed) is still an HTTP answer.
  const streams = await s.start();
  const ws = await acceptWith(wss, req, socket, head, protocol).catch((err: unknown) => {
    streams.close();
    throw err;
  });
  const untrack = d.streams.track(() => ws.terminate());
  const log = d.log.child({ pod: `${t.namespace}/${t.name}`, verb: t.verb });
  await runChannelSession({
    ws,
    protocol,
    streams,
    statusOf: s.statusOf,
    onError: (err) => log.debug({ err: err.message }, 'stream connection error'),
  }).finally(untrack);
}

/** The protocol each upgrade request was answered with (read by handleProtocols). */
const chosen = new WeakMap<IncomingMessage, string>();

function acceptWith(
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocol: string,
): Promise<WebSocket> {
  chosen.set(req, protocol);
  return accept(wss, req, socket, head);
}

async function portForwardOverWebSocket(
  d: ApiDeps,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  t: Target,
): Promise<void> {
  if (!offeredProtocols(req).includes(PORT_FORWARD_WS_PROTOCOL))
    throw new KubeletError('BadRequest', `port-forward needs Sec-WebSocket-Protocol ${PORT_FORWARD_WS_PROTOCOL}`);
  d.node.getPod(t.namespace, t.name);
  req.headers['sec-websocket-protocol'] = WS_PLACEHOLDER;
  const ws = await acceptWith(wss, req, socket, head, PORT_FORWARD_WS_PROTOCOL);
  ws.on('error', () => undefined);
  const session = spdyPortForward(d, t, {
    write: (bytes) => {
      if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true });
    },
    close: () => ws.close(1000),
  });
  ws.on('message', (msg: Buffer) => session.receive(msg));
  ws.on('close', () => session.close());
}

async function portForwardOverSpdy(
  d: ApiDeps,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  t: Target,
): Promise<void> {
  const offered = String(req.headers['x-stream-protocol-version'] ?? '')
    .split(',')
    .map((p) => p.trim());
  if (!offered.includes(PORT_FORWARD_SPDY_PROTOCOL))
    throw new KubeletError(
      'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports ["${PORT_FORWARD_SPDY_PROTOCOL}"]`,
    );
  d.node.getPod(t.namespace, t.name);
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
      `X-Stream-Protocol-Version: ${PORT_FORWARD_SPDY_PROTOCOL}\r\n\r\n`,
  );
  (socket as { upgraded?: boolean }).upgraded = true;
  const session = spdyPortForward(d, t, {
    write: (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    },
    close: () => socket.destroy(),
  });
  socket.on('data', (b: Buffer) => session.receive(b));
  socket.on('close', () => session.close());
  if (head.length) session.receive(head);
}

function spdyPortForward(d: ApiDeps, t: Target, transport: SpdyTransport): SpdySession {
  const log = d.log.child({ pod: `${t.namespace}/${t.name}`, verb: 'portforward' });
  // Closing the API server ends the session; the session ending stops that tracking.
  let untrack: () => void = () => {};
  const session = new SpdySession(
    {
      write: transport.write,
      close: () => {
        untrack();
        transport.close();
      },
    },
    portForwardHandler({ node: d.node, namespace: t.namespace, name: t.name, log }),
    (err) => log.debug({ err: err.message }, 'SPDY protocol error'),
  );
  untrack = d.streams.track(() => session.close());
  return session;
}
