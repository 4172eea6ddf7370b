import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Payload, writePayload } from '../../../src/runtime/atomic-writer.js';

function payload(entries: Record<string, string>, mode = 0o644): Payload {
  return new Map(Object.entries(entries).map(([k, v]) => [k, { data: Buffer.from(v), mode }]));
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-atomic-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const timestamped = (dir: string) => readdirSync(dir).filter((n) => /^\.\.\d{4}_\d\d_\d\d_/.test(n));

describe('atomic writer (atomic_writer.go layout)', () => {
  test('writes a timestamped dir, a ..data link to it and one link per top-level key', () =>
    withDir((dir) => {
      assert.equal(writePayload(dir, payload({ a: 'A', 'sub/b': 'B' }), new Date('2026-12-02T07:30:00.5Z')), true);
      const [ts] = timestamped(dir);
      assert.match(ts!, /^\.\.2026_12_02_07_30_00\.500/);
      assert.equal(readlinkSync(join(dir, '..data')), ts);
      assert.equal(readlinkSync(join(dir, 'a')), '..data/a');
      assert.equal(readlinkSync(join(dir, 'sub')), '..data/sub');
      assert.equal(readFileSync(join(dir, 'sub', 'b'), 'utf8'), 'B');
      assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o644);
    }));

  test('an update swaps ..data, removes the old dir and the links of vanished keys', () =>
    withDir((dir) => {
      writePayload(dir, payload({ a: 'A', gone: 'G' }));
      const [old] = timestamped(dir);
      assert.equal(writePayload(dir, payload({ a: 'A2' }, 0o400)), true);
      const now = timestamped(dir);
      assert.equal(now.length, 1);
      assert.notEqual(now[0], old);
      assert.equal(readFileSync(join(dir, 'a'), 'utf8'), 'A2');
      assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o400);
      assert.throws(() => lstatSync(join(dir, 'gone')), /ENOENT/);
      assert.throws(() => lstatSync(join(dir, '..data_tmp')), /ENOENT/);
    }));

  test('an unchanged payload writes nothing', () =>
    withDir((dir) => {
      writePayload(dir, payload({ a: 'A' }));
      const [before] = timestamped(dir);
      assert.equal(writePayload(dir, payload({ a: 'A' })), false);
      assert.deepEqual(timestamped(dir), [before]);
      assert.equal(writePayload(dir, payload({ a: 'A' }, 0o600)), true, 'a mode change is a change');
    }));

  test('paths that leave the volume or use reserved names are refused before anything is written', () =>
    withDir((dir) => {
      for (const bad of ['../escape', '/abs', 'x/../../y', '..data', 'a//b', '']) {
        assert.throws(() => writePayload(dir, payload({ ok: '1', [bad]: 'x' })), /invalid path/, bad);
      }
      assert.deepEqual(readdirSync(dir), []);
    }));
});
