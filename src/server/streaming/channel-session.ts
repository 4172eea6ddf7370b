// Relays a container's streams over one WebSocket in the v4/v5 channel protocol
// (kubelet pkg/kubelet/cri/streaming/remotecommand/websocket.go + httpstream.go):
// client stdin/resize/close in, stdout/stderr out, then the Status on the error
// channel and a normal close (1000).
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { ContainerStreams } from '../../container/streams.js';
import {
  Channel,
  type ChannelProtocol,
  decodeClientMessage,
  encodeChannel,
  type StreamStatus,
} from '../../util/remotecommand/ws-channels.js';

/** Send output frames with backpressure: pause the source until ws has taken each chunk. */
function forward(src: Readable, ws: WebSocket, channel: number): Promise<void> {
  src.on('data', (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    src.pause();
    ws.send(encodeChannel(channel, chunk), () => src.resume());
  });
  return Promise.race([once(src, 'end'), once(src, 'close')]).then(
    () => undefined,
    () => undefined,
  );
}

export interface ChannelSessionOptions {
  ws: WebSocket;
  protocol: ChannelProtocol;
  streams: ContainerStreams;
  /** The Status to send on the error channel once the output has ended. */
  statusOf: (exitCode: number | undefined) => StreamStatus;
  onError?: (err: Error) => void;
}

/** Resolves when the session is over (either side ended it). */
export async function runChannelSession(o: ChannelSessionOptions): Promise<void> {
  const { ws, protocol, streams } = o;
  const clientGone = once(ws, 'close').then(() => 'gone' as const);
  ws.on('error', (err) => o.onError?.(err));
  ws.on('message', (msg: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    const m = decodeClientMessage(msg, protocol);
    if (m.kind === 'stdin') streams.stdin?.write(m.data);
    else if (m.kind === 'resize') streams.resize(m.width, m.height);
    else if (m.kind === 'close' && m.channel === Channel.STDIN) streams.stdin?.end();
  });
  streams.stdin?.on('error', () => undefined);

  const outputs: Promise<void>[] = [];
  if (streams.stdout) outputs.push(forward(streams.stdout, ws, Channel.STDOUT));
  if (streams.stderr) outputs.push(forward(streams.stderr, ws, Channel.STDERR));
  const finished = Promise.all([Promise.all(outputs), streams.exited]).then(([, code]) => code);

  const outcome = await Promise.race([finished.then((code) => ({ code })), clientGone]);
  if (outcome === 'gone') {
    streams.close();
    return;
  }
  if (ws.readyState === ws.OPEN) {
    ws.send(encodeChannel(Channel.ERROR, JSON.stringify(o.statusOf(outcome.code))));
    ws.close(1000);
  }
  streams.close();
}
