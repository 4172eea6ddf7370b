// The channel protocol of exec/attach over WebSocket (k8s.io/apimachinery
// pkg/util/remotecommand/constants.go, k8s.io/client-go tools/remotecommand
// websocket.go): every message is binary, byte 0 is the channel, the rest its payload.
// v4.channel.k8s.io added the JSON Status on the error channel and the resize channel;
// v5.channel.k8s.io added the close channel (255 + the channel being half-closed).
// Protocol code shared by the server (src/server/streaming) and the client (minikubelet exec).
export const V5 = 'v5.channel.k8s.io';
export const V4 = 'v4.channel.k8s.io';
/** Best first: what the server picks when a client offers several. */
export const CHANNEL_PROTOCOLS = [V5, V4] as const;
export type ChannelProtocol = (typeof CHANNEL_PROTOCOLS)[number];

export const Channel = { STDIN: 0, STDOUT: 1, STDERR: 2, ERROR: 3, RESIZE: 4, CLOSE: 255 } as const;

export type ChannelMessage =
  | { kind: 'stdin'; data: Buffer }
  | { kind: 'resize'; width: number; height: number }
  /** v5 only: the client half-closed a channel (stdin EOF is `ff 00`). */
  | { kind: 'close'; channel: number }
  | { kind: 'ignored'; channel: number };

/** The protocol to answer with, from the offered Sec-WebSocket-Protocol values. */
export function pickChannelProtocol(offered: Iterable<string>): ChannelProtocol | undefined {
  const set = new Set([...offered].map((p) => p.trim()));
  return CHANNEL_PROTOCOLS.find((p) => set.has(p));
}

export function encodeChannel(channel: number, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.from([channel]), payload]);
}

/** A client message; malformed resize payloads are ignored like the kubelet does (it logs and goes on). */
export function decodeClientMessage(msg: Buffer, protocol: ChannelProtocol): ChannelMessage {
  if (msg.length === 0) return { kind: 'ignored', channel: -1 };
  const channel = msg[0]!;
  const data = msg.subarray(1);
  if (channel === Channel.STDIN) return { kind: 'stdin', data };
  if (channel === Channel.RESIZE) {
    const size = parseResize(data);
    return size ? { kind: 'resize', ...size } : { kind: 'ignored', channel };
  }
  if (channel === Channel.CLOSE && protocol === V5 && data.length >= 1) return { kind: 'close', channel: data[0]! };
  return { kind: 'ignored', channel };
}

/** `{"Width":100,"Height":40}` (remotecommand.TerminalSize), sent with a trailing newline. */
export function parseResize(data: Buffer): { width: number; height: number } | undefined {
  try {
    const v = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    const ok = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffff;
    return ok(v.Width) && ok(v.Height) ? { width: v.Width, height: v.Height } : undefined;
  } catch {
    return undefined;
  }
}

export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: { reason: string; message: string }[] };
}

/** What goes on the error channel when the command ended (kubelet pkg/kubelet/cri/streaming/remotecommand/websocket.go writeStatus). */
export function exitStatus(exitCode: number, command: string[]): StreamStatus {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  // remotecommand/httpstream.go: NonZeroExitCode with an ExitCode cause; kubectl exits with it.
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

/** Attach reports Success: the container's exit goes through the pod's status (kubectl run -it reads it there). */
export const SUCCESS_STATUS: StreamStatus = { metadata: {}, status: 'Success' };

/** The client's resize message (client-go tools/remotecommand websocket.go: JSON plus a newline). */
export function encodeResize(width: number, height: number): Buffer {
  return encodeChannel(Channel.RESIZE, `${JSON.stringify({ Width: width, Height: height })}\n`);
}

/**
 * The exit code a client reads from the error channel (client-go tools/remotecommand
 * errorDecoderV4): 0 for Success, the ExitCode cause of NonZeroExitCode, else undefined
 * (another failure, reported by its message).
 */
export function exitCodeOf(status: StreamStatus): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason !== 'NonZeroExitCode') return undefined;
  const cause = status.details?.causes.find((c) => c.reason === 'ExitCode');
  const code = cause ? Number(cause.message) : Number.NaN;
  return Number.isInteger(code) ? code : undefined;
}
