// The tmpfs helpers on the host's mount table: a mount point is seen by its device
// (no /proc/self/mountinfo read per check), and mounting twice mounts once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMountPoint, mountsUnder, mountTmpfs, unmountAndRemove } from '../../../src/runtime/mounts.js';
import { describe, test } from '../../harness/node-test.js';

const ROOT = process.getuid?.() === 0;

describe('tmpfs mounts', () => {
  test('isMountPoint: a plain directory is not, a tmpfs on it is; a second mountTmpfs mounts nothing', async (t) => {
    if (!ROOT) return t.skip('mounting needs root');
    const base = mkdtempSync(join(tmpdir(), 'mkl-mounts-'));
    const dir = join(base, 'vol');
    mkdirSync(dir);
    try {
      assert.equal(isMountPoint(dir), false);
      await mountTmpfs(dir, 0o777, 1024 * 1024);
      assert.equal(isMountPoint(dir), true);
      await mountTmpfs(dir, 0o777, 1024 * 1024);
      assert.deepEqual(mountsUnder(dir), [dir], 'mounted once');
    } finally {
      await unmountAndRemove(base);
      rmSync(base, { recursive: true, force: true });
    }
    assert.deepEqual(mountsUnder(base), []);
  });
});
