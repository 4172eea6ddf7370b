// Small process helpers: run a command capturing output (with a fixed PATH), find a
// system tool by absolute path, and install Debian packages when `setup --install`
// asked for it (root on Debian/Ubuntu with apt-get).
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { Logger } from '../util/logger.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: string[],
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env = { ...(opts.env ?? process.env), PATH: TRUSTED_PATH };
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined;
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // A child that exits without reading its stdin closes the pipe: EPIPE is not an error of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

/** Last n non-empty lines, for error messages. */
export function tail(text: string, n = 15): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}

/**
 * The directories system tools are taken from, and the PATH they run with. Setup runs
 * as root and starts a daemon: it never takes a program from the caller's PATH, where
 * any directory the caller can write to would decide what runs as root.
 */
export const TRUSTED_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
export const TRUSTED_PATH = TRUSTED_DIRS.join(delimiter);

/** The absolute path of a system tool in the trusted directories, if one is executable. */
export function findExecutable(name: string, dirs = TRUSTED_DIRS): string | undefined {
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/**
 * Root on Debian/Ubuntu with apt-get: the only case where `minikubelet setup --install`
 * installs OS packages. Nothing else installs them (serve and run never do).
 */
export function canAptInstall(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && findExecutable('apt-get') !== undefined;
}

let updated: Promise<void> | undefined;

/** apt-get update (once per process) then install without recommends, waiting on apt's lock. */
export async function aptInstall(pkgs: string[], log: Logger): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = findExecutable('apt-get');
  if (!apt) throw new Error(`apt-get is not in ${TRUSTED_PATH}`);
  const lockOpt = ['-o', 'DPkg::Lock::Timeout=300'];
  log.info({ packages: pkgs }, `installing ${pkgs.join(' ')} with apt-get (this may take a minute)`);
  updated ??= (async () => {
    const r = await run(apt, [...lockOpt, 'update'], { env, timeoutMs: 600_000 });
    if (r.code !== 0) throw new Error(`apt-get update failed (exit ${r.code}):\n${tail(r.stdout + r.stderr)}`);
  })();
  try {
    await updated;
  } catch (e) {
    updated = undefined; // let a later call retry
    throw e;
  }
  const r = await run(apt, [...lockOpt, 'install', '-y', '--no-install-recommends', ...pkgs], {
    env,
    timeoutMs: 900_000,
  });
  if (r.code !== 0)
    throw new Error(`apt-get install ${pkgs.join(' ')} failed (exit ${r.code}):\n${tail(r.stdout + r.stderr)}`);
}
