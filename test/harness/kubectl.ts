// Runs the real kubectl against a test agent, the way a user would: the agent's own
// kubeconfig, and a fresh cache dir per agent (kubectl caches discovery and OpenAPI).
// Asynchronously: the agent usually runs in the test's own process, and a synchronous
// spawn would block the event loop that has to answer kubectl.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestAgent } from './agent.js';
import { which } from './which.js';

export interface KubectlResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  input?: string;
  timeoutMs?: number;
  /** Added to the test process's environment (e.g. EDITOR for `kubectl edit`). */
  env?: NodeJS.ProcessEnv;
}

export interface Kubectl {
  (args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
  readonly path: string;
}

/** A kubectl bound to this agent, or undefined when kubectl is not on PATH (the test skips). */
export function kubectlFor(agent: TestAgent): Kubectl | undefined {
  return agent.kubelet.kubeconfigPath ? kubectlForKubeconfig(agent.kubelet.kubeconfigPath) : undefined;
}

/** A kubectl bound to a kubeconfig file, e.g. of an agent running in a container. */
export function kubectlForKubeconfig(kubeconfig: string): Kubectl | undefined {
  const path = which('kubectl');
  if (!path) return undefined;
  const cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', cache];
  const run = (args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> =>
    new Promise((resolve, reject) => {
      const env = opts.env ? { ...process.env, ...opts.env } : process.env;
      const child = spawn(path, [...base, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.once('error', reject);
      child.once('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
      child.stdin.end(opts.input ?? '');
    });
  return Object.assign(run, { path });
}

export const NO_KUBECTL = 'kubectl not found on PATH: install kubectl (Debian: kubernetes-client) to run this test';

/** A long-running kubectl (`get -w`, `logs -f`, `events --watch`): read its output as it comes, then stop it. */
export interface KubectlProcess {
  /** Everything printed to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches `re` (rejects after timeoutMs or when kubectl exits first). */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Ends kubectl (SIGTERM) and resolves with its exit status. */
  stop(): Promise<number | null>;
}

export function spawnKubectl(k: Kubectl, agent: TestAgent, args: string[]): KubectlProcess {
  return spawnKubectlWith(k, agent.kubelet.kubeconfigPath!, args);
}

export function spawnKubectlWith(k: Kubectl, kubeconfig: string, args: string[]): KubectlProcess {
  const cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const child = spawn(k.path, ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let exited: number | null | undefined;
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of waiters) w();
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    poke();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const closed = new Promise<number | null>((resolve) =>
    child.once('close', (status) => {
      exited = status;
      poke();
      resolve(status);
    }),
  );
  return {
    stdout: () => out,
    stderr: () => err,
    waitForOutput: (re, timeoutMs = 60_000) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (re.test(out)) done(() => resolve(out));
          else if (exited !== undefined) done(() => reject(new Error(`kubectl exited ${exited}: ${err}\n${out}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`no ${re} in kubectl output after ${timeoutMs} ms:\n${out}\n${err}`))),
          timeoutMs,
        );
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      }),
    stop: () => {
      if (exited === undefined) child.kill('SIGTERM');
      return closed;
    },
  };
}
