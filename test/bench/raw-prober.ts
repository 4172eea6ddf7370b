// The raw baseline of the steady-state case: the same probes the agent runs (an exec,
// a TCP connect and an HTTP GET per pod, each on its own fixed-rate timer with a random
// first offset), made the leanest way there is — dockerode over a keep-alive connection
// for the exec (create, hijacked start, inspect), net.connect, and http.get without an
// agent. Nothing else: no status, no events, no PLEG. Run as its own process
// (`node raw-prober.js <targets.json>`) so its CPU is read from /proc like the agent's.
// The exec and the GET leave their own marks in the pods (raw-exec.log, cgi-bin/r →
// raw-http.log), so its timing is measured the same way as the agent's.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get } from 'node:http';
import { connect } from 'node:net';
import Dockerode from 'dockerode';
import { engineAgent } from '../../src/runtime/docker-client.js';
import { RAW_EXEC_LOG, RAW_HTTP_PATH } from './pods.js';

export interface RawProbeTarget {
  execContainerId: string;
  ip: string;
  tcpPort: number;
  httpPort: number;
}
export interface RawProberConfig {
  periodS: number;
  targets: RawProbeTarget[];
}

/** Dockerode on the agent's own keep-alive connection setup, so only the work on top differs. */
function engine(): Dockerode {
  return new Dockerode({ agent: engineAgent() } as Dockerode.DockerOptions);
}

async function execProbe(docker: Dockerode, id: string): Promise<void> {
  const exec = await docker
    .getContainer(id)
    .exec({ Cmd: ['sh', '-c', `cat /proc/uptime >> ${RAW_EXEC_LOG}`], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  await new Promise((r) => {
    stream.on('end', r);
    stream.on('close', r);
    stream.resume();
  });
  await exec.inspect();
}

function tcpProbe(ip: string, port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect(port, ip);
    s.once('connect', () => {
      s.destroy();
      resolve();
    });
    s.once('error', () => resolve());
  });
}

function httpProbe(ip: string, port: number): Promise<void> {
  return new Promise((resolve) => {
    get({ host: ip, port, path: RAW_HTTP_PATH, agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', () => resolve());
  });
}

/** Fixed-rate: the n-th run is due at first + n·period, however long runs take. */
function every(periodMs: number, fn: () => Promise<void>): void {
  const first = performance.now() + Math.random() * periodMs;
  let n = 0;
  const tick = () => {
    void fn().catch(() => undefined);
    n++;
    setTimeout(tick, Math.max(0, first + n * periodMs - performance.now()));
  };
  setTimeout(tick, first - performance.now());
}

function main(): void {
  const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as RawProberConfig;
  const docker = engine();
  const ms = cfg.periodS * 1000;
  for (const t of cfg.targets) {
    every(ms, () => execProbe(docker, t.execContainerId));
    every(ms, () => tcpProbe(t.ip, t.tcpPort));
    every(ms, () => httpProbe(t.ip, t.httpPort));
  }
  process.once('SIGTERM', () => process.exit(0));
}

/** Run the raw prober as a child process while fn runs (fn gets its pid); then stop it. */
export async function withRawProber<T>(
  targets: RawProbeTarget[],
  periodS: number,
  fn: (pid: number) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-bench-rawprober-'));
  const cfgFile = join(dir, 'targets.json');
  writeFileSync(cfgFile, JSON.stringify({ periodS, targets } satisfies RawProberConfig));
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), cfgFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    return await fn(child.pid!);
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
