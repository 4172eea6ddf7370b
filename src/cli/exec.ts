// `minikubelet exec POD [-c C] [-i] [-t] -- CMD...`: kubectl exec over the same API
// (k8s.io/kubectl pkg/cmd/exec/exec.go, client-go tools/remotecommand websocket.go): the
// exec subresource over WebSocket with v5.channel.k8s.io, stdout/stderr from channels 1
// and 2, stdin on 0 with the v5 close (`ff 00`) at EOF, terminal size on 4, and the exit
// code from the Status on channel 3.
import type { WebSocket } from 'ws';
import type { Pod } from '../apis/core/types.js';
import type { Query } from '../client/api-client.js';
import {
  Channel,
  encodeChannel,
  encodeResize,
  exitCodeOf,
  type StreamStatus,
  V5,
} from '../util/remotecommand/ws-channels.js';
import { bool, splitDashDash, str, wantsHelp } from './args.js';
import { connect } from './client-verbs.js';
import { defaultContainer } from './default-container.js';

export const EXEC_HELP = `Execute a command in a container.

Usage:
  minikubelet exec POD [-c CONTAINER] [-i] [-t] -- COMMAND [args...]

Examples:
  minikubelet exec web -- date                  # in the first container of pod web
  minikubelet exec web -c side -- cat /etc/hosts
  echo hi | minikubelet exec -i web -- cat      # pass stdin to the command
  minikubelet exec -it web -- sh                # an interactive shell

Options:
  -c, --container NAME   container name (default: the kubectl.kubernetes.io/default-container
                         annotation, else the first container)
  -i, --stdin            pass stdin to the container
  -t, --tty              stdin is a TTY (raw mode, window size follows the terminal)
  -n, --namespace NS     the pod's namespace
      --kubeconfig FILE  the agent's kubeconfig

The exit code is the command's; "command terminated with exit code N" goes to stderr.
`;

const EXEC_FLAGS = {
  container: { type: 'string', short: 'c' },
  stdin: { type: 'boolean', short: 'i' },
  tty: { type: 'boolean', short: 't' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

export interface ExecRequest {
  pod: string;
  command: string[];
  container: string | undefined;
  stdin: boolean;
  tty: boolean;
}

/** The arguments of exec, refused with kubectl's messages. */
export function parseExecArgs(
  positionals: string[],
  command: string[] | undefined,
): { pod: string; command: string[] } {
  const [target, ...extra] = positionals;
  if (!target) throw new Error('pod, type/name or --filename must be specified');
  if (command === undefined || extra.length > 0)
    throw new Error('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead');
  if (command.length === 0) throw new Error('you must specify at least one command for the container');
  const [kind, name] = target.includes('/') ? target.split('/', 2) : ['pod', target];
  if (!['po', 'pod', 'pods'].includes(kind!.toLowerCase()) || !name)
    throw new Error(`cannot exec into ${JSON.stringify(target)}: only pods are supported`);
  return { pod: name, command };
}

/** The exec subresource's query, as kubectl sends it (no stderr with a TTY: it is merged into stdout). */
export function execQuery(r: ExecRequest & { container: string }): Query {
  return {
    command: r.command,
    container: r.container,
    stdin: r.stdin || undefined,
    stdout: true,
    stderr: r.tty ? undefined : true,
    tty: r.tty || undefined,
  };
}

export async function exec(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(EXEC_HELP);
    return 0;
  }
  const { before, after } = splitDashDash(argv);
  const { client, namespace, p } = connect(before, EXEC_FLAGS);
  const { pod: name, command } = parseExecArgs(p.positionals, after);
  const stdin = bool(p, 'stdin');
  // exec.go SetupTTY: a TTY only for an interactive stdin that is a terminal.
  let tty = bool(p, 'tty');
  if (tty && !(stdin && process.stdin.isTTY)) {
    if (!bool(p, 'quiet'))
      process.stderr.write('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    tty = false;
  }
  const pod: Pod = await client.getPod(namespace, name);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
    throw new Error(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  const warn = (line: string) => {
    if (!bool(p, 'quiet')) process.stderr.write(`${line}\n`);
  };
  const container = str(p, 'container') ?? defaultContainer(pod, warn) ?? '';
  const ws = await client.openChannels(
    namespace,
    name,
    'exec',
    execQuery({ pod: name, command, container, stdin, tty }),
    V5,
  );
  const status = await runSession(ws, { stdin, tty });
  const code = status ? exitCodeOf(status) : 0;
  if (code === undefined) throw new Error(status?.message ?? 'exec failed');
  if (code !== 0) process.stderr.write(`command terminated with exit code ${code}\n`);
  return code;
}

/** Relays the terminal and the channels until the server closes; resolves with the channel-3 Status, if any. */
function runSession(ws: WebSocket, o: { stdin: boolean; tty: boolean }): Promise<StreamStatus | undefined> {
  let status: StreamStatus | undefined;
  const stopInput = o.stdin ? forwardStdin(ws, o.tty) : () => undefined;
  return new Promise((resolve, reject) => {
    ws.on('message', (msg: Buffer) => {
      const channel = msg[0];
      const data = msg.subarray(1);
      if (channel === Channel.STDOUT) process.stdout.write(data);
      else if (channel === Channel.STDERR) process.stderr.write(data);
      else if (channel === Channel.ERROR) status = parseStatus(data);
    });
    ws.once('error', (err) => {
      stopInput();
      reject(err);
    });
    ws.once('close', () => {
      stopInput();
      resolve(status);
    });
  });
}

function parseStatus(data: Buffer): StreamStatus {
  try {
    return JSON.parse(data.toString('utf8')) as StreamStatus;
  } catch {
    // v1-style plain-text error (remotecommand errorDecoderV1).
    return { metadata: {}, status: 'Failure', message: data.toString('utf8') };
  }
}

/** Stdin to channel 0 (raw mode and resizes with a TTY), `ff 00` at EOF; returns the undo. */
function forwardStdin(ws: WebSocket, tty: boolean): () => void {
  const input = process.stdin;
  const send = (b: Buffer, done?: () => void) => {
    if (ws.readyState === ws.OPEN) ws.send(b, done);
  };
  const resize = () => send(encodeResize(process.stdout.columns ?? 80, process.stdout.rows ?? 24));
  if (tty) {
    input.setRawMode(true);
    resize();
    process.stdout.on('resize', resize);
  }
  const onData = (chunk: Buffer) => {
    input.pause();
    send(encodeChannel(Channel.STDIN, chunk), () => input.resume());
  };
  const onEnd = () => send(Buffer.from([Channel.CLOSE, Channel.STDIN]));
  input.on('data', onData);
  input.once('end', onEnd);
  return () => {
    input.off('data', onData);
    input.off('end', onEnd);
    process.stdout.off('resize', resize);
    if (tty) input.setRawMode(false);
    // Nothing more to read: let the process exit even though stdin is still open.
    input.pause();
    input.unref?.();
  };
}
