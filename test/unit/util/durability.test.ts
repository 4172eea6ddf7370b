// Durable state (issue #13): the resourceVersion lease continues across restarts, a
// durable write replaces a whole file, and the crash hook parses only the points it knows.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileCeiling, ResourceVersions, RV_LEASE } from '../../../src/util/resource-versions.js';
import { parseCrashSpec } from '../../../src/util/crash-point.js';
import { writeFileDurably } from '../../../src/util/durable-write.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'durability-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('durable write', () => {
  test('a durable write replaces the whole file and leaves no temporary file', (t) => {
    const dir = tempDir(t);
    const path = join(dir, 'f');
    writeFileDurably(path, `${path}.tmp`, 'old', 0o600);
    writeFileDurably(path, `${path}.tmp`, 'new content', 0o600);
    assert.equal(readFileSync(path, 'utf8'), 'new content');
    assert.deepEqual(readdirSync(dir), ['f']);
  });
});

describe('ResourceVersions across restarts', () => {
  test('a restarted counter continues above every version handed out before, storing one lease per RV_LEASE', (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'resource-version');
    let writes = 0;
    const store = fileCeiling(file);
    const counted = {
      read: store.read,
      write: (c: number) => {
        writes++;
        store.write(c);
      },
    };
    const first = new ResourceVersions(counted);
    let last = 0;
    for (let i = 0; i < RV_LEASE + 5; i++) last = Number(first.next());
    assert.equal(writes, 2, 'one durable write per lease, not per change');
    const second = new ResourceVersions(fileCeiling(file));
    assert.ok(second.startedAt >= last);
    assert.ok(Number(second.next()) > last, 'never backwards');
  });

  test('without a stored ceiling the counter starts at 0', (t) => {
    const dir = tempDir(t);
    const rvs = new ResourceVersions(fileCeiling(join(dir, 'missing')));
    assert.equal(rvs.current(), '0');
    assert.equal(rvs.next(), '1');
  });
});

describe('crash hook spec', () => {
  test('point and optional hit count; unknown points and bad counts disarm', () => {
    assert.deepEqual(parseCrashSpec('sandbox-created'), { point: 'sandbox-created', hitsLeft: 1 });
    assert.deepEqual(parseCrashSpec('container-created:2'), { point: 'container-created', hitsLeft: 2 });
    assert.equal(parseCrashSpec('no-such-point'), undefined);
    assert.equal(parseCrashSpec('sandbox-created:0'), undefined);
    assert.equal(parseCrashSpec(''), undefined);
    assert.equal(parseCrashSpec(undefined), undefined);
  });
});
