import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, looseDirWarning } from '../../../src/util/private-dir.js';

test('ensurePrivateDir creates the dir and its missing parents 0700', (t) => {
  const base = mkdtempSync(join(tmpdir(), 'mkl-priv-'));
  t.after(() => rmSync(base, { recursive: true }));
  const dir = join(base, 'root', 'run');
  assert.deepEqual(ensurePrivateDir(dir), {});
  assert.equal(statSync(join(base, 'root')).mode & 0o777, 0o700);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('an existing dir open to others is reported, not changed', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-priv-'));
  t.after(() => rmSync(dir, { recursive: true }));
  chmodSync(dir, 0o755);
  assert.deepEqual(ensurePrivateDir(dir), { looseMode: 0o755 });
  assert.equal(statSync(dir).mode & 0o777, 0o755);
  assert.match(looseDirWarning(dir, 0o755), /mode 0755.*chmod 700/);
});
