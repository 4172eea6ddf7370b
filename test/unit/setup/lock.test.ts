import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../../../src/setup/lock.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'mk-lock-'));

test('acquire writes our pid, release removes the lock and leaves no temp files', async () => {
  const d = dir();
  const p = join(d, 'l');
  const release = await acquireLock(p);
  assert.equal(readFileSync(p, 'utf8').trim(), String(process.pid));
  await release();
  assert.equal(existsSync(p), false);
  assert.deepEqual(readdirSync(d), []);
});

test('a live holder makes others wait, then time out', async () => {
  const p = join(dir(), 'l');
  writeFileSync(p, '4242\n');
  await assert.rejects(acquireLock(p, { timeoutMs: 200, pollMs: 20, isOwnerAlive: () => true }), /held by pid 4242/);
  assert.equal(readFileSync(p, 'utf8').trim(), '4242');
});

test('a lock whose owner is dead is taken over', async () => {
  const p = join(dir(), 'l');
  writeFileSync(p, '4242\n');
  const release = await acquireLock(p, { timeoutMs: 200, isOwnerAlive: (pid) => pid !== 4242 });
  assert.equal(readFileSync(p, 'utf8').trim(), String(process.pid));
  await release();
});

test('a lock with garbage content is taken over (real liveness check)', async () => {
  const p = join(dir(), 'l');
  writeFileSync(p, 'not a pid');
  const release = await acquireLock(p, { timeoutMs: 200 });
  await release();
});

test('a pid that no longer exists is stale (real liveness check)', async () => {
  const p = join(dir(), 'l');
  writeFileSync(p, '4194303\n'); // above any pid_max default in use; never running
  const release = await acquireLock(p, { timeoutMs: 500 });
  await release();
});

test('release does not remove a lock that another owner now holds', async () => {
  const p = join(dir(), 'l');
  const release = await acquireLock(p);
  writeFileSync(p, '4242\n');
  await release();
  assert.equal(readFileSync(p, 'utf8').trim(), '4242');
});

test('concurrent acquirers are mutually exclusive', async () => {
  const p = join(dir(), 'l');
  let inside = 0;
  let maxInside = 0;
  let n = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      // Distinct owner pids that all count as alive, as separate processes would.
      const release = await acquireLock(p, {
        pid: 1_000_000 + i,
        isOwnerAlive: () => true,
        pollMs: 5,
        timeoutMs: 5000,
      });
      inside++;
      maxInside = Math.max(maxInside, inside);
      // Not a wait: hold the lock across several of the others' polls (pollMs 5).
      await new Promise((r) => setTimeout(r, 10));
      n++;
      inside--;
      await release();
    }),
  );
  assert.equal(maxInside, 1);
  assert.equal(n, 8);
  assert.equal(existsSync(p), false);
});
