import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarPack, type TarEntry } from '../../../src/setup/tar.js';

const entries: TarEntry[] = [
  { type: 'file', name: 'Dockerfile', data: 'FROM scratch\n' },
  { type: 'dir', name: 'rootfs' },
  { type: 'dir', name: 'rootfs/tmp', mode: 0o1777 },
  { type: 'file', name: 'rootfs/bin', mode: 0o755, data: Buffer.alloc(1000, 7) },
  { type: 'symlink', name: 'rootfs/sh', target: '/bin/busybox' },
  { type: 'file', name: `${'d'.repeat(80)}/${'f'.repeat(80)}`, data: 'long' },
];

test('GNU tar reads what we write, with exact modes and symlinks', () => {
  const d = mkdtempSync(join(tmpdir(), 'mk-tar-'));
  writeFileSync(join(d, 'c.tar'), tarPack(entries));
  const list = spawnSync('tar', ['-tvf', join(d, 'c.tar')], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /drwxrwxrwt .* rootfs\/tmp\//);
  assert.match(list.stdout, /rootfs\/sh -> \/bin\/busybox/);
  const x = spawnSync('tar', ['-xpf', join(d, 'c.tar'), '-C', d], { encoding: 'utf8' });
  assert.equal(x.status, 0, x.stderr);
  assert.equal(readFileSync(join(d, 'Dockerfile'), 'utf8'), 'FROM scratch\n');
  assert.deepEqual(readFileSync(join(d, 'rootfs/bin')), Buffer.alloc(1000, 7));
  assert.equal(statSync(join(d, 'rootfs/bin')).mode & 0o7777, 0o755);
  assert.equal(readlinkSync(join(d, 'rootfs/sh')), '/bin/busybox');
  assert.equal(readFileSync(join(d, 'd'.repeat(80), 'f'.repeat(80)), 'utf8'), 'long');
});

test('output is deterministic and block-aligned', () => {
  const a = tarPack(entries);
  assert.deepEqual(a, tarPack(entries));
  assert.equal(a.length % 512, 0);
});
