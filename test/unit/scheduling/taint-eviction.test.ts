// The taint eviction controller (tainteviction/taint_eviction.go) on one node: untolerated
// NoExecute → deleted now; tolerated with tolerationSeconds → after the smallest of them;
// a taint removed first → the deletion is cancelled; DisruptionTarget and events.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Node, PodStatus, Taint, ValidPod } from '../../../src/apis/core/types.js';
import { EventRecorder } from '../../../src/events/recorder.js';
import { TaintEvictionController } from '../../../src/scheduling/taint-eviction.js';
import { noExecuteVerdict } from '../../../src/scheduling/taints.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { mkPod } from '../status/helpers.js';

const node = (taints: Taint[]): Node =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, spec: { taints }, status: {} }) as unknown as Node;

function pod(name: string, tolerations: unknown[] = [], source = 'api'): ValidPod {
  const p = mkPod();
  return {
    ...p,
    metadata: { ...p.metadata, name, uid: name, annotations: { 'kubernetes.io/config.source': source } },
    spec: { ...p.spec, nodeName: 'n1', tolerations },
  };
}

function setup(pods: ValidPod[]) {
  const clock = new FakeClock();
  const events = new EventRecorder({ clock, nodeName: 'n1', nextResourceVersion: () => '1' });
  const statuses = new Map<string, PodStatus>(pods.map((p) => [p.metadata.uid, { phase: 'Running', conditions: [] }]));
  const deleted: string[] = [];
  const state = { node: node([]) };
  const c = new TaintEvictionController({
    clock,
    node: () => state.node,
    pods: () => pods.filter((p) => !deleted.includes(p.metadata.name)),
    status: { getStatus: (uid) => statuses.get(uid), setStatus: (uid, s) => statuses.set(uid, s) },
    deletePod: (_ns, name) => deleted.push(name),
    events,
    log: silentLogger(),
  });
  const evs = (uid: string) => events.forPod(uid).map((e) => [e.reason, e.message, e.source.component]);
  return { clock, c, state, deleted, statuses, evs };
}

const NOEXEC: Taint = { key: 'maintenance', value: 'now', effect: 'NoExecute' };

describe('noExecuteVerdict', () => {
  const cases: [string, Taint[], unknown[], ReturnType<typeof noExecuteVerdict>][] = [
    ['no taints', [], [], { kind: 'never' }],
    ['only NoSchedule', [{ key: 'a', effect: 'NoSchedule' }], [], { kind: 'never' }],
    ['untolerated', [NOEXEC], [], { kind: 'now' }],
    ['tolerated forever', [NOEXEC], [{ key: 'maintenance', operator: 'Exists' }], { kind: 'never' }],
    [
      'tolerated for 30 s',
      [NOEXEC],
      [{ key: 'maintenance', operator: 'Exists', tolerationSeconds: 30 }],
      { kind: 'after', seconds: 30 },
    ],
    [
      'the smallest of the matching tolerations',
      [NOEXEC, { key: 'b', effect: 'NoExecute' }],
      [
        { key: 'maintenance', operator: 'Exists', tolerationSeconds: 30 },
        { key: 'b', operator: 'Exists', tolerationSeconds: 10 },
      ],
      { kind: 'after', seconds: 10 },
    ],
    [
      'one of two untolerated',
      [NOEXEC, { key: 'b', effect: 'NoExecute' }],
      [{ key: 'maintenance', operator: 'Exists' }],
      { kind: 'now' },
    ],
    [
      'a negative tolerationSeconds is 0',
      [NOEXEC],
      [{ operator: 'Exists', tolerationSeconds: -5 }],
      { kind: 'after', seconds: 0 },
    ],
  ];
  for (const [name, taints, tolerations, want] of cases) {
    test(name, () => assert.deepEqual(noExecuteVerdict(taints, tolerations as never), want));
  }
});

describe('TaintEvictionController', () => {
  test('an untolerated NoExecute taint: DisruptionTarget, the event, a graceful delete now; static pods stay', () => {
    const s = setup([pod('web'), pod('kept', [{ operator: 'Exists' }]), pod('static', [], 'file')]);
    s.state.node = node([NOEXEC]);
    s.c.reconcileNow();
    assert.deepEqual(s.deleted, ['web']);
    assert.deepEqual(
      s.statuses.get('web')?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['DisruptionTarget', 'True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']],
    );
    assert.deepEqual(s.evs('web'), [
      ['TaintManagerEviction', 'Marking for deletion Pod default/web', 'taint-eviction-controller'],
    ]);
  });

  test('tolerationSeconds: deleted when they have passed since the controller saw the taint', () => {
    const s = setup([
      pod('web', [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]),
    ]);
    s.state.node = node([NOEXEC]);
    s.c.reconcileNow();
    s.clock.advance(20_000);
    // Seeing the node again does not restart the count.
    s.c.reconcileNow();
    s.clock.advance(9_000);
    assert.deepEqual(s.deleted, []);
    s.clock.advance(1_000);
    assert.deepEqual(s.deleted, ['web']);
  });

  test('the taint removed before the time: the deletion is cancelled with an event', () => {
    const s = setup([pod('web', [{ key: 'maintenance', operator: 'Exists', tolerationSeconds: 30 }])]);
    s.state.node = node([NOEXEC]);
    s.c.reconcileNow();
    s.state.node = node([]);
    s.c.reconcileNow();
    s.clock.advance(60_000);
    assert.deepEqual(s.deleted, []);
    assert.deepEqual(s.evs('web'), [
      ['TaintManagerEviction', 'Cancelling deletion of Pod default/web', 'taint-eviction-controller'],
    ]);
  });

  test('reconcile is coalesced and runs after the caller', async () => {
    const s = setup([pod('web')]);
    s.state.node = node([NOEXEC]);
    s.c.reconcile();
    s.c.reconcile();
    assert.deepEqual(s.deleted, []);
    await Promise.resolve();
    assert.deepEqual(s.deleted, ['web']);
  });
});
