// The agent under test. The benchmark runs it as its own process (`minikubelet serve`)
// so its CPU and RSS can be read from /proc without counting the benchmark's own work;
// the smoke test may hand in an in-process agent instead (no process figures then).
import { removeAgentRoot } from '../harness/agent.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../src/client/api-client.js';
import { resolveKubeconfig } from '../../src/client/kubeconfig.js';
import { sleep } from './stats.js';

export interface BenchAgent {
  client: ApiClient;
  /** The io.minikubelet.agent label value of the agent's containers. */
  agentId: string;
  /** PID of a separate agent process, if it is one. */
  pid?: number;
  logFile?: string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  agentId: string;
  /** Path of the built CLI (dist/cmd/minikubelet.js). */
  cli: string;
  /** Extra node flags (e.g. --cpu-prof, --heapsnapshot-signal=SIGUSR2). */
  nodeFlags?: string[];
  logLevel?: string;
  /** Directory for profiles and the agent's log (kept); default: inside the root dir (removed). */
  keepDir?: string;
  /** `serve --pod-network-driver` (default: the agent's own choice). */
  podNetworkDriver?: string;
}

/** Start `minikubelet serve` with a fresh root dir whose agent id we choose (for cleanup by label). */
export async function spawnAgent(o: SpawnOptions): Promise<BenchAgent> {
  const rootDir = mkdtempSync(join(tmpdir(), 'mkl-bench-'));
  writeFileSync(join(rootDir, 'agent-id'), `${o.agentId}\n`, { mode: 0o600 });
  const outDir = o.keepDir ?? rootDir;
  mkdirSync(outDir, { recursive: true });
  const logFile = join(outDir, 'agent.log');
  const fd = openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(o.nodeFlags ?? []),
      o.cli,
      'serve',
      '--root-dir',
      rootDir,
      '--listen',
      '127.0.0.1:0',
      '--node-name',
      'bench-node',
      '--log-level',
      o.logLevel ?? 'info',
      ...(o.podNetworkDriver ? ['--pod-network-driver', o.podNetworkDriver] : []),
    ],
    { stdio: ['ignore', fd, fd], cwd: outDir, env: { ...process.env, MINIKUBELET_LOG_LEVEL: o.logLevel ?? 'info' } },
  );
  closeSync(fd);
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  const kubeconfig = join(rootDir, 'kubeconfig');
  const deadline = Date.now() + 60_000;
  let server: string | undefined;
  while (!server) {
    if (exited) throw new Error(`agent exited at start; log ${logFile}:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`agent did not serve within 60 s; log:\n${tail(logFile)}`);
    }
    if (existsSync(kubeconfig)) server = resolveKubeconfig({ kubeconfig }).server;
    if (!server) await sleep(50);
  }
  const client = ApiClient.fromKubeconfig(resolveKubeconfig({ kubeconfig }));
  return {
    client,
    agentId: o.agentId,
    pid: child.pid!,
    logFile,
    async stop() {
      await client.close();
      if (!exited) {
        child.kill('SIGTERM');
        await Promise.race([exit, sleep(10_000)]);
        if (!exited) {
          child.kill('SIGKILL');
          await exit;
        }
      }
      // API pods keep their tmpfs service-account volumes mounted after a SIGTERM.
      await removeAgentRoot(rootDir);
    },
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

/** CPU seconds (user + system) and RSS of a process, from /proc. */
export interface ProcSample {
  t: number;
  cpuSeconds: number;
  rssBytes: number;
}

const CLK_TCK = 100; // sysconf(_SC_CLK_TCK) on Linux/x86-64 and arm64

export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may contain spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(f[11]) + Number(f[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return { t: performance.now(), cpuSeconds: ticks / CLK_TCK, rssBytes: rssKb * 1024 };
}

/** A quiet RSS reading: the median of a few samples, after a pause. */
export async function settledRss(pid: number, settleMs = 3000, samples = 5): Promise<number> {
  await sleep(settleMs);
  const xs: number[] = [];
  for (let i = 0; i < samples; i++) {
    xs.push(sampleProc(pid).rssBytes);
    await sleep(200);
  }
  xs.sort((a, b) => a - b);
  return xs[xs.length >> 1]!;
}
