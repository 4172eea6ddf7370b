// The portforward subresource over SPDY (kubelet pkg/kubelet/cri/streaming/portforward/
// httpstream.go): for each local connection kubectl opens an `error` and a `data` stream
// sharing a `requestid` and a `port`; once both are there the pod's port is dialled and
// bytes are copied both ways. A failure is written on the error stream, which kubectl
// prints (`an error occurred forwarding 3000 -> 80: …`).
import type { Duplex } from 'node:stream';
import type { Logger } from '../../util/logger.js';
import type { NodeFacade } from '../node-facade.js';
import type { SpdyStream } from '../../util/httpstream/spdy-session.js';

/** httpstream.go: how long the second stream of a pair may take (streamCreationTimeout). */
export const STREAM_PAIR_TIMEOUT_MS = 30_000;

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

export interface PortForwardTarget {
  node: NodeFacade;
  namespace: string;
  name: string;
  log: Logger;
}

/** `port` header → a TCP port, or an error message for the error stream. */
export function parsePortHeader(value: string | undefined): number | string {
  if (value === undefined || value === '') return 'port header must be specified';
  if (!/^\d+$/.test(value)) return `unable to parse "${value}" as a port: invalid syntax`;
  const port = Number(value);
  if (port < 1 || port > 65535) return `port "${value}" must be > 0 and <= 65535`;
  return port;
}

/** Returns the session's onStream: pairs streams by requestid and forwards each pair. */
export function portForwardHandler(t: PortForwardTarget): (s: SpdyStream) => void {
  const pairs = new Map<string, Pair>();
  return (s) => {
    const kind = s.headers.streamtype;
    const requestId = s.headers.requestid ?? String(s.id);
    if (kind !== 'error' && kind !== 'data') {
      s.abort();
      return;
    }
    let pair = pairs.get(requestId);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(requestId);
        for (const x of [pair?.error, pair?.data]) x?.end();
      }, STREAM_PAIR_TIMEOUT_MS);
      pair = { timer };
      pairs.set(requestId, pair);
    }
    pair[kind] = s;
    // Drain what the client sends on the error stream (an empty FIN at once).
    if (kind === 'error') s.incoming.resume();
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(requestId);
      void forward(t, pair.error, pair.data);
    }
  };
}

async function forward(t: PortForwardTarget, error: SpdyStream, data: SpdyStream): Promise<void> {
  const port = parsePortHeader(data.headers.port);
  const fail = (message: string) => {
    t.log.debug({ pod: `${t.namespace}/${t.name}`, err: message }, 'port-forward failed');
    error.write(Buffer.from(message));
    error.end();
    data.end();
  };
  if (typeof port === 'string') {
    fail(port);
    return;
  }
  let sock: Duplex;
  try {
    sock = await t.node.portForward(t.namespace, t.name, port);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
    return;
  }
  if (data.isReset) {
    sock.destroy();
    return;
  }
  let done = false;
  const finish = (err?: Error) => {
    if (done) return;
    done = true;
    if (err && !data.isReset)
      error.write(Buffer.from(`error forwarding port ${port} to pod ${t.name}, uid : ${err.message}`));
    data.end();
    error.end();
    sock.destroy();
  };
  data.incoming.pipe(sock);
  sock.on('data', (b: Buffer) => data.write(b));
  sock.on('end', () => finish());
  sock.on('close', () => finish());
  sock.on('error', (err) => finish(err));
  data.once('reset', () => finish());
}
