// ObjectStore: replace (PUT) semantics, persist-before-live, and file names that fit
// whatever the object's name; JsonDir still reads files of the earlier layout.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Secret, StoredObject } from '../../../src/apis/core/types.js';
import { admitObject } from '../../../src/apis/core/admit.js';
import { ObjectStore } from '../../../src/sources/object-store.js';
import { JsonDir } from '../../../src/sources/json-dir.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { KubeletError } from '../../../src/util/errors.js';

const failOnLoad = (file: string) => assert.fail(`unreadable ${file}`);

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'object-store-'));
  const store = new ObjectStore(dir, new ResourceVersions(), failOnLoad);
  return { dir, store, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const secret = (name: string, data: Record<string, string>, meta: Record<string, unknown> = {}) =>
  admitObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name, ...meta }, data }) as StoredObject;

describe('ObjectStore', () => {
  test('update keeps uid and creationTimestamp and bumps resourceVersion', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const first = s.store.put(secret('s', { k: 'b2xk' }), { replace: false });
    const second = s.store.update(secret('s', { k: 'bmV3' }));
    assert.equal(second.metadata.uid, first.metadata.uid);
    assert.equal(second.metadata.creationTimestamp, first.metadata.creationTimestamp);
    assert.ok(Number(second.metadata.resourceVersion) > Number(first.metadata.resourceVersion));
    assert.equal((s.store.get('Secret', 'default', 's') as Secret).data?.k, 'bmV3');
  });

  test('update of an absent object is NotFound; a stale resourceVersion is Conflict and changes nothing', (t) => {
    const s = setup();
    t.after(s.cleanup);
    assert.throws(() => s.store.update(secret('nope', {})), { code: 'NotFound', message: 'secrets "nope" not found' });
    const first = s.store.put(secret('s', { k: 'b2xk' }), { replace: false });
    assert.throws(() => s.store.update(secret('s', { k: 'bmV3' }), '999'), {
      code: 'Conflict',
      message:
        'Operation cannot be fulfilled on secrets "s": the object has been modified; please apply your changes to the latest version and try again',
    });
    assert.deepEqual(s.store.get('Secret', 'default', 's'), first);
    assert.equal(s.store.update(secret('s', { k: 'bmV3' }), first.metadata.resourceVersion).kind, 'Secret');
  });

  test('delete answers and announces the object at a resourceVersion newer than its last write', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const stored = s.store.put(secret('s', { k: 'b2xk' }), { replace: false });
    const seen: Array<[string, string | undefined]> = [];
    s.store.subscribe((type, o) => seen.push([type, o.metadata.resourceVersion]));
    const gone = s.store.delete('Secret', 'default', 's');
    assert.ok(Number(gone.metadata.resourceVersion) > Number(stored.metadata.resourceVersion));
    assert.deepEqual(seen, [['DELETED', gone.metadata.resourceVersion]]);
    assert.equal(gone.metadata.uid, stored.metadata.uid);
    assert.equal(s.store.find('Secret', 'default', 's'), undefined);
  });

  test('a failed write leaves nothing live and names no path', (t) => {
    const s = setup();
    t.after(s.cleanup);
    // The directory replaced by a file: the write fails, even for root.
    const secretsDir = join(s.dir, 'objects', 'secrets');
    rmSync(secretsDir, { recursive: true });
    writeFileSync(secretsDir, '');
    const err = (() => {
      try {
        s.store.put(secret('s', {}), { replace: false });
      } catch (e) {
        return e;
      }
    })();
    assert.ok(err instanceof KubeletError && err.code === 'Internal');
    assert.ok(!err.message.includes(s.dir), err.message);
    assert.equal(s.store.find('Secret', 'default', 's'), undefined);
  });

  test('a 253-character name in a 63-character namespace is stored (mode 0600) and read back after a restart', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    assert.equal(name.length, 253);
    const ns = 'n'.repeat(63);
    s.store.put(admitObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns } }) as StoredObject, {
      replace: false,
    });
    const secretsDir = join(s.dir, 'objects', 'secrets');
    const [file] = readdirSync(secretsDir);
    assert.match(file!, /^[0-9a-f]{64}\.json$/);
    assert.equal(statSync(join(secretsDir, file!)).mode & 0o777, 0o600);
    assert.equal(statSync(secretsDir).mode & 0o777, 0o700);
    const again = new ObjectStore(s.dir, new ResourceVersions(), failOnLoad);
    assert.equal(again.get('Secret', ns, name).metadata.name, name);
  });
});

describe('JsonDir', () => {
  test('a file of the earlier layout (the value alone, URI-encoded key) is read and rewritten', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'json-dir-'));
    t.after(() => rmSync(dir, { recursive: true }));
    writeFileSync(join(dir, `${encodeURIComponent('default/old')}.json`), JSON.stringify({ n: 1 }));
    const jd = new JsonDir<{ n: number }>(dir);
    assert.deepEqual(jd.readAll(failOnLoad), [{ n: 1 }]);
    assert.deepEqual(
      readdirSync(dir).map((f) => /^[0-9a-f]{64}\.json$/.test(f)),
      [true],
    );
    jd.remove('default/old');
    assert.deepEqual(readdirSync(dir), []);
  });
});
