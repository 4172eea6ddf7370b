// The client side of the portforward subresource (client-go tools/portforward/
// portforward.go handleConnection): one SPDY connection to the pod, and for each local
// TCP connection a pair of streams sharing a `requestid` — `error` (half-closed at once;
// whatever the server writes there is the failure) and `data` (the bytes both ways).
// When the pod side is done the client waits for the error stream and resets the data stream.
import type { Socket } from 'node:net';
import { SpdySession, type SpdyStream } from '../util/httpstream/spdy-session.js';
import type { ApiClient } from './api-client.js';

export interface ForwardResult {
  /** Text the server wrote on the error stream (e.g. connection refused), if any. */
  error?: string;
}

export class PortForwarder {
  #requestId = 0;

  private constructor(readonly session: SpdySession) {}

  /** Opens the SPDY connection to the pod's portforward subresource. */
  static async connect(client: ApiClient, ns: string, pod: string, onLost: () => void): Promise<PortForwarder> {
    const { socket, head } = await client.openPortForward(ns, pod);
    const session = new SpdySession(
      {
        write: (bytes) => {
          if (!socket.destroyed) socket.write(bytes);
        },
        close: () => socket.destroy(),
      },
      // The server never opens streams of its own here.
      (s) => s.cancel(),
      () => undefined,
      'client',
    );
    socket.on('data', (b: Buffer) => session.receive(b));
    socket.on('error', () => undefined);
    socket.once('close', () => {
      session.close();
      onLost();
    });
    if (head.length) session.receive(head);
    return new PortForwarder(session);
  }

  /** Carries one local connection to `remotePort` in the pod; resolves when it is done. */
  async forward(local: Socket, remotePort: number): Promise<ForwardResult> {
    const requestid = String(this.#requestId++);
    const headers = { port: String(remotePort), requestid };
    let error: SpdyStream;
    let data: SpdyStream;
    try {
      error = await this.session.openStream({ streamtype: 'error', ...headers });
      error.end();
      data = await this.session.openStream({ streamtype: 'data', ...headers });
    } catch (err) {
      local.destroy();
      return { error: err instanceof Error ? err.message : String(err) };
    }
    const errorText = collect(error);
    local.on('data', (b: Buffer) => data.write(b));
    local.once('end', () => data.end());
    local.on('error', () => data.cancel());
    local.once('close', () => data.end());
    data.incoming.on('data', (b: Buffer) => {
      if (!local.destroyed) local.write(b);
    });
    data.incoming.once('end', () => {
      if (!local.destroyed) local.end();
    });
    const text = await errorText;
    data.cancel();
    if (text) local.destroy();
    return text ? { error: text } : {};
  }

  close(): void {
    this.session.close();
  }
}

/** The whole content of the server's error stream, once it ended. */
function collect(s: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    s.incoming.setEncoding('utf8');
    s.incoming.on('data', (d: string) => {
      text += d;
    });
    s.incoming.once('end', () => resolve(text));
  });
}
