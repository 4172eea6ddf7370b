import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { containerName, parseName, randomizedName, sandboxName } from '../../../src/runtime/naming.js';
import { pod } from '../../fixtures/pods.js';

test('sandbox name round-trips', () => {
  const p = pod({ name: 'web-0' });
  const n = sandboxName(p, 3);
  assert.equal(n, 'k8s_POD_web-0_default_uid-1_3');
  assert.deepEqual(parseName(n), {
    containerName: 'POD',
    podName: 'web-0',
    namespace: 'default',
    uid: 'uid-1',
    attempt: 3,
  });
});

test('container name round-trips, with and without the leading slash Docker adds', () => {
  const p = pod();
  const n = containerName(p, p.spec.containers[0]!, 7);
  assert.equal(n, 'k8s_app_web_default_uid-1_7');
  assert.deepEqual(parseName(`/${n}`), {
    containerName: 'app',
    podName: 'web',
    namespace: 'default',
    uid: 'uid-1',
    attempt: 7,
  });
});

test('a conflict-randomized name parses with its suffix', () => {
  const p = pod();
  const r = randomizedName(containerName(p, p.spec.containers[0]!, 0));
  assert.match(r, /^k8s_app_web_default_uid-1_0_[0-9a-f]{8}$/);
  const parsed = parseName(r)!;
  assert.equal(parsed.containerName, 'app');
  assert.equal(parsed.attempt, 0);
  assert.match(parsed.suffix!, /^[0-9a-f]{8}$/);
});

test('foreign names are rejected', () => {
  for (const n of ['nginx', 'k8s_a_b_c_d', 'k8s_a_b_c_d_x', 'foo_a_b_c_d_1', 'k8s_a_b_c_d_1_e_f'])
    assert.equal(parseName(n), undefined, n);
});
