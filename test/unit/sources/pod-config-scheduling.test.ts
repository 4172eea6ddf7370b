// PodConfig as this node's scheduler: filters before the first sync, binding with the
// `Scheduled` event, Unschedulable pods retried when the node or the pods change, pods
// bound elsewhere left alone, and the kubelet's predicates for pods that skip the scheduler.
import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, ValidPod } from '../../../src/apis/core/types.js';
import { PodManager } from '../../../src/pod/pod-manager.js';
import { StatusManager } from '../../../src/status/status-manager.js';
import { PodConfig, type PodUpdate } from '../../../src/sources/pod-config.js';
import { JsonDir } from '../../../src/sources/json-dir.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { EventRecorder } from '../../../src/events/recorder.js';
import { mkPod } from '../status/helpers.js';

function mkNode(labels: Record<string, string> = {}, spec: Node['spec'] = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a', ...labels } },
    spec,
    status: {
      capacity: {},
      allocatable: { cpu: '2', memory: '1Gi', pods: '110' },
      conditions: [],
      addresses: [],
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {} as Node['status']['nodeInfo'],
      images: [],
    },
  };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'pod-config-sched-'));
  const pods = new PodManager();
  const status = new StatusManager(pods, new ResourceVersions());
  const updates: PodUpdate[] = [];
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const events = new EventRecorder({ clock, nodeName: 'node-a', nextResourceVersion: () => '1' });
  const apiPods = new JsonDir<ValidPod>(join(dir, 'pods'));
  const state = { node: mkNode() };
  const config = new PodConfig({
    pods,
    apiPods,
    nodeName: 'node-a',
    clock,
    log: silentLogger(),
    handler: (u) => updates.push(u),
    maxPods: 110,
    status,
    events,
    node: () => state.node,
  });
  const ops = () => updates.map((u) => [u.op, u.pod.metadata.uid]);
  const evs = (uid: string) => events.forPod(uid).map((e) => [e.type, e.reason, e.message, e.source.component ?? '']);
  return { dir, pods, status, config, state, ops, evs, apiPods, cleanup: () => rmSync(dir, { recursive: true }) };
}

function pod(name: string, uid: string, spec: Record<string, unknown> = {}, source = 'api'): ValidPod {
  const p = mkPod();
  return {
    ...p,
    metadata: { ...p.metadata, name, uid, annotations: { 'kubernetes.io/config.source': source } },
    spec: { ...p.spec, ...spec } as ValidPod['spec'],
  };
}
const cpu = (q: string) => ({ containers: [{ name: 'app', image: 'x:1', resources: { requests: { cpu: q } } }] });
const SELECTOR_MSG =
  "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

