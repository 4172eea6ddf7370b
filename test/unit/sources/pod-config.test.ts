// PodConfig is the one owner of incoming pods: what each source change does to the
// desired set (pod manager), the status stream, the persisted API pods and the
// updates the workers receive.
import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod, ValidPod } from '../../../src/apis/core/types.js';
import { PodManager } from '../../../src/pod/pod-manager.js';
import { StatusManager } from '../../../src/status/status-manager.js';
import { PodConfig, type PodUpdate } from '../../../src/sources/pod-config.js';
import { JsonDir } from '../../../src/sources/json-dir.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { EventRecorder } from '../../../src/events/recorder.js';
import { mkPod } from '../status/helpers.js';

function setup(maxPods = 110) {
  const dir = mkdtempSync(join(tmpdir(), 'pod-config-'));
  const pods = new PodManager();
  const status = new StatusManager(pods, new ResourceVersions());
  const updates: PodUpdate[] = [];
  const watched: [string, Pod][] = [];
  status.subscribe((type, pod) => watched.push([type, pod]));
  const apiPods = new JsonDir<ValidPod>(join(dir, 'pods'));
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  const events = new EventRecorder({ clock, nodeName: 'node-a', nextResourceVersion: () => '1' });
  const points: string[] = [];
  const config = new PodConfig({
    pods,
    apiPods,
    nodeName: 'node-a',
    clock,
    log: silentLogger(),
    handler: (u) => updates.push(u),
    maxPods,
    status,
    events,
    point: (name) => points.push(name),
  });
  const stored = () => apiPods.readAll(() => assert.fail('unreadable record'));
  return {
    dir,
    events,
    pods,
    status,
    updates,
    watched,
    apiPods,
    config,
    stored,
    points,
    cleanup: () => rmSync(dir, { recursive: true }),
  };
}

const staticPod = (name: string, uid: string): ValidPod => {
  const p = mkPod();
  return { ...p, metadata: { ...p.metadata, name, uid, annotations: { 'kubernetes.io/config.source': 'file' } } };
};
const apiPod = (name: string, uid: string): ValidPod => {
  const p = mkPod();
  return { ...p, metadata: { ...p.metadata, name, uid } };
};

