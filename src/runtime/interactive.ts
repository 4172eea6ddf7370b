// Interactive exec and attach (the CRI's Exec and Attach, cri-dockerd
// core/exec.go + streaming/streaming_others.go): the engine's hijacked connection is
// split into stdin / stdout / stderr for the API's streaming handlers. Not queued on
// the engine queue: the stream lives as long as the session.
import { once } from 'node:events';
import type { Duplex, Readable } from 'node:stream';
import type { ContainerStreams, StreamRequest } from '../container/streams.js';
import type { DockerClient } from './docker-client.js';
import { Demuxer } from './demux.js';
import { exitCode } from './exec.js';
import type { Run } from './relist.js';

/** Docker's CLI retries the first resize too: the process may not have its TTY yet (cli/command/container/tty.go initTtySize). */
const RESIZE_ATTEMPTS = 5;
const RESIZE_RETRY_MS = 50;

function resizer(resize: (w: number, h: number) => Promise<void>, tty: boolean): ContainerStreams['resize'] {
  if (!tty) return () => undefined;
  return (width, height) => {
    void (async () => {
      for (let i = 0; i < RESIZE_ATTEMPTS; i++) {
        try {
          await resize(width, height);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, RESIZE_RETRY_MS));
        }
      }
    })();
  };
}

/** Outputs of the hijacked stream: raw with a TTY, else demultiplexed into stdout and stderr. */
function outputs(raw: Duplex, req: StreamRequest): Pick<ContainerStreams, 'stdout' | 'stderr'> {
  if (req.tty) return { stdout: raw };
  const out: Pick<ContainerStreams, 'stdout' | 'stderr'> = {};
  if (req.stdout) out.stdout = raw.pipe(new Demuxer([1]));
  if (req.stderr) out.stderr = raw.pipe(new Demuxer([2]));
  if (!req.stdout && !req.stderr) raw.resume();
  return out;
}

/** Resolves when the engine's side of the stream is over ('close' too: a hijacked socket may skip 'end'). */
function ended(raw: Readable): Promise<void> {
  return Promise.race([once(raw, 'end'), once(raw, 'close')]).then(
    () => undefined,
    () => undefined,
  );
}

export async function execInteractive(
  docker: DockerClient,
  run: Run,
  id: string,
  command: string[],
  req: StreamRequest,
): Promise<ContainerStreams> {
  const { execId, stream } = await run(() =>
    docker.execStartInteractive(id, {
      Cmd: command,
      AttachStdin: req.stdin,
      AttachStdout: req.stdout,
      AttachStderr: req.stderr && !req.tty,
      Tty: req.tty,
    }),
  );
  const done = ended(stream);
  return {
    ...(req.stdin ? { stdin: stream } : {}),
    ...outputs(stream, req),
    resize: resizer((w, h) => docker.execResize(execId, w, h), req.tty),
    exited: done.then(() => exitCode(docker, run, execId)),
    close: () => stream.destroy(),
  };
}

export async function attachInteractive(
  docker: DockerClient,
  id: string,
  req: StreamRequest,
): Promise<ContainerStreams> {
  const stream = await docker.attachContainer(id, { stdin: req.stdin, stdout: req.stdout, stderr: req.stderr });
  return {
    ...(req.stdin ? { stdin: stream } : {}),
    ...outputs(stream, req),
    resize: resizer((w, h) => docker.resizeContainer(id, w, h), req.tty),
    exited: ended(stream).then(() => undefined),
    close: () => stream.destroy(),
  };
}
