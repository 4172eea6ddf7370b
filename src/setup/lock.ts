// An exclusive lock file serialising concurrent engine starters (two dockerds racing
// each other unlink each other's sockets). Node has no flock(2), so: create the file
// atomically WITH the owner's pid already inside (write a temp file, then link(2), which
// fails when the lock exists), and take over a lock whose owner pid is no longer alive.
// The descriptor is closed at once, so a daemon we spawn cannot inherit it.
import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAlive, parsePid, sleep } from './procfs.js';

export interface LockOptions {
  timeoutMs?: number;
  pollMs?: number;
  /** Liveness test for the recorded owner; replaceable in tests. */
  isOwnerAlive?: (pid: number) => boolean;
  /** Recorded as owner; defaults to this process. */
  pid?: number;
}

export type Release = () => Promise<void>;

export async function acquireLock(path: string, opts: LockOptions = {}): Promise<Release> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const pollMs = opts.pollMs ?? 100;
  const alive = opts.isOwnerAlive ?? isAlive;
  const pid = opts.pid ?? process.pid;
  const deadline = Date.now() + timeoutMs;
  const tmp = `${path}.${pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(tmp, `${pid}\n`, { mode: 0o644 });
  try {
    for (;;) {
      try {
        await fs.link(tmp, path);
        return async () => {
          // Only remove the lock if it is still ours.
          const owner = parsePid(await fs.readFile(path, 'utf8').catch(() => ''));
          if (owner === pid) await fs.unlink(path).catch(() => undefined);
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const content = await fs.readFile(path, 'utf8').catch(() => undefined);
      if (content !== undefined) {
        const owner = parsePid(content);
        // An unparseable lock cannot have a live owner: the content is written before the link.
        if (owner === undefined || !alive(owner)) await takeOverStale(path, owner);
        else if (Date.now() >= deadline) {
          throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${path} held by pid ${owner}`);
        } else await sleep(pollMs);
      }
    }
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
}

/**
 * Removes a stale lock. Rename first, then check that what we moved is still the stale
 * one: if another starter replaced it in between, link it back instead of stealing it.
 */
async function takeOverStale(path: string, stalePid: number | undefined): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  const moved = parsePid(await fs.readFile(aside, 'utf8').catch(() => ''));
  if (moved !== stalePid) await fs.link(aside, path).catch(() => undefined);
  await fs.unlink(aside).catch(() => undefined);
}
