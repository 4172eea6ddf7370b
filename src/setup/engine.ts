// Finds a Docker engine that answers, and on the default local socket starts (or, as
// root on Debian, installs and starts) dockerd when none does. Quick and idempotent
// when the engine already runs: one GET /version.
import { spawn } from 'node:child_process';
import { closeSync, fchmodSync, openSync, promises as fs, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensurePrivateDir } from '../util/private-dir.js';
import type { Logger } from '../util/logger.js';
import { engineVersion, type EngineVersion } from './api-ping.js';
import { isDefaultLocalSocket, resolveDockerHost, type EngineAddress } from '../util/docker-host.js';
import { aptInstall, canAptInstall, findExecutable, tail } from './exec.js';
import { acquireLock } from './lock.js';
import { isAlive, processName, processState, readPidFile, sleep, waitGone } from './procfs.js';

export interface EnsureEngineOptions {
  dockerHost?: string;
  log: Logger;
  /** Allow `apt-get install docker.io` when dockerd is missing (`setup --install`; root on Debian only). Default false. */
  install?: boolean;
  /** The root dir: a dockerd we start logs to `dockerd.log` there (0600). */
  rootDir: string;
  /** Bound on waiting for a started engine's API. Default 30 s. */
  timeoutMs?: number;
}

export interface EngineInfo {
  socketPath?: string;
  dockerHost: string;
  started: boolean;
  version: string;
  apiVersion: string;
}

// dockerd's defaults for the default socket; we never pass other paths, so these are its.
const DOCKERD_PIDFILE = '/var/run/docker.pid';
const CONTAINERD_PIDFILE = '/var/run/docker/containerd/containerd.pid';
const LOCK_FILE = '/var/run/minikubelet-dockerd.lock';

/** Where a dockerd we start logs: under the private root dir, never a guessable /tmp name. */
export function dockerdLogPath(rootDir: string): string {
  return join(rootDir, 'dockerd.log');
}

export async function ensureEngine(opts: EnsureEngineOptions): Promise<EngineInfo> {
  const { log } = opts;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const addr = resolveDockerHost(opts.dockerHost);
  let firstErr: Error;
  try {
    return info(addr, await engineVersion(addr, 2000), false);
  } catch (e) {
    firstErr = e as Error;
  }
  const code = (firstErr as NodeJS.ErrnoException).code;
  if (code === 'EACCES') {
    throw new Error(`permission denied on ${addr.dockerHost}: run as root, or add your user to the "docker" group`);
  }
  if (!isDefaultLocalSocket(addr)) {
    throw new Error(
      `the Docker engine at ${addr.dockerHost} does not answer (${firstErr.message}): start it, or point DOCKER_HOST / --docker-host at a running engine`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `no Docker engine answers on ${addr.dockerHost} (${firstErr.message}): start Docker (e.g. \`sudo systemctl start docker\` or \`sudo dockerd &\`), run minikubelet setup as root so it can start it, or set DOCKER_HOST`,
    );
  }
  log.info({ reason: firstErr.message }, 'Docker engine not answering on the default socket; starting dockerd');
  let dockerd = findExecutable('dockerd');
  if (!dockerd) {
    if (opts.install !== true || !canAptInstall()) {
      throw new Error(
        'dockerd is not installed: install Docker (Debian/Ubuntu: `apt-get install docker.io`, or `minikubelet setup --install` as root) and start it, or set DOCKER_HOST to a running engine',
      );
    }
    await aptInstall(['docker.io'], log);
    dockerd = findExecutable('dockerd');
    if (!dockerd) throw new Error('installed docker.io but dockerd is still not in the system directories');
  }
  return startDockerd(dockerd, addr, log, timeoutMs, dockerdLogPath(opts.rootDir));
}

function info(addr: EngineAddress, v: EngineVersion, started: boolean): EngineInfo {
  const r: EngineInfo = { dockerHost: addr.dockerHost, started, version: v.version, apiVersion: v.apiVersion };
  if (addr.kind === 'unix') r.socketPath = addr.socketPath;
  return r;
}

