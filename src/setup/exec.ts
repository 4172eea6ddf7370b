// Small process helpers: run a command capturing output, find an executable, and
// install Debian packages when that is allowed (root on Debian/Ubuntu with apt-get).
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
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
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

/** PATH lookup, plus sbin directories that a non-login root PATH may lack. */
export function findExecutable(
  name: string,
  extraDirs = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'],
): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
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

/** Root on Debian/Ubuntu with apt-get: the only case where we install OS packages ourselves. */
export function canAptInstall(): boolean {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && findExecutable('apt-get') !== undefined;
}

let updated: Promise<void> | undefined;

/** apt-get update (once per process) then install without recommends, waiting on apt's lock. */
export async function aptInstall(pkgs: string[], log: Logger): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = findExecutable('apt-get') ?? 'apt-get';
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
