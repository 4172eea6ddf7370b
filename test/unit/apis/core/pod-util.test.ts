import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { isPodPhaseTerminal, isStaticPod, podHostname } from '../../../../src/apis/core/pod-util.js';
import type { ValidPod } from '../../../../src/apis/core/types.js';

const pod = (name: string, hostname?: string): ValidPod =>
  ({
    metadata: { name, namespace: 'default', uid: 'u1' },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...(hostname ? { hostname } : {}) },
  }) as ValidPod;

test('podHostname: a name of 63 characters or fewer is used as is', () => {
  assert.equal(podHostname(pod('web')), 'web');
  assert.equal(podHostname(pod('a'.repeat(63))), 'a'.repeat(63));
  // Only a cut is trimmed: a short name is never changed.
  assert.equal(podHostname(pod('a'.repeat(62))), 'a'.repeat(62));
});

test('podHostname: a longer name is cut to 63 and the cut never ends in - or .', () => {
  assert.equal(podHostname(pod('a'.repeat(70))), 'a'.repeat(63));
  assert.equal(podHostname(pod(`${'a'.repeat(62)}-b`)), 'a'.repeat(62));
  assert.equal(podHostname(pod(`${'a'.repeat(61)}.-.b`)), 'a'.repeat(61));
  assert.equal(podHostname(pod(`${'a'.repeat(60)}.b-c.d`)), `${'a'.repeat(60)}.b`);
});

test('podHostname: spec.hostname wins over the name', () => {
  assert.equal(podHostname(pod(`${'a'.repeat(62)}-b`, 'custom')), 'custom');
});

test('isPodPhaseTerminal: only Succeeded and Failed', () => {
  assert.deepEqual(
    (['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown', undefined] as const).map(isPodPhaseTerminal),
    [false, false, true, true, false, false],
  );
});

test('isStaticPod: any config.source but api', () => {
  const p = pod('web');
  assert.equal(isStaticPod(p), false);
  p.metadata.annotations = { 'kubernetes.io/config.source': 'file' };
  assert.equal(isStaticPod(p), true);
  p.metadata.annotations = { 'kubernetes.io/config.source': 'api' };
  assert.equal(isStaticPod(p), false);
});
