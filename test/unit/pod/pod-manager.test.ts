import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { PodManager } from '../../../src/pod/pod-manager.js';
import { mkPod } from '../status/helpers.js';

const named = (name: string, uid: string, namespace = 'default') => {
  const p = mkPod();
  return { ...p, metadata: { ...p.metadata, name, uid, namespace } };
};

describe('PodManager', () => {
  test('finds pods by uid and by namespace/name, and lists by namespace', () => {
    const m = new PodManager();
    m.setPod(named('a', 'u1'));
    m.setPod(named('a', 'u2', 'other'));
    assert.equal(m.getPodByName('default', 'a')?.metadata.uid, 'u1');
    assert.equal(m.getPodByName('other', 'a')?.metadata.uid, 'u2');
    assert.deepEqual(
      m.getPods('other').map((p) => p.metadata.uid),
      ['u2'],
    );
    assert.equal(m.getPods().length, 2);
  });

  test('an update replaces the pod of the same uid; removal forgets both keys; listeners see each change', () => {
    const m = new PodManager();
    const seen: string[] = [];
    m.subscribe((change, p) => seen.push(`${change} ${p.metadata.name}`));
    m.setPod(named('a', 'u1'));
    m.setPod({ ...named('a', 'u1'), spec: { ...named('a', 'u1').spec, activeDeadlineSeconds: 5 } });
    assert.equal(m.getPodByUid('u1')?.spec.activeDeadlineSeconds, 5);
    m.removePod('u1');
    m.removePod('u1');
    assert.equal(m.getPodByName('default', 'a'), undefined);
    assert.deepEqual(seen, ['ADDED a', 'MODIFIED a', 'DELETED a']);
  });
});
