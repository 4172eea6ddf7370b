// fsGroup ownership on a volume directory (volume_linux.go SetVolumeOwnership).
import { after, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requiresPermissionChange, setVolumeOwnership } from '../../../src/runtime/fs-group.js';

const GID = 2345;
const isRoot = process.getuid?.() === 0;

describe('setVolumeOwnership', { skip: !isRoot && 'chown to another group needs root' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'mkl-fsgroup-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  test('every file gets the group and g+rw; directories g+x and setgid; symlinks keep their mode', () => {
    const vol = join(root, 'always');
    mkdirSync(join(vol, 'sub'), { recursive: true });
    writeFileSync(join(vol, 'sub', 'f'), 'x', { mode: 0o600 });
    symlinkSync('sub/f', join(vol, 'link'));
    chmodSync(vol, 0o755);
    setVolumeOwnership(vol, GID, 'Always');
    const st = (p: string) => statSync(join(vol, p));
    assert.deepEqual([st('').gid, st('').mode & 0o7777], [GID, 0o2775]);
    assert.deepEqual([st('sub').gid, st('sub/f').gid, st('sub/f').mode & 0o7777], [GID, GID, 0o660]);
    assert.equal(requiresPermissionChange(vol, GID, false), false);
  });

  test('OnRootMismatch leaves the tree alone when the root already fits', () => {
    const vol = join(root, 'mismatch');
    mkdirSync(vol);
    setVolumeOwnership(vol, GID, 'OnRootMismatch');
    writeFileSync(join(vol, 'later'), 'x', { mode: 0o600 });
    setVolumeOwnership(vol, GID, 'OnRootMismatch');
    assert.equal(statSync(join(vol, 'later')).mode & 0o777, 0o600, 'not walked again');
    setVolumeOwnership(vol, GID, 'Always');
    assert.equal(statSync(join(vol, 'later')).mode & 0o777, 0o660);
  });
});
