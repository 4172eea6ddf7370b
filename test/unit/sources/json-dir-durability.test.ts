// Stored records at start (issue #13): an unreadable one is reported and set aside, a
// temporary file left by a crash before its rename is discarded.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonDir } from '../../../src/sources/json-dir.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'durability-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('JsonDir at start', () => {
  test('an unparsable record is reported and moved aside; the others load', (t) => {
    const dir = tempDir(t);
    const jd = new JsonDir<{ n: number }>(dir);
    jd.write('default/good', { n: 1 });
    const bad = `${'a'.repeat(64)}.json`;
    writeFileSync(join(dir, bad), '{"key": "default/bad", "val');
    const reported: string[] = [];
    const loaded = jd.readAll(
      (file) => reported.push(file),
      () => Date.parse('2024-05-01T10:00:00Z'),
    );
    assert.deepEqual(loaded, [{ n: 1 }]);
    assert.equal(reported.length, 1);
    assert.match(reported[0]!, /^a{64}\.json\.corrupt-2024-05-01T10-00-00-000Z$/);
    assert.ok(readdirSync(dir).includes(reported[0]!), 'the bad record is kept beside, for inspection');
    assert.ok(!readdirSync(dir).includes(bad));
    // The next start no longer trips on it.
    assert.deepEqual(
      jd.readAll(() => assert.fail('reported twice')),
      [{ n: 1 }],
    );
  });

  test('a temporary file left by a crash before its rename is discarded; the old record stands', (t) => {
    const dir = tempDir(t);
    const jd = new JsonDir<{ n: number }>(dir);
    jd.write('default/p', { n: 1 });
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, `${file}.tmp`), '{"key":"default/p","value":{"n":');
    assert.deepEqual(
      jd.readAll(() => assert.fail('a leftover temporary file is not an error')),
      [{ n: 1 }],
    );
    assert.deepEqual(readdirSync(dir), [file]);
    assert.deepEqual(jd.read('default/p'), { n: 1 });
  });
});
