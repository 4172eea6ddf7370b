// `minikubelet serve` as a child process on a given root dir, for tests that kill the
// agent (the crash hook MINIKUBELET_CRASH_AT, see src/util/crash-point.ts) and start it
// again on the same state. The client comes from the kubeconfig the process writes
// once it listens (its CA and token), as kubectl would get them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from '../../src/client/api-client.js';
import { resolveKubeconfig } from '../../src/client/kubeconfig.js';
import { CRASH_ENV } from '../../src/util/crash-point.js';
import { waitFor } from './wait.js';

const CLI = new URL('../../cmd/minikubelet.js', import.meta.url).pathname;

export interface ServeProcess {
  client: ApiClient;
  agentId: string;
  /** Resolves when the process ends: its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the process wrote (for failure messages). */
  output(): string;
  /** SIGTERM (pods keep running) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9: nothing runs on the way out) and wait for the exit. */
  kill(): Promise<void>;
}

export async function startServe(
  rootDir: string,
  opts: { crashAt?: string; manifests?: string; args?: string[] } = {},
): Promise<ServeProcess> {
  const kubeconfig = join(rootDir, 'kubeconfig');
  // The previous process's kubeconfig names its port: wait for this one's.
  rmSync(kubeconfig, { force: true });
  const env = { ...process.env };
  delete env[CRASH_ENV];
  if (opts.crashAt) env[CRASH_ENV] = opts.crashAt;
  const args = [
    CLI,
    'serve',
    '--root-dir',
    rootDir,
    '--listen',
    '127.0.0.1:0',
    '--node-name',
    'test-node',
    '--crash-loop-backoff-base',
    '1s',
    '--crash-loop-backoff-max',
    '4s',
    '--image-credentials',
    '',
    '--log-level',
    'warn',
    ...(opts.manifests ? ['--manifests', opts.manifests] : []),
    ...(opts.args ?? []),
  ];
  const proc: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString('utf8');
  });
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    }),
  );
  try {
    await waitFor(
      'the agent to write its kubeconfig',
      () => {
        if (ended) throw new Error(`serve exited (${JSON.stringify(ended)}): ${out}`);
        return existsSync(kubeconfig);
      },
      60_000,
      100,
    );
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  const client = ApiClient.fromKubeconfig(resolveKubeconfig({ kubeconfig }));
  return {
    client,
    agentId: readFileSync(join(rootDir, 'agent-id'), 'utf8').trim(),
    exited,
    output: () => out,
    async stop() {
      await client.close();
      if (!ended) proc.kill('SIGTERM');
      await exited;
    },
    async kill() {
      await client.close();
      if (!ended) proc.kill('SIGKILL');
      await exited;
    },
  };
}
