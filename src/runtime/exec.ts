// execCommand for exec probes and hooks (the CRI's ExecSync; asynchronous here, the name
// says what it does rather than echo Node's *Sync): run a command in a running container
// and collect its combined output. On timeout we stop waiting; the engine has no way to
// kill an exec'd process, so it may keep running (the kubelet behaves the same).
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { DockerClient } from './docker-client.js';
import { Demuxer } from './demux.js';
import type { Run } from './relist.js';
import type { ExecResult } from './runtime.js';

/** The kubelet reads at most 10 KiB of probe output. */
export const MAX_EXEC_OUTPUT = 10 * 1024;
/** exitCode reported when we gave up waiting (there is no real one). */
export const EXEC_TIMEOUT_EXIT_CODE = -1;

export async function execCommand(
  docker: DockerClient,
  run: Run,
  id: string,
  command: string[],
  timeoutMs: number,
): Promise<ExecResult> {
  const { execId, stream } = await run(() =>
    docker.execStart(id, { Cmd: command, AttachStdout: true, AttachStderr: true }),
  );
  const raw = stream as Readable;
  const chunks: Buffer[] = [];
  let size = 0;
  const out = raw.pipe(new Demuxer());
  out.on('data', (b: Buffer) => {
    if (size >= MAX_EXEC_OUTPUT) return;
    const part = b.subarray(0, MAX_EXEC_OUTPUT - size);
    chunks.push(part);
    size += part.length;
  });
  const output = () => Buffer.concat(chunks).toString('utf8');

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs));
  });
  // 'close' too: the hijacked socket may close without a clean 'end'.
  const finished = Promise.race([once(out, 'end'), once(raw, 'close')]).then(
    () => 'done' as const,
    () => 'done' as const,
  );
  const outcome = await Promise.race([finished, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    raw.destroy();
    return { exitCode: EXEC_TIMEOUT_EXIT_CODE, output: output(), timedOut: true };
  }
  return { exitCode: await exitCode(docker, run, execId), output: output(), timedOut: false };
}

/** The output stream can close a moment before the engine records the exit code. */
export async function exitCode(docker: DockerClient, run: Run, execId: string): Promise<number> {
  for (let i = 0; ; i++) {
    const r = await run(() => docker.execExitCode(execId));
    if (!r.running && r.exitCode !== null) return r.exitCode;
    if (i >= 50) throw new Error(`exec ${execId.slice(0, 12)}: no exit code after its output ended`);
    await new Promise((res) => setTimeout(res, 20));
  }
}