describe('PodConfig', () => {
  test('an API pod is bound to the node, persisted, published ADDED and handed to the workers as ADD', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('web', 'u1'));
    assert.equal(s.pods.getPodByUid('u1')?.spec.nodeName, 'node-a');
    assert.deepEqual(
      s.stored().map((p) => p.metadata.uid),
      ['u1'],
    );
    assert.deepEqual(
      s.updates.map((u) => [u.op, u.pod.metadata.uid]),
      [['ADD', 'u1']],
    );
    assert.deepEqual(
      s.watched.map(([type, p]) => [type, p.metadata.name, p.status?.phase]),
      [['ADDED', 'web', 'Pending']],
    );
  });

  test('a second pod with a taken name is AlreadyExists and changes nothing', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('web', 'u1'));
    assert.throws(() => s.config.addApiPod(apiPod('web', 'u2')), /pods "web" already exists/);
    assert.equal(s.pods.getPodByUid('u2'), undefined);
    assert.equal(s.updates.length, 1);
  });

  test('delete sets deletionTimestamp from the grace, persists it, and sends DELETE; a second delete changes nothing', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('web', 'u1'));
    const deleting = s.config.deleteApiPod('default', 'web', 5);
    assert.equal(deleting.metadata.deletionTimestamp, '2026-01-01T00:00:05Z');
    assert.equal(deleting.metadata.deletionGracePeriodSeconds, 5);
    assert.equal(s.stored()[0]?.metadata.deletionTimestamp, '2026-01-01T00:00:05Z');
    s.config.deleteApiPod('default', 'web', 1);
    assert.deepEqual(
      s.updates.map((u) => [u.op, u.gracePeriodSeconds]),
      [
        ['ADD', undefined],
        ['DELETE', 5],
      ],
    );
    assert.deepEqual(
      s.watched.map(([type]) => type),
      ['ADDED', 'MODIFIED'],
    );
  });

  test('termination removes the pod: DELETED with its last status, and its record is gone', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('web', 'u1'));
    s.status.setStatus('u1', { phase: 'Succeeded' });
    s.config.podTerminated('u1');
    assert.equal(s.pods.getPodByUid('u1'), undefined);
    assert.deepEqual(s.stored(), []);
    const last = s.watched.at(-1)!;
    assert.equal(last[0], 'DELETED');
    assert.equal(last[1].status?.phase, 'Succeeded');
    assert.equal(s.status.findPod('default', 'web'), undefined);
  });

  test('a static pod cannot be deleted through the API', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.setStaticPods([staticPod('etcd-node-a', 's1')]);
    assert.throws(() => s.config.deleteApiPod('default', 'etcd-node-a'), /is forbidden: it is a static pod/);
    assert.deepEqual(
      s.updates.map((u) => u.op),
      ['ADD'],
    );
  });

  test('replay at start: API pods first (with deletions in progress), then a clashing static pod waits', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.apiPods.write('default/web', apiPod('web', 'u1'));
    const gone = apiPod('old', 'u2');
    s.apiPods.write('default/old', {
      ...gone,
      metadata: { ...gone.metadata, deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 },
    });
    s.config.loadApiPods(() => assert.fail('unreadable record'));
    s.config.setStaticPods([staticPod('web', 's1')]);
    assert.deepEqual(s.updates.map((u) => [u.op, u.pod.metadata.uid, u.gracePeriodSeconds]).sort(), [
      ['ADD', 'u1', undefined],
      ['ADD', 'u2', undefined],
      ['DELETE', 'u2', 30],
    ]);
    assert.equal(s.pods.getPodByUid('s1'), undefined);
  });

  test('deleteAllPods sends DELETE for every pod and resolves once all are terminated', async (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('a', 'u1'));
    s.config.setStaticPods([staticPod('b', 's1')]);
    let done = false;
    const all = s.config.deleteAllPods().then(() => {
      done = true;
    });
    assert.deepEqual(
      s.updates.filter((u) => u.op === 'DELETE').map((u) => u.pod.metadata.uid),
      ['u1', 's1'],
    );
    s.config.podTerminated('u1');
    await Promise.resolve();
    assert.equal(done, false);
    s.config.podTerminated('s1');
    await all;
    assert.equal(s.pods.getPods().length, 0);
  });

  test('reconcileNamespace asks every pod of that namespace to sync again', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('a', 'u1'));
    s.config.reconcileNamespace('default');
    s.config.reconcileNamespace('other');
    assert.deepEqual(
      s.updates.map((u) => [u.op, u.pod.metadata.uid]),
      [
        ['ADD', 'u1'],
        ['RECONCILE', 'u1'],
      ],
    );
  });

  test('an API pod claiming to be static is stamped config.source api and can be deleted through the API', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const claim = apiPod('sneaky', 'u1');
    claim.metadata.annotations = {
      'kubernetes.io/config.source': 'file',
      'kubernetes.io/config.hash': 'u1',
      'kubernetes.io/config.mirror': 'u1',
      keep: 'me',
    };
    const pod = s.config.addApiPod(claim);
    assert.deepEqual(pod.metadata.annotations, { 'kubernetes.io/config.source': 'api', keep: 'me' });
    const deleting = s.config.deleteApiPod('default', 'sneaky');
    assert.ok(deleting.metadata.deletionTimestamp);
    assert.deepEqual(
      s.updates.map((u) => u.op),
      ['ADD', 'DELETE'],
    );
  });

  test('--max-pods: a pod beyond the limit is Failed/OutOfpods with a Warning event and never reaches the workers', (t) => {
    const s = setup(1);
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('first', 'u1'));
    s.config.addApiPod(apiPod('second', 'u2'));
    assert.deepEqual(
      s.updates.map((u) => [u.op, u.pod.metadata.uid]),
      [['ADD', 'u1']],
    );
    const status = s.status.getStatus('u2');
    assert.equal(status?.phase, 'Failed');
    assert.equal(status?.reason, 'OutOfpods');
    assert.equal(
      status?.message,
      "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1",
    );
    const ev = s.events.forPod('u2');
    assert.deepEqual(
      ev.map((e) => [e.type, e.reason, e.message]),
      [['Warning', 'OutOfpods', "Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1"]],
    );
    // The rejected pod has no containers: deleting it removes it at once, record included.
    s.config.deleteApiPod('default', 'second');
    assert.equal(s.pods.getPodByUid('u2'), undefined);
    assert.deepEqual(
      s.stored().map((p) => p.metadata.uid),
      ['u1'],
    );
    assert.deepEqual(
      s.updates.map((u) => u.op),
      ['ADD'],
    );
  });

  test('a taken host port: the pod stays Pending/Unschedulable with the scheduler event, and starts when the holder is gone', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const withPort = (name: string, uid: string, hostIP?: string): ValidPod => {
      const p = apiPod(name, uid);
      const ports = [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' as const, ...(hostIP ? { hostIP } : {}) }];
      return { ...p, spec: { ...p.spec, containers: [{ name: 'app', image: 'x:1', ports }] } };
    };
    s.config.addApiPod(withPort('first', 'u1'));
    s.config.addApiPod(withPort('second', 'u2', '127.0.0.1'));
    assert.deepEqual(
      s.updates.map((u) => [u.op, u.pod.metadata.uid]),
      [['ADD', 'u1']],
    );
    const msg = "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.";
    const status = s.status.getStatus('u2');
    assert.equal(status?.phase, 'Pending');
    assert.deepEqual(
      status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['PodScheduled', 'False', 'Unschedulable', msg]],
    );
    const ev = s.events.forPod('u2');
    assert.deepEqual(
      ev.map((e) => [e.type, e.reason, e.message, e.source.component]),
      [['Warning', 'FailedScheduling', msg, 'default-scheduler']],
    );
    // The holder goes (deleted, its containers gone): the waiting pod is placed.
    s.config.deleteApiPod('default', 'first');
    s.config.podTerminated('u1');
    assert.deepEqual(
      s.updates.map((u) => [u.op, u.pod.metadata.uid]),
      [
        ['ADD', 'u1'],
        ['DELETE', 'u1'],
        ['ADD', 'u2'],
      ],
    );
  });

  test('a waiting pod updated, then deleted before its port frees: nothing reaches the workers', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const withPort = (name: string, uid: string): ValidPod => {
      const p = apiPod(name, uid);
      const ports = [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' as const }];
      return { ...p, spec: { ...p.spec, containers: [{ name: 'app', image: 'x:1', ports }] } };
    };
    s.config.addApiPod(withPort('first', 'u1'));
    s.config.addApiPod(withPort('second', 'u2'));
    // An update while it waits reaches no worker either.
    s.config.updateApiPod('default', 'second', (p) => ({ ...p, metadata: { ...p.metadata, labels: { a: 'b' } } }));
    s.config.deleteApiPod('default', 'second');
    assert.equal(s.pods.getPodByUid('u2'), undefined);
    assert.deepEqual(
      s.updates.map((u) => u.op),
      ['ADD'],
    );
  });

  test('a pods/status write is persisted with the pod and reaches its worker as UPDATE; a static pod refuses it', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('web', 'u1'));
    const gate = { type: 'x.io/g', status: 'True' as const, lastProbeTime: null, lastTransitionTime: 'T' };
    s.config.updateApiPodStatus('default', 'web', (p) => ({ ...p, status: { phase: 'Pending', conditions: [gate] } }));
    assert.deepEqual(s.stored()[0]!.status?.conditions, [gate], 'kept for the next start');
    assert.deepEqual(s.pods.getPodByUid('u1')?.status?.conditions, [gate]);
    assert.deepEqual(
      s.updates.map((u) => u.op),
      ['ADD', 'UPDATE'],
    );
    assert.deepEqual(s.updates[1]!.pod.status?.conditions, [gate], 'the worker syncs with the new conditions');
    s.config.setStaticPods([staticPod('st', 's1')]);
    assert.throws(
      () => s.config.updateApiPodStatus('default', 'st', (p) => p),
      /pods "st" is forbidden: it is a static pod from the manifests directory; its status cannot be set through the API/,
    );
  });

  test('--max-pods: terminal pods do not count, static pods do', (t) => {
    const s = setup(1);
    t.after(s.cleanup);
    s.config.setStaticPods([staticPod('st', 's1')]);
    s.config.addApiPod(apiPod('a', 'u1'));
    assert.equal(s.status.getStatus('u1')?.reason, 'OutOfpods');
    s.status.setStatus('s1', { phase: 'Succeeded' });
    s.config.addApiPod(apiPod('b', 'u2'));
    assert.equal(s.status.getStatus('u2')?.phase, 'Pending');
    assert.deepEqual(
      s.updates.map((u) => [u.op, u.pod.metadata.uid]),
      [
        ['ADD', 's1'],
        ['ADD', 'u2'],
      ],
    );
  });
});