async function startDockerd(
  dockerd: string,
  addr: EngineAddress,
  log: Logger,
  timeoutMs: number,
  logPath: string,
): Promise<EngineInfo> {
  // Serialise starters: a second dockerd unlinks the first one's sockets.
  const release = await acquireLock(LOCK_FILE, { timeoutMs: timeoutMs + 30_000 });
  try {
    // Whoever held the lock before us may have started it already.
    const ready = await engineVersion(addr, 2000).catch(() => undefined);
    if (ready) return info(addr, ready, false);

    const deadline = Date.now() + timeoutMs;
    const pid = readPidFile(DOCKERD_PIDFILE);
    if (pid !== undefined && isAlive(pid) && processName(pid) === 'dockerd') {
      // Never start a second one next to a live dockerd (nor delete its pidfile): wait for it.
      log.info({ dockerdPid: pid }, 'dockerd is running but not answering yet; waiting for it');
      const v = await waitForApi(addr, deadline, () => isAlive(pid));
      if (v) return info(addr, v, false);
      throw new Error(
        `dockerd (pid ${pid}) runs but its API on ${addr.dockerHost} did not answer within ${timeoutMs} ms; last lines of ${logPath}:\n${await logTail(logPath, 0)}`,
      );
    }
    await clearStalePid(DOCKERD_PIDFILE, 'dockerd', log);
    await clearStalePid(CONTAINERD_PIDFILE, 'containerd', log);

    ensurePrivateDir(dirname(logPath));
    const offset = (await fs.stat(logPath).catch(() => undefined))?.size ?? 0;
    const fd = openSync(logPath, 'a', 0o600);
    fchmodSync(fd, 0o600);
    writeSync(fd, `--- minikubelet: starting ${dockerd} at ${new Date().toISOString()}\n`);
    let exited: string | undefined;
    try {
      // Detached in its own session with stdio on the log file, so it outlives us and
      // holds none of our descriptors (Node opens everything close-on-exec).
      const child = spawn(dockerd, [], { detached: true, stdio: ['ignore', fd, fd], cwd: '/' });
      child.on('exit', (code, sig) => {
        exited = sig ? `signal ${sig}` : `exit code ${code}`;
      });
      child.on('error', (e) => {
        exited = e.message;
      });
      child.unref();
      log.info({ dockerdPid: child.pid, log: logPath }, 'started dockerd');
    } finally {
      closeSync(fd);
    }
    const v = await waitForApi(addr, deadline, () => exited === undefined);
    if (v) {
      log.info({ version: v.version, apiVersion: v.apiVersion }, 'Docker engine is up');
      return info(addr, v, true);
    }
    const why = exited ? `dockerd exited (${exited})` : `dockerd did not answer within ${timeoutMs} ms`;
    throw new Error(`${why}; last lines of ${logPath}:\n${await logTail(logPath, offset)}`);
  } finally {
    await release();
  }
}

/** Polls GET /version until it answers, the deadline passes, or the daemon is gone. */
async function waitForApi(
  addr: EngineAddress,
  deadline: number,
  stillRunning: () => boolean,
): Promise<EngineVersion | undefined> {
  for (;;) {
    const v = await engineVersion(addr, 1000).catch(() => undefined);
    if (v) return v;
    // One last try after the daemon is gone: another starter's engine may answer.
    if (!stillRunning()) return engineVersion(addr, 1000).catch(() => undefined);
    if (Date.now() >= deadline) return undefined;
    await sleep(150);
  }
}

/**
 * Removes a pidfile that would stop or confuse a new start: its pid gone, a zombie, or
 * reused by another program. A zombie or dying process is waited out first: restarting
 * inside that window makes dockerd time out waiting for containerd. A live process of
 * the expected name is left alone (dockerd reuses a live containerd).
 */
async function clearStalePid(path: string, name: string, log: Logger): Promise<void> {
  const pid = readPidFile(path);
  if (pid === undefined) return;
  if (processState(pid) !== undefined && !isAlive(pid)) {
    log.info({ oldPid: pid, name }, 'waiting for the previous process to disappear');
    if (!(await waitGone(pid, 10_000)))
      log.warn({ oldPid: pid, name }, 'previous process still a zombie; starting anyway');
  }
  if (isAlive(pid) && processName(pid) === name) return;
  log.debug({ path, oldPid: pid }, 'removing stale pidfile');
  await fs.unlink(path).catch(() => undefined);
}

async function logTail(path: string, offset: number): Promise<string> {
  try {
    const buf = await fs.readFile(path);
    const text = buf.subarray(Math.min(offset, buf.length)).toString('utf8');
    return tail(text, 20) || '(empty)';
  } catch {
    return '(log unreadable)';
  }
}
