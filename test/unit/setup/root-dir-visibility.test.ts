import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { checkRootDirPropagation, mountOf } from '../../../src/setup/root-dir-visibility.js';

// Lines as /proc/self/mountinfo shows them inside the agent's container.
const ROOT = '27 1 254:0 / / rw,relatime - overlay overlay rw';
const SHARED = '10196 27 254:0 /srv/mkl /var/lib/minikubelet rw,relatime shared:13 - ext4 /dev/vda rw';
const SLAVE = '10196 27 254:0 /srv/mkl /var/lib/minikubelet rw,relatime master:13 - ext4 /dev/vda rw';
const PRIVATE = '10196 27 254:0 /srv/mkl /var/lib/minikubelet rw,relatime - ext4 /dev/vda rw';
const TMPFS_INSIDE = '10197 10196 0:560 / /var/lib/minikubelet/pods/u/vol rw,relatime shared:99 - tmpfs tmpfs rw';

test('the root dir lies on the longest mount point that holds it', () => {
  const info = [ROOT, SHARED, TMPFS_INSIDE].join('\n');
  assert.deepEqual(mountOf('/var/lib/minikubelet', info), { point: '/var/lib/minikubelet', optional: ['shared:13'] });
  assert.equal(mountOf('/var/lib/minikubelet-2', info)?.point, '/');
  assert.equal(mountOf('/var/lib/minikubelet/pods', info)?.point, '/var/lib/minikubelet');
});

test('an rshared root dir passes; rslave, private or no own mount is refused with what to run', () => {
  checkRootDirPropagation('/var/lib/minikubelet', [ROOT, SHARED].join('\n'));
  for (const info of [[ROOT, SLAVE], [ROOT, PRIVATE], [ROOT]]) {
    assert.throws(
      () => checkRootDirPropagation('/var/lib/minikubelet', info.join('\n')),
      /does not see the root dir \/var\/lib\/minikubelet at the same path \(its mount \(.*\) does not propagate mounts back to the host.*-v \/var\/lib\/minikubelet:\/var\/lib\/minikubelet:rshared/,
    );
  }
});
