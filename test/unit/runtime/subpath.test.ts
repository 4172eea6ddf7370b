// The subPath walk (subpath_linux.go doSafeOpen / doSafeMakeDir semantics) on a temp dir.
import { describe, test, before, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fdPath, pathWithinBase, safeMakeDir, safeOpenSubPath } from '../../../src/runtime/subpath.js';

describe('subPath resolution', () => {
  let tmp: string;
  let vol: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'mkl-subpath-'));
    vol = join(tmp, 'vol');
    mkdirSync(join(vol, 'a/b/c'), { recursive: true });
    writeFileSync(join(vol, 'a/file'), 'x');
    mkdirSync(join(tmp, 'outside'));
    symlinkSync('/', join(vol, 'escape')); // at depth 1
    symlinkSync('/etc', join(vol, 'a/escape')); // at depth 2
    symlinkSync('../../../outside', join(vol, 'a/b/up')); // relative, leaves at depth 3
    symlinkSync('b/c', join(vol, 'a/inside')); // relative, stays inside
    symlinkSync('nowhere', join(vol, 'dangling'));
    symlinkSync('loop2', join(vol, 'loop1'));
    symlinkSync('loop1', join(vol, 'loop2'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const opened = (sub: string) => {
    const fd = safeOpenSubPath(vol, sub);
    try {
      return readlinkSync(fdPath(fd));
    } finally {
      closeSync(fd);
    }
  };

  test('a plain directory or file inside opens, and its real path is what is bound', () => {
    assert.equal(opened('a/b/c'), join(vol, 'a/b/c'));
    assert.equal(opened('a/file'), join(vol, 'a/file'));
    assert.equal(opened('a/b/c/'), join(vol, 'a/b/c'));
  });

  test('a symlink that resolves inside the volume is allowed (as the kubelet allows it)', () => {
    assert.equal(opened('a/inside'), join(vol, 'a/b/c'));
  });

  test('symlinks leaving the volume are refused at every depth', () => {
    assert.throws(() => opened('escape'), /not within volume path/);
    assert.throws(() => opened('a/escape'), /not within volume path/);
    assert.throws(() => opened('a/b/up'), /not within volume path/);
    assert.throws(() => opened('escape/etc'), /not within volume path/);
  });

  test('dangling symlinks and loops are refused', () => {
    assert.throws(() => opened('dangling'), /ENOENT/);
    assert.throws(() => opened('loop1'), /ELOOP/);
  });

  test('absolute paths and .. are refused with the kubelet words', () => {
    assert.throws(() => opened('/etc'), /error SubPath `\/etc` must not be an absolute path/);
    assert.throws(() => opened('a/../../x'), /unable to provision SubPath `a\/..\/..\/x`: must not contain '..'/);
    assert.throws(() => safeMakeDir(vol, '../x', 0o755), /must not contain/);
  });

  test('safeMakeDir creates the missing components with the mode, not the umask', () => {
    safeMakeDir(vol, 'new/deep/dir', 0o777);
    assert.equal(statSync(join(vol, 'new/deep/dir')).mode & 0o777, 0o777);
    assert.equal(statSync(join(vol, 'new')).mode & 0o777, 0o777);
    safeMakeDir(vol, 'a/inside/made', 0o750); // through a symlink that stays inside
    assert.ok(statSync(join(vol, 'a/b/c/made')).isDirectory());
  });

  test('safeMakeDir never creates through a symlink out of the volume', () => {
    assert.throws(() => safeMakeDir(vol, 'escape/mkl-should-not-exist', 0o755), /outside of allowed base/);
    assert.throws(() => safeMakeDir(vol, 'a/b/up/made', 0o755), /outside of allowed base/);
    assert.throws(() => statSync(join(tmp, 'outside/made')), /ENOENT/);
    assert.throws(() => safeMakeDir(vol, 'dangling/x', 0o755), /ENOENT/);
    assert.throws(() => safeMakeDir(vol, 'a/file', 0o755), /not a directory/);
  });

  test('pathWithinBase', () => {
    assert.ok(pathWithinBase('/v', '/v'));
    assert.ok(pathWithinBase('/v/a', '/v'));
    assert.ok(!pathWithinBase('/vx', '/v'));
    assert.ok(!pathWithinBase('/', '/v'));
    assert.ok(pathWithinBase('/v/..a', '/v'));
  });
});
