import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileIdentity, memoHash, memoKey, readBuildMemo, writeBuildMemo } from '../../../src/setup/build-memo.js';

test('the memo gives back the hash only for exactly the key it was written with', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-memo-'));
  try {
    const file = join(dir, 'memo.json');
    const key = memoKey('img', 'a', 'b');
    writeBuildMemo(file, readBuildMemo(file), 'img', key, 'sha256:1');
    writeBuildMemo(file, readBuildMemo(file), 'other', memoKey('other'), 'sha256:2');
    const memo = readBuildMemo(file);
    assert.equal(memoHash(memo, 'img', key), 'sha256:1');
    assert.equal(memoHash(memo, 'other', memoKey('other')), 'sha256:2');
    assert.equal(memoHash(memo, 'img', memoKey('img', 'a', 'c')), undefined);
    assert.equal(memoHash(memo, 'img', memoKey('img', 'ab')), undefined);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing or corrupt memo is empty, never an error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-memo-'));
  try {
    assert.deepEqual(readBuildMemo(join(dir, 'absent.json')), {});
    writeFileSync(join(dir, 'bad.json'), '{not json');
    assert.deepEqual(readBuildMemo(join(dir, 'bad.json')), {});
    writeFileSync(join(dir, 'list.json'), '[1]');
    assert.deepEqual(readBuildMemo(join(dir, 'list.json')), {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file's identity changes when it is rewritten, even with the same size", () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-memo-'));
  try {
    const f = join(dir, 'busybox');
    writeFileSync(f, 'one');
    const before = fileIdentity(f, statSync(f));
    writeFileSync(f, 'two');
    utimesSync(f, new Date(2020, 0, 1), new Date(2020, 0, 1));
    assert.notEqual(fileIdentity(f, statSync(f)), before);
    assert.notEqual(fileIdentity(join(dir, 'x'), statSync(f)), fileIdentity(f, statSync(f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
