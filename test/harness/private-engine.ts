// A private Docker engine for tests that stop and start the engine (issue #13 engine
// faults): the shared engine other tests use is never touched. Its own socket,
// data-root, exec-root, pidfile and a bridge of its own, pre-created: a second dockerd
// with `--bridge none` would delete the shared docker0 (/work/shared/docs/environment.md),
// and with the default bridge it would fight over docker0. The local images are loaded
// into it from the shared engine (no registry is reachable here).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { waitFor } from './wait.js';

const run = promisify(execFile);

export interface PrivateEngine {
  /** unix:///…/docker.sock, for the agent's dockerHost option. */
  readonly host: string;
  readonly docker: Dockerode;
  /** Stop dockerd (SIGTERM) and wait until it and its containerd have exited. */
  stop(): Promise<void>;
  /** Start dockerd again on the same directories; resolves once its API answers. */
  start(): Promise<void>;
  /** Stop it, unmount what it left under its directory, remove the directory and the bridge. */
  cleanup(): Promise<void>;
}

export interface PrivateEngineOptions {
  /** Images copied from the shared engine (docker save | docker load). */
  images: string[];
  /** The bridge's address (CIDR), distinct from docker0 and from any pod network in use. */
  bridgeCidr: string;
}

/** Starts a private dockerd; throws with the tail of its log when it cannot start. */
export async function startPrivateEngine(opts: PrivateEngineOptions): Promise<PrivateEngine> {
  const dir = mkdtempSync('/tmp/mkl-d');
  const bridge = `mkl${dir
    .slice(-6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const docker = new Dockerode({ socketPath: socket });
  await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
  await run('ip', ['addr', 'add', opts.bridgeCidr, 'dev', bridge]);
  await run('ip', ['link', 'set', bridge, 'up']);
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const log = openSync(join(dir, 'dockerd.log'), 'a');
    const args = [
      `--host=${host}`,
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'docker.pid')}`,
      `--bridge=${bridge}`,
      '--iptables=false',
      '--ip-masq=false',
      // Containers that ignore SIGTERM (sleep as PID 1) are killed after 2 s, not 10.
      '--shutdown-timeout=2',
    ];
    const proc = spawn('dockerd', args, { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    try {
      await waitFor('the private dockerd to answer', () => docker.ping().then(() => true), 30_000, 100);
    } catch (err) {
      throw new Error(`private dockerd did not start: ${(err as Error).message}\n${logTail(dir)}`);
    }
  };

  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const containerdPid = readPid(join(dir, 'exec', 'containerd', 'containerd.pid'));
    child.kill('SIGTERM');
    await exited;
    // Its containerd must be gone too before a new dockerd starts on the same exec-root.
    if (containerdPid) await waitFor('the private containerd to exit', () => !isAlive(containerdPid), 30_000, 100);
  };

  await start();
  const engine: PrivateEngine = {
    host,
    docker,
    stop,
    start,
    async cleanup() {
      await stop();
      await unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true });
      await run('ip', ['link', 'del', bridge]).catch(() => undefined);
    },
  };
  try {
    await run('sh', ['-c', `docker save ${opts.images.join(' ')} | docker -H ${host} load`]);
  } catch (err) {
    await engine.cleanup();
    throw err;
  }
  return engine;
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Running, not a zombie (kill -0 succeeds on zombies). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Deepest first, lazily: a recursive delete must never walk into a live mount. */
async function unmountUnder(dir: string): Promise<void> {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) await run('umount', ['-l', m]).catch(() => undefined);
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}