describe('PodConfig: scheduling onto this node', () => {
  test('a pod that fits is bound (spec.nodeName, persisted) with the Scheduled event, then ADDed', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const created = s.config.addApiPod(pod('web', 'u1'));
    assert.equal(created.spec.nodeName, 'node-a');
    assert.equal(s.apiPods.read('default/web')?.spec.nodeName, 'node-a');
    assert.deepEqual(s.ops(), [['ADD', 'u1']]);
    assert.deepEqual(s.evs('u1'), [
      ['Normal', 'Scheduled', 'Successfully assigned default/web to node-a', 'default-scheduler'],
    ]);
  });

  test('an unmatched nodeSelector: Pending/Unschedulable with the message; labelling the node places it', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(pod('web', 'u1', { nodeSelector: { disk: 'ssd' } }));
    assert.deepEqual(s.ops(), []);
    const st = s.status.getStatus('u1');
    assert.equal(st?.phase, 'Pending');
    assert.deepEqual(
      st?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['PodScheduled', 'False', 'Unschedulable', SELECTOR_MSG]],
    );
    assert.equal(s.pods.getPodByUid('u1')?.spec.nodeName, undefined, 'NODE <none> until bound');
    // A retry with nothing changed reports nothing new.
    s.config.retryUnschedulable();
    assert.equal(s.evs('u1').length, 1);
    s.state.node = mkNode({ disk: 'ssd' });
    s.config.retryUnschedulable();
    assert.deepEqual(s.ops(), [['ADD', 'u1']]);
    assert.equal(s.pods.getPodByUid('u1')?.spec.nodeName, 'node-a');
    assert.deepEqual(s.evs('u1'), [
      ['Warning', 'FailedScheduling', SELECTOR_MSG, 'default-scheduler'],
      ['Normal', 'Scheduled', 'Successfully assigned default/web to node-a', 'default-scheduler'],
    ]);
  });

  test('requests beyond what is left wait until the pod holding them goes', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(pod('big', 'u1', cpu('1500m')));
    s.config.addApiPod(pod('more', 'u2', cpu('1')));
    assert.equal(
      s.status.getStatus('u2')?.conditions?.[0]?.message,
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
    // A finished pod's requests no longer count once the scheduler looks again.
    s.status.setStatus('u1', { phase: 'Succeeded' });
    s.config.retryUnschedulable();
    assert.deepEqual(s.ops(), [
      ['ADD', 'u1'],
      ['ADD', 'u2'],
    ]);
  });

  test('a toleration added by an update lets the pod through a taint', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.state.node = mkNode({}, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] });
    s.config.addApiPod(pod('web', 'u1'));
    assert.match(String(s.status.getStatus('u1')?.conditions?.[0]?.message), /untolerated taint \{dedicated: gpu\}/);
    s.config.updateApiPod('default', 'web', (old) => ({
      ...old,
      spec: { ...old.spec, tolerations: [{ key: 'dedicated', operator: 'Exists' }] },
    }));
    assert.deepEqual(s.ops(), [['ADD', 'u1']]);
  });

  test('a pod bound to another node stays Pending without events and is deleted at once', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(pod('web', 'u1', { nodeName: 'elsewhere' }));
    assert.deepEqual(s.ops(), []);
    assert.equal(s.status.getStatus('u1')?.phase, 'Pending');
    assert.equal(s.status.getStatus('u1')?.conditions, undefined);
    assert.deepEqual(s.evs('u1'), []);
    s.config.deleteApiPod('default', 'web');
    assert.equal(s.pods.getPodByUid('u1'), undefined);
  });

  test('an update of a rejected pod or of one bound elsewhere starts nothing', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(pod('hungry', 'u1', { ...cpu('3'), nodeName: 'node-a' }));
    s.config.addApiPod(pod('away', 'u2', { nodeName: 'elsewhere' }));
    assert.equal(s.status.getStatus('u1')?.reason, 'OutOfcpu');
    for (const name of ['hungry', 'away']) {
      s.config.updateApiPod('default', name, (old) => ({ ...old, metadata: { ...old.metadata, labels: { x: 'y' } } }));
    }
    assert.deepEqual(s.ops(), []);
  });

  test('static pods skip the scheduler but meet the kubelet predicates: OutOfcpu, NodeAffinity', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.state.node = mkNode({}, { unschedulable: true });
    s.config.setStaticPods([
      pod('fits', 's1', {}, 'file'),
      pod('hungry', 's2', cpu('3'), 'file'),
      pod('picky', 's3', { nodeSelector: { disk: 'ssd' } }, 'file'),
    ]);
    // Cordoned, yet the static pod runs: cordon is the scheduler's business.
    assert.deepEqual(s.ops(), [['ADD', 's1']]);
    const hungry = s.status.getStatus('s2');
    assert.deepEqual(
      [hungry?.phase, hungry?.reason, hungry?.message],
      [
        'Failed',
        'OutOfcpu',
        "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000",
      ],
    );
    const picky = s.status.getStatus('s3');
    assert.deepEqual(
      [picky?.phase, picky?.reason, picky?.message],
      [
        'Failed',
        'NodeAffinity',
        "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
      ],
    );
    assert.deepEqual(s.evs('s3'), [
      [
        'Warning',
        'NodeAffinity',
        "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
        'kubelet',
      ],
    ]);
  });

  test('a pod created with this node in spec.nodeName skips the scheduler: no Scheduled event, a NoExecute taint rejects it', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(pod('a', 'u1', { nodeName: 'node-a' }));
    assert.deepEqual(s.evs('u1'), []);
    s.state.node = mkNode({}, { taints: [{ key: 'k', effect: 'NoExecute' }] });
    s.config.addApiPod(pod('b', 'u2', { nodeName: 'node-a' }));
    assert.deepEqual(s.ops(), [['ADD', 'u1']]);
    assert.equal(s.status.getStatus('u2')?.reason, 'TaintToleration');
    assert.equal(
      s.status.getStatus('u2')?.message,
      "Pod was rejected: Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate",
    );
  });
});

describe('PodConfig: scheduling gates', () => {
  test('a gated pod is Pending/SchedulingGated without events; removing the gates schedules it', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(pod('gated', 'u1', { schedulingGates: [{ name: 'wait' }] }));
    assert.deepEqual(s.ops(), []);
    assert.deepEqual(
      s.status.getStatus('u1')?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['PodScheduled', 'False', 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates']],
    );
    assert.deepEqual(s.evs('u1'), []);
    s.config.updateApiPod('default', 'gated', (old) => ({
      ...old,
      spec: { ...old.spec, schedulingGates: [] } as ValidPod['spec'],
    }));
    assert.deepEqual(s.ops(), [['ADD', 'u1']]);
  });
});

describe('PodConfig: replay after a restart', () => {
  // Records are read in the order of their hashed file names: both name pairs are tried, so
  // one of them reads the waiting pod first.
  for (const [w, h] of [
    ['a', 'b'],
    ['b', 'a'],
  ]) {
    test(`bound pods are re-admitted before waiting ones (waiting ${w}, holder ${h})`, (t) => {
      const s = setup();
      t.after(s.cleanup);
      const port = {
        containers: [{ name: 'app', image: 'x:1', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] }],
      };
      s.apiPods.write(`default/${w}`, pod(w!, 'u2', port));
      s.apiPods.write(`default/${h}`, pod(h!, 'u1', { ...port, nodeName: 'node-a' }));
      s.config.loadApiPods(() => assert.fail('unreadable'));
      assert.deepEqual(s.ops(), [['ADD', 'u1']]);
      assert.equal(s.status.getStatus('u2')?.conditions?.[0]?.reason, 'Unschedulable');
    });
  }
});
