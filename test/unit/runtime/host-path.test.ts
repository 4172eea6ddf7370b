// hostPath type checks (host_path.go checkTypeInternal) and their messages.
import { describe, test, before, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHostPathType } from '../../../src/runtime/host-path.js';

describe('hostPath type', () => {
  let tmp: string;
  let server: Server;
  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'mkl-hostpath-'));
    mkdirSync(join(tmp, 'dir'));
    writeFileSync(join(tmp, 'file'), '');
    server = createServer();
    await new Promise<void>((r) => server.listen(join(tmp, 'sock'), r));
  });
  after(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(tmp, { recursive: true, force: true });
  });
  const p = (n: string) => join(tmp, n);

  test('matching types pass', () => {
    checkHostPathType(p('dir'), 'Directory');
    checkHostPathType(p('file'), 'File');
    checkHostPathType(p('sock'), 'Socket');
    checkHostPathType('/dev/null', 'CharDevice');
  });

  test("mismatches fail with the kubelet's messages", () => {
    assert.throws(() => checkHostPathType(p('missing'), 'Directory'), {
      message: `hostPath type check failed: ${p('missing')} is not a directory`,
    });
    assert.throws(() => checkHostPathType(p('dir'), 'File'), {
      message: `hostPath type check failed: ${p('dir')} is not a file`,
    });
    assert.throws(() => checkHostPathType(p('file'), 'Socket'), { message: /is not a socket file$/ });
    assert.throws(() => checkHostPathType(p('file'), 'CharDevice'), { message: /is not a character device$/ });
    assert.throws(() => checkHostPathType('/dev/null', 'BlockDevice'), { message: /is not a block device$/ });
    assert.throws(() => checkHostPathType(p('file'), 'DirectoryOrCreate'), { message: /is not a directory$/ });
    assert.throws(() => checkHostPathType(p('dir'), 'FileOrCreate'), { message: /is not a file$/ });
  });

  test('OrCreate types create what is missing (0755 directory, 0644 file)', () => {
    checkHostPathType(p('made/deep'), 'DirectoryOrCreate');
    assert.equal(statSync(p('made/deep')).mode & 0o777, 0o755 & ~process.umask());
    checkHostPathType(p('made/f'), 'FileOrCreate');
    assert.ok(statSync(p('made/f')).isFile());
    assert.throws(() => checkHostPathType(p('nodir/f'), 'FileOrCreate'), /ENOENT/);
  });

  test('an unset type checks nothing but creates a missing directory, as the engine did', () => {
    checkHostPathType(p('file'), undefined);
    checkHostPathType(p('unset'), '');
    assert.ok(statSync(p('unset')).isDirectory());
  });
});
