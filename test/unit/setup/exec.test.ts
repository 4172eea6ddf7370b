// System tools come from the system directories, never from the caller's PATH.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, run, TRUSTED_DIRS, TRUSTED_PATH } from '../../../src/setup/exec.js';

test('findExecutable ignores a directory put first on PATH', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-path-'));
  const saved = process.env.PATH;
  t.after(() => {
    process.env.PATH = saved;
    rmSync(dir, { recursive: true });
  });
  writeFileSync(join(dir, 'sh'), '#!/bin/sh\necho evil\n');
  chmodSync(join(dir, 'sh'), 0o755);
  process.env.PATH = `${dir}:${saved ?? ''}`;
  const found = findExecutable('sh');
  assert.ok(found && TRUSTED_DIRS.some((d) => found === join(d, 'sh')), found);
  assert.equal(findExecutable('no-such-tool-mkl'), undefined);
});

test('run gives the child the fixed PATH, whatever the caller had', async () => {
  const sh = findExecutable('sh')!;
  const r = await run(sh, ['-c', 'echo "$PATH"'], { env: { ...process.env, PATH: '/tmp/evil' } });
  assert.equal(r.stdout.trim(), TRUSTED_PATH);
});
