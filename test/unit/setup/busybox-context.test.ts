import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { busyboxContextEntries, parseAppletList } from '../../../src/setup/busybox-context.js';

const LIST = 'usr/bin/[\nbin/sh\nbin/busybox\nsbin/ifconfig\nusr/bin/env\nlinuxrc\n/bin/sleep\nusr/sbin/httpd\n\n';
const inputs = {
  busybox: Buffer.from('ELF'),
  listFull: LIST,
  dockerfile: 'FROM scratch\n',
  passwd: 'root:x:0:0::/root:/bin/sh\n',
  group: 'root:x:0:\n',
};

test('parses busybox --list-full, skipping paths outside PATH directories', () => {
  assert.deepEqual(parseAppletList(LIST), [
    ['usr/bin', '['],
    ['bin', 'sh'],
    ['bin', 'busybox'],
    ['sbin', 'ifconfig'],
    ['usr/bin', 'env'],
    ['bin', 'sleep'],
    ['usr/sbin', 'httpd'],
  ]);
});

test('every applet is linked in /bin and in its own directory', () => {
  const e = busyboxContextEntries(inputs);
  const links = new Map(e.flatMap((x) => (x.type === 'symlink' ? [[x.name, x.target] as const] : [])));
  for (const n of [
    'rootfs/bin/sh',
    'rootfs/bin/[',
    'rootfs/bin/env',
    'rootfs/usr/bin/env',
    'rootfs/sbin/ifconfig',
    'rootfs/bin/ifconfig',
    'rootfs/usr/sbin/httpd',
    'rootfs/bin/sleep',
  ]) {
    assert.equal(links.get(n), '/bin/busybox', n);
  }
  assert.equal(links.has('rootfs/bin/busybox'), false);
  assert.equal(
    [...links.keys()].some((k) => k.includes('linuxrc')),
    false,
  );
  const bb = e.find((x) => x.name === 'rootfs/bin/busybox');
  assert.equal(bb?.type === 'file' && bb.mode, 0o755);
});

test('has /tmp 1777, passwd, group, and the Dockerfile at the root', () => {
  const e = busyboxContextEntries(inputs);
  const tmp = e.find((x) => x.name === 'rootfs/tmp');
  assert.equal(tmp?.type === 'dir' && tmp.mode, 0o1777);
  assert.ok(e.find((x) => x.name === 'rootfs/etc/passwd'));
  assert.ok(e.find((x) => x.name === 'rootfs/etc/group'));
  assert.equal(e[0]?.name, 'Dockerfile');
  // Parents come before children, as a tar extractor expects.
  const idx = (n: string): number => e.findIndex((x) => x.name === n);
  assert.ok(idx('rootfs/usr') < idx('rootfs/usr/bin') && idx('rootfs/usr/bin') < idx('rootfs/usr/bin/env'));
});

test('equal inputs give equal entries regardless of list order', () => {
  const shuffled = { ...inputs, listFull: LIST.split('\n').reverse().join('\n') };
  assert.deepEqual(busyboxContextEntries(shuffled), busyboxContextEntries(inputs));
});
