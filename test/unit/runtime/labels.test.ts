import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import {
  containerHash,
  containerLabels,
  LABEL,
  readLabels,
  sandboxLabels,
  stableStringify,
} from '../../../src/runtime/labels.js';
import { pod } from '../../fixtures/pods.js';

test('hash ignores key order and changes with the spec', () => {
  const a = { name: 'a', image: 'x', command: ['sh'], env: [{ name: 'A', value: '1' }] };
  const b = { env: [{ value: '1', name: 'A' }], command: ['sh'], image: 'x', name: 'a' };
  assert.equal(containerHash(a), containerHash(b));
  assert.match(containerHash(a), /^[0-9a-f]{8}$/);
  assert.notEqual(containerHash(a), containerHash({ ...a, image: 'y' }));
  assert.equal(containerHash({ name: 'a', args: undefined }), containerHash({ name: 'a' }));
  assert.equal(stableStringify({ b: 1, a: [1, { d: 2, c: 3 }] }), '{"a":[1,{"c":3,"d":2}],"b":1}');
});

test('sandbox labels: pod labels, annotations prefixed, identity wins, last-applied skipped', () => {
  const p = pod();
  p.metadata.labels = { app: 'web', [LABEL.podUid]: 'forged' };
  p.metadata.annotations = { note: 'hi', 'kubectl.kubernetes.io/last-applied-configuration': '{…}' };
  const l = sandboxLabels(p, 'agent-1', 2);
  assert.equal(l.app, 'web');
  assert.equal(l['annotation.note'], 'hi');
  assert.equal(l['annotation.kubectl.kubernetes.io/last-applied-configuration'], undefined);
  assert.equal(l[LABEL.podUid], 'uid-1');
  assert.equal(l[LABEL.agent], 'agent-1');
  assert.equal(l[LABEL.containerName], 'POD');
  assert.equal(l[LABEL.dockerType], 'podsandbox');
  const r = readLabels(l);
  assert.equal(r.isSandbox, true);
  assert.equal(r.attempt, 2);
});

test('container labels round-trip and never carry env values', () => {
  const p = pod({ init: ['setup'] });
  const c = {
    ...p.spec.initContainers![0]!,
    env: [{ name: 'PASSWORD', value: 's3cret' }],
    ports: [{ containerPort: 80 }],
    lifecycle: { preStop: { exec: { command: ['x'] } } },
  };
  const l = containerLabels({ pod: p, container: c, type: 'init', sandboxId: 'sb1', restartCount: 4, agentId: 'ag' });
  assert.ok(!JSON.stringify(l).includes('s3cret'));
  assert.equal(l[LABEL.ports], JSON.stringify([{ containerPort: 80 }]));
  assert.equal(l[LABEL.preStopHandler], JSON.stringify({ exec: { command: ['x'] } }));
  assert.equal(l[LABEL.terminationGracePeriod], '30');
  const r = readLabels(l);
  assert.deepEqual(
    {
      name: r.containerName,
      type: r.type,
      sb: r.sandboxId,
      rc: r.restartCount,
      hash: r.hash,
      sandbox: r.isSandbox,
      path: r.terminationMessagePath,
      pol: r.terminationMessagePolicy,
    },
    {
      name: 'setup',
      type: 'init',
      sb: 'sb1',
      rc: 4,
      hash: containerHash(c),
      sandbox: false,
      path: '/dev/termination-log',
      pol: 'File',
    },
  );
});
