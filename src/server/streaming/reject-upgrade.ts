// The answer to an upgrade the API refuses, in a module of its own: the API server needs
// it for every refused upgrade, while the streaming handlers (ws, SPDY, exec, attach,
// port-forward) load on the first accepted one (#17).
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorToStatus } from '../errors.js';

/** An HTTP error answer on a connection that was asking to be upgraded. */
export function rejectUpgrade(socket: Duplex, err: unknown, ctx: { name?: string } = {}): void {
  const status = errorToStatus(err, { resource: 'pods', ...ctx });
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${STATUS_CODES[status.code] ?? ''}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
