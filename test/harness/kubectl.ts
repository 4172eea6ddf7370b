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

export interface Kubectl {
  (args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<KubectlResult>;
  readonly path: string;
}

/** A kubectl bound to this agent, or undefined when kubectl is not on PATH (the test skips). */
export function kubectlFor(agent: TestAgent): Kubectl | undefined {
  const path = which('kubectl');
  if (!path || !agent.kubelet.kubeconfigPath) return undefined;
  const cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const base = ['--kubeconfig', agent.kubelet.kubeconfigPath, '--cache-dir', cache];
  const run = (args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<KubectlResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(path, [...base, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
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
