import { describe, test, before, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isManifestFileName, readManifestsDir } from '../../../src/sources/file-source.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec:\n  containers: [{name: c, image: busybox}]\n';

describe('readManifestsDir: bad entries are reported and skipped', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mkl-fs-'));
    writeFileSync(join(dir, 'b-good.yaml'), POD);
    symlinkSync(join(dir, 'does-not-exist.yaml'), join(dir, 'a-dangling.yaml'));
    writeFileSync(join(dir, 'c-deep.yaml'), `x: ${'['.repeat(20_000)}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a dangling symlink and a too-deep file do not hide the good manifest', () => {
    const r = readManifestsDir(dir, 'node-a');
    assert.deepEqual(
      r.pods.map((p) => p.obj.metadata.name),
      ['good-node-a'],
    );
    assert.equal(r.errors.length, 2);
    assert.match(r.errors[0]!.file, /a-dangling\.yaml$/);
    assert.match(r.errors[0]!.message, /cannot read manifest: .*ENOENT/);
    assert.match(r.errors[1]!.message, /exceeded max depth of 500/);
  });
});

describe('isManifestFileName: manifests only, never dotfiles or editor temp files', () => {
  const cases: [string, boolean][] = [
    ['web.yaml', true],
    ['web.yml', true],
    ['web.json', true],
    ['WEB.YAML', true],
    ['.web.yaml', false],
    ['.web.yaml.swp', false],
    ['web.yaml.swp', false],
    ['web.yaml.swx', false],
    ['web.yaml~', false],
    ['#web.yaml#', false],
    ['.#web.yaml', false],
    ['4913', false],
    ['web.yaml.tmp', false],
    ['README.md', false],
  ];
  for (const [name, want] of cases) test(`${name} → ${want}`, () => assert.equal(isManifestFileName(name), want));
});

describe('readManifestsDir: a file is all or nothing, a directory read failure is not an empty snapshot', () => {
  test('one bad document skips the whole file', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'mkl-fs-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'two.yaml'), `${POD}---\napiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {}\n`);
    const r = readManifestsDir(dir, 'node-a');
    assert.deepEqual(r.pods, []);
    assert.equal(r.errors.length, 1);
  });

  test('a missing directory is an empty snapshot; one that is not a directory is unreadable', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'mkl-fs-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    assert.equal(readManifestsDir(join(dir, 'absent'), 'node-a').unreadable, undefined);
    writeFileSync(join(dir, 'file'), '');
    assert.equal(readManifestsDir(join(dir, 'file'), 'node-a').unreadable, true);
  });
});

describe('readManifestsDir: PersistentVolumeClaims', () => {
  test('a claim beside a pod is collected; an invalid claim skips its file', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'mkl-fs-pvc-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const claim = (name: string, storage: string) =>
      `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: ${name}}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: ${storage}}}\n`;
    writeFileSync(join(dir, 'a.yaml'), `${claim('data', '1Gi')}---\n${POD}`);
    writeFileSync(join(dir, 'b.yaml'), claim('bad', '"0"'));
    const r = readManifestsDir(dir, 'node-a');
    assert.deepEqual(
      r.claims.map((c) => (c.obj as { metadata: { name: string } }).metadata.name),
      ['data'],
    );
    assert.deepEqual(
      r.pods.map((p) => p.obj.metadata.name),
      ['good-node-a'],
    );
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0]!.message, /spec.resources\[storage\]: Invalid value: "0": must be greater than zero/);
  });
});
