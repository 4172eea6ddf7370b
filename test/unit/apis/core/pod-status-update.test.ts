// pods/status updates (podStatusStrategy + ValidatePodStatusUpdate): only the client-owned
// conditions are taken, each validated, with the field named as the API server names it.
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { admitPod } from '../../../../src/apis/core/admit.js';
import { admitPodStatusUpdate, clientConditions } from '../../../../src/apis/core/pod-status-update.js';
import type { ValidPod } from '../../../../src/apis/core/types.js';
import { KubeletError, ValidationError } from '../../../../src/util/errors.js';

const NOW = '2026-03-01T10:00:00Z';
const old: ValidPod = admitPod({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { containers: [{ name: 'app', image: 'busybox:1' }], readinessGates: [{ conditionType: 'example.com/lb' }] },
});

const withConditions = (conditions: unknown) => ({ apiVersion: 'v1', kind: 'Pod', status: { conditions } });

function invalid(body: unknown): string {
  try {
    admitPodStatusUpdate(body, old, NOW);
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.message;
  }
  assert.fail('accepted');
}

test('keeps client-owned conditions, drops the kubelet-owned ones, leaves spec and metadata alone', () => {
  const body = {
    ...withConditions([
      { type: 'Ready', status: 'False' },
      { type: 'example.com/lb', status: 'True', reason: 'Registered', message: 'in the pool' },
      { type: 'ContainersReady', status: 'True' },
    ]),
    metadata: { name: 'web', labels: { sneaky: 'yes' } },
    spec: { containers: [{ name: 'other', image: 'x' }] },
  };
  const next = admitPodStatusUpdate(body, old, NOW);
  assert.deepEqual(next.status!.conditions, [
    {
      type: 'example.com/lb',
      status: 'True',
      reason: 'Registered',
      message: 'in the pool',
      lastProbeTime: null,
      lastTransitionTime: NOW,
    },
  ]);
  assert.equal(next.spec, old.spec);
  assert.equal(next.metadata, old.metadata);
  assert.equal(next.status!.phase, 'Pending');
});

test('lastTransitionTime: the client value, else kept while the status holds, else now', () => {
  const first = admitPodStatusUpdate(withConditions([{ type: 'a.io/x', status: 'False' }]), old, NOW);
  const later = '2026-03-01T11:00:00Z';
  const same = admitPodStatusUpdate(withConditions([{ type: 'a.io/x', status: 'False' }]), first, later);
  assert.equal(same.status!.conditions![0]!.lastTransitionTime, NOW);
  const flipped = admitPodStatusUpdate(withConditions([{ type: 'a.io/x', status: 'True' }]), same, later);
  assert.equal(flipped.status!.conditions![0]!.lastTransitionTime, later);
  const given = admitPodStatusUpdate(
    withConditions([{ type: 'a.io/x', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }]),
    flipped,
    later,
  );
  assert.equal(given.status!.conditions![0]!.lastTransitionTime, '2020-01-01T00:00:00Z');
});

test('an empty or absent list clears the client conditions', () => {
  const set = admitPodStatusUpdate(withConditions([{ type: 'a.io/x', status: 'True' }]), old, NOW);
  assert.deepEqual(admitPodStatusUpdate(withConditions([]), set, NOW).status!.conditions, []);
  assert.deepEqual(admitPodStatusUpdate({ kind: 'Pod', status: {} }, set, NOW).status!.conditions, []);
});

test('bad conditions are Invalid with the field named', () => {
  assert.match(
    invalid(withConditions([{ type: 'bad type!', status: 'True' }])),
    /^Pod "web" is invalid: status\.conditions\[0\]\.Type: Invalid value: "bad type!": name part must consist of alphanumeric characters/,
  );
  assert.match(
    invalid(withConditions([{ type: 'a.io/x', status: 'Yes' }])),
    /status\.conditions\[0\]\.status: Unsupported value: "Yes": supported values: "True", "False", "Unknown"/,
  );
  assert.match(invalid(withConditions([{ status: 'True' }])), /status\.conditions\[0\]\.Type: Required value/);
  assert.match(invalid(withConditions('x')), /status\.conditions: Invalid value: "x": must be a list/);
  assert.match(invalid(withConditions([{ type: 'a.io/x', status: 'True', reason: 5 }])), /conditions\[0\]\.reason/);
});

test('not a pod: BadRequest', () => {
  assert.throws(
    () => admitPodStatusUpdate({ kind: 'Secret' }, old, NOW),
    (e) => e instanceof KubeletError && e.code === 'BadRequest' && /expected kind Pod, got Secret/.test(e.message),
  );
  assert.throws(() => admitPodStatusUpdate([], old, NOW), KubeletError);
});

test('clientConditions filters out the five kubelet-owned types', () => {
  const c = (type: string) => ({ type, status: 'True' as const, lastProbeTime: null, lastTransitionTime: NOW });
  const all = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'x.io/g'];
  assert.deepEqual(
    clientConditions(all.map(c)).map((x) => x.type),
    ['x.io/g'],
  );
  assert.deepEqual(clientConditions(undefined), []);
});
