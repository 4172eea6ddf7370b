// exec for PodContainer: the pods/exec subresource over WebSocket (v5.channel.k8s.io, as
// kubectl 1.32), its stdout and stderr collected and the exit code read from the Status
// on the error channel; optional stdin sent then half-closed (v5's `ff 00`).
import type { ApiClient } from '../client/api-client.js';
import { Channel, encodeChannel, exitCodeOf, type StreamStatus, V5 } from '../util/remotecommand/ws-channels.js';

/** testcontainers' ExecResult shape. */
export interface ExecResult {
  output: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function execInPod(
  client: ApiClient,
  ns: string,
  pod: string,
  container: string,
  command: string[],
  stdin?: Buffer,
): Promise<ExecResult> {
  const ws = await client.openChannels(
    ns,
    pod,
    'exec',
    { command, container, stdout: true, stderr: true, stdin: stdin !== undefined || undefined },
    V5,
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const all: Buffer[] = [];
  let status: StreamStatus | undefined;
  const done = new Promise<void>((resolve, reject) => {
    ws.on('message', (msg: Buffer) => {
      const data = msg.subarray(1);
      if (msg[0] === Channel.STDOUT || msg[0] === Channel.STDERR) {
        (msg[0] === Channel.STDOUT ? out : err).push(data);
        all.push(data);
      } else if (msg[0] === Channel.ERROR) status = parseStatus(data);
    });
    ws.once('error', reject);
    ws.once('close', () => resolve());
  });
  if (stdin !== undefined) {
    ws.send(encodeChannel(Channel.STDIN, stdin));
    ws.send(Buffer.from([Channel.CLOSE, Channel.STDIN]));
  }
  await done;
  const exitCode = status ? exitCodeOf(status) : 0;
  if (exitCode === undefined)
    throw new Error(`PodContainer: exec in ${pod}/${container}: ${status?.message ?? 'failed'}`);
  return {
    output: Buffer.concat(all).toString('utf8'),
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    exitCode,
  };
}

function parseStatus(data: Buffer): StreamStatus {
  try {
    return JSON.parse(data.toString('utf8')) as StreamStatus;
  } catch {
    return { metadata: {}, status: 'Failure', message: data.toString('utf8') } as StreamStatus;
  }
}