describe("PodConfig: the file source's SETs", () => {
  const ops = (s: ReturnType<typeof setup>) => s.updates.map((u) => [u.op, u.pod.metadata.uid, u.gracePeriodSeconds]);
  const withGrace = (p: ValidPod, grace: number): ValidPod => ({
    ...p,
    spec: { ...p.spec, terminationGracePeriodSeconds: grace },
  });

  test("an unchanged SET changes nothing; a UID gone is deleted gracefully with the pod's own grace", (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.setStaticPods([withGrace(staticPod('a', 's1'), 7), staticPod('b', 's2')]);
    s.config.setStaticPods([withGrace(staticPod('a', 's1'), 7), staticPod('b', 's2')]);
    s.config.setStaticPods([staticPod('b', 's2')]);
    assert.deepEqual(ops(s), [
      ['ADD', 's1', undefined],
      ['ADD', 's2', undefined],
      ['DELETE', 's1', 7],
    ]);
    assert.ok(s.pods.getPodByUid('s1')?.metadata.deletionTimestamp, 'terminating pods show a deletionTimestamp');
    s.config.podTerminated('s1');
    assert.equal(s.pods.getPodByUid('s1'), undefined);
  });

  test('an edited file (new UID, same name): the new pod starts only once the old one has terminated', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.setStaticPods([staticPod('web', 'old')]);
    s.config.setStaticPods([staticPod('web', 'new')]);
    assert.deepEqual(ops(s), [
      ['ADD', 'old', undefined],
      ['DELETE', 'old', 30],
    ]);
    assert.equal(s.pods.getPodByName('default', 'web')?.metadata.uid, 'old');
    assert.deepEqual(s.points, []);
    s.config.podTerminated('old');
    assert.deepEqual(s.points, ['static-pod-replacement']);
    assert.deepEqual(ops(s).at(-1), ['ADD', 'new', undefined]);
    assert.equal(s.pods.getPodByName('default', 'web')?.metadata.uid, 'new');
  });

  test('a file removed and re-added identically while its pod terminates: the same UID starts again afterwards', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.setStaticPods([staticPod('web', 's1')]);
    s.config.setStaticPods([]);
    s.config.setStaticPods([staticPod('web', 's1')]);
    assert.deepEqual(ops(s), [
      ['ADD', 's1', undefined],
      ['DELETE', 's1', 30],
    ]);
    s.config.podTerminated('s1');
    assert.deepEqual(ops(s).at(-1), ['ADD', 's1', undefined]);
    assert.equal(s.pods.getPodByUid('s1')?.metadata.deletionTimestamp, undefined);
  });

  test('a waiting pod whose file goes away again never starts', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.setStaticPods([staticPod('web', 'old')]);
    s.config.setStaticPods([staticPod('web', 'new')]);
    s.config.setStaticPods([]);
    s.config.podTerminated('old');
    assert.deepEqual(
      ops(s).map((o) => o.slice(0, 2)),
      [
        ['ADD', 'old'],
        ['DELETE', 'old'],
      ],
    );
    assert.equal(s.pods.getPods().length, 0);
  });

  test('same UID with new content (a manifest naming its own uid) is an UPDATE; creationTimestamp stays', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.setStaticPods([staticPod('web', 's1')]);
    const changed = staticPod('web', 's1');
    s.config.setStaticPods([
      {
        ...changed,
        metadata: { ...changed.metadata, creationTimestamp: '2030-01-01T00:00:00Z', labels: { v: '2' } },
      },
    ]);
    assert.deepEqual(
      ops(s).map((o) => o.slice(0, 2)),
      [
        ['ADD', 's1'],
        ['UPDATE', 's1'],
      ],
    );
    const pod = s.pods.getPodByUid('s1')!;
    assert.equal(pod.metadata.labels?.v, '2');
    assert.equal(pod.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  });

  test('a static pod whose name an API pod holds waits, and starts when that pod is gone', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.addApiPod(apiPod('web', 'u1'));
    s.config.setStaticPods([staticPod('web', 's1')]);
    assert.equal(s.pods.getPodByName('default', 'web')?.metadata.uid, 'u1');
    s.config.deleteApiPod('default', 'web');
    s.config.podTerminated('u1');
    assert.equal(s.pods.getPodByName('default', 'web')?.metadata.uid, 's1');
  });

  test('after deleteAllPods (drain, `run -f` ending) nothing new starts', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.config.setStaticPods([staticPod('web', 'old')]);
    s.config.setStaticPods([staticPod('web', 'new')]);
    void s.config.deleteAllPods();
    s.config.podTerminated('old');
    s.config.setStaticPods([staticPod('other', 's3')]);
    assert.equal(s.pods.getPods().length, 0);
    assert.ok(!ops(s).some((o) => o[0] === 'ADD' && o[1] !== 'old'));
  });
});
