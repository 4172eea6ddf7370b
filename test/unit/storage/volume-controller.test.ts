// The one-node storage controllers: a claim's way from Pending (WaitForFirstConsumer)
// to Bound when a pod is placed, pvc-protection holding a deleted claim while a pod uses
// it, the reclaim of its PV (Delete: data removed, then the PV), generic ephemeral
// claims owned by and deleted after their pod, persistence across a restart, and the
// API's update rules.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidPod, Volume } from '../../../src/apis/core/types.js';
import { ClaimStore } from '../../../src/storage/claim-store.js';
import { VolumeController } from '../../../src/storage/volume-controller.js';
import { dataVolumeName } from '../../../src/storage/provisioner.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { silentLogger } from '../../../src/util/logger.js';
import { KubeletError, ValidationError } from '../../../src/util/errors.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { pod } from '../../fixtures/pods.js';

const claimBody = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra },
});

function podUsing(name: string, uid: string, volumes: Volume[]): ValidPod {
  const p = pod({ name });
  return { ...p, metadata: { ...p.metadata, uid }, spec: { ...p.spec, volumes } };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'volume-controller-'));
  const rvs = new ResourceVersions();
  const events: { reason: string; message: string; type: string; name?: string }[] = [];
  const removed: string[] = [];
  const users = new Map<string, ValidPod[]>();
  const pods = new Set<string>();
  let changed = 0;
  const make = () =>
    new VolumeController({
      store: new ClaimStore(dir, rvs, (f) => assert.fail(`unreadable ${f}`)),
      clock: new FakeClock(),
      nodeName: 'node1',
      events: {
        objectEvent: (o, type, reason, message) => events.push({ type, reason, message, name: o.metadata.name }),
      },
      log: silentLogger(),
      podsUsing: (ns, claim) => users.get(`${ns}/${claim}`) ?? [],
      podExists: (uid) => pods.has(uid),
      removeData: async (name) => {
        removed.push(name);
      },
      onClaimsChanged: () => {
        changed++;
      },
    });
  return {
    c: make(),
    dir,
    restart: make,
    events,
    removed,
    users,
    pods,
    changes: () => changed,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Let the reclaim's promise chain run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('VolumeController', () => {
  test('a new claim: default class, pvc-protection finalizer, Pending, WaitForFirstConsumer event', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const c = s.c.createClaim('default', claimBody('data'));
    assert.equal(c.spec.storageClassName, 'standard');
    assert.equal(c.spec.volumeMode, 'Filesystem');
    assert.deepEqual(c.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    assert.deepEqual(c.status, { phase: 'Pending' });
    assert.deepEqual(s.events, [
      {
        type: 'Normal',
        reason: 'WaitForFirstConsumer',
        message: 'waiting for first consumer to be created before binding',
        name: 'data',
      },
    ]);
    assert.equal(s.changes(), 1, 'waiting pods are retried');
    assert.throws(() => s.c.createClaim('default', claimBody('data')), /persistentvolumeclaims "data" already exists/);
  });

  test('a placed pod binds its claim to a new PV pvc-<uid>', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const c = s.c.createClaim('default', claimBody('data', { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] }));
    s.c.bindPodClaims(podUsing('web', 'p1', [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    const bound = s.c.getClaim('default', 'data');
    const pvName = `pvc-${c.metadata.uid}`;
    assert.equal(bound.spec.volumeName, pvName);
    assert.deepEqual(bound.status, {
      phase: 'Bound',
      accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      capacity: { storage: '1Gi' },
    });
    assert.equal(bound.metadata.annotations?.['pv.kubernetes.io/bind-completed'], 'yes');
    assert.equal(bound.metadata.annotations?.['volume.kubernetes.io/selected-node'], 'node1');
    const pv = s.c.getVolume(pvName);
    assert.equal(pv.status?.phase, 'Bound');
    assert.deepEqual(pv.spec.capacity, { storage: '1Gi' });
    assert.equal(pv.spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(pv.spec.storageClassName, 'standard');
    assert.deepEqual(pv.metadata.finalizers, ['kubernetes.io/pv-protection']);
    assert.deepEqual(pv.spec.claimRef, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid: c.metadata.uid,
    });
    assert.equal(s.c.dataVolumeOf('default', 'data'), dataVolumeName(pvName));
    assert.equal(s.c.dataVolumeOf('default', 'other'), undefined);
    // A second pod on the same (RWO) claim shares it: nothing new is provisioned.
    s.c.bindPodClaims(podUsing('web2', 'p2', [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    assert.equal(s.c.listVolumes().length, 1);
  });

  test('an unknown class: ProvisioningFailed and the claim stays Pending', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.c.createClaim('default', claimBody('fast', { storageClassName: 'fast' }));
    assert.equal(s.events[0]?.reason, 'ProvisioningFailed');
    assert.equal(s.events[0]?.message, 'storageclass.storage.k8s.io "fast" not found');
    s.c.bindPodClaims(podUsing('web', 'p1', [{ name: 'd', persistentVolumeClaim: { claimName: 'fast' } }]));
    assert.equal(s.c.getClaim('default', 'fast').status?.phase, 'Pending');
    assert.equal(s.c.listVolumes().length, 0);
  });

  test('deleting an in-use claim leaves it Terminating until its last pod terminates; then PV and data go', async (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.c.createClaim('default', claimBody('data'));
    const user = podUsing('web', 'p1', [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]);
    s.c.bindPodClaims(user);
    const pvName = s.c.getClaim('default', 'data').spec.volumeName!;
    s.users.set('default/data', [user]);
    const deleting = s.c.deleteClaim('default', 'data');
    assert.ok(deleting.metadata.deletionTimestamp);
    assert.deepEqual(deleting.metadata.finalizers, ['kubernetes.io/pvc-protection']);
    s.c.podsChanged();
    assert.ok(s.c.getClaim('default', 'data'), 'still used: still there');
    assert.deepEqual(s.removed, []);

    s.users.delete('default/data');
    s.c.podsChanged();
    assert.throws(
      () => s.c.getClaim('default', 'data'),
      (e: unknown) => e instanceof KubeletError && e.code === 'NotFound',
    );
    await settle();
    assert.deepEqual(s.removed, [dataVolumeName(pvName)]);
    assert.throws(() => s.c.getVolume(pvName), /persistentvolumes ".*" not found/);
  });

  test('a claim nobody uses is deleted at once; an unbound one has no PV to release', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.c.createClaim('default', claimBody('idle'));
    s.c.deleteClaim('default', 'idle');
    assert.equal(s.c.listClaims().length, 0);
    assert.deepEqual(s.removed, []);
  });

  test('a failed data removal leaves the PV Released, retried at the next pod termination', async (t) => {
    const s = setup();
    t.after(s.cleanup);
    let fail = true;
    const c = new VolumeController({
      store: new ClaimStore(mkdtempSync(join(tmpdir(), 'vc-fail-')), new ResourceVersions(), () => {}),
      clock: new FakeClock(),
      nodeName: 'node1',
      events: { objectEvent: () => {} },
      log: silentLogger(),
      podsUsing: () => [],
      podExists: () => false,
      removeData: async () => {
        if (fail) throw new Error('volume is in use');
      },
    });
    c.createClaim('default', claimBody('data'));
    c.bindPodClaims(podUsing('web', 'p1', [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    const pvName = c.getClaim('default', 'data').spec.volumeName!;
    c.deleteClaim('default', 'data');
    await settle();
    assert.equal(c.getVolume(pvName).status?.phase, 'Released');
    fail = false;
    c.podsChanged();
    await settle();
    assert.equal(c.listVolumes().length, 0);
  });

  test('ephemeral volumes: a claim <pod>-<volume> owned by the pod, deleted once the pod is gone', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } };
    const p = podUsing('web', 'p1', [
      { name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { labels: { a: 'b' } }, spec } } },
    ]);
    s.pods.add('p1');
    s.c.ensureEphemeralClaims(p);
    const c = s.c.getClaim('default', 'web-scratch');
    assert.deepEqual(c.metadata.labels, { a: 'b' });
    assert.deepEqual(c.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'p1', controller: true, blockOwnerDeletion: true },
    ]);
    s.c.ensureEphemeralClaims(p);
    assert.equal(s.c.listClaims().length, 1, 'created once');
    s.c.podsChanged();
    assert.equal(s.c.listClaims().length, 1, 'kept while the pod exists');
    s.pods.delete('p1');
    s.c.podsChanged();
    assert.equal(s.c.listClaims().length, 0, 'the garbage collector removes it with its pod');
  });

  test('a Bound PV whose claim is gone (a crash between the two writes) is released and reclaimed at resume', async (t) => {
    const s = setup();
    t.after(s.cleanup);
    const c = s.c.createClaim('default', claimBody('data'));
    s.c.bindPodClaims(podUsing('web', 'p1', [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    const store = new ClaimStore(s.dir, new ResourceVersions(), () => {});
    store.removeClaim(store.claim('default', 'data')!);
    const again = s.restart();
    again.resume();
    await settle();
    assert.deepEqual(s.removed, [dataVolumeName(`pvc-${c.metadata.uid}`)]);
    assert.equal(again.listVolumes().length, 0);
  });

  test('claims and PVs survive a restart (a new store over the same directory)', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.c.createClaim('default', claimBody('data'));
    s.c.bindPodClaims(podUsing('web', 'p1', [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    const before = s.c.getClaim('default', 'data');
    const again = s.restart();
    assert.deepEqual(again.getClaim('default', 'data'), before);
    assert.equal(again.getVolume(before.spec.volumeName!).status?.phase, 'Bound');
  });

  test('updates: metadata may change; the spec may not, except a bound claim growing', (t) => {
    const s = setup();
    t.after(s.cleanup);
    const c = s.c.createClaim('default', claimBody('data'));
    const labelled = s.c.replaceClaim('default', 'data', {
      ...claimBody('data'),
      metadata: { name: 'data', labels: { x: 'y' } },
    });
    assert.deepEqual(labelled.metadata.labels, { x: 'y' });
    assert.equal(labelled.metadata.uid, c.metadata.uid);
    assert.deepEqual(labelled.status, { phase: 'Pending' });

    const immutable =
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';
    const refused = (body: unknown, message: string) =>
      assert.throws(
        () => s.c.replaceClaim('default', 'data', body),
        (e: unknown) => e instanceof ValidationError && e.message.includes(message),
      );
    refused(claimBody('data', { accessModes: ['ReadWriteMany'] }), immutable);
    refused(claimBody('data', { resources: { requests: { storage: '2Gi' } } }), immutable);

    s.c.bindPodClaims(podUsing('web', 'p1', [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }]));
    // Re-applying the manifest (no volumeName) is no change.
    s.c.replaceClaim('default', 'data', claimBody('data'));
    const grown = s.c.replaceClaim(
      'default',
      'data',
      claimBody('data', { resources: { requests: { storage: '2Gi' } } }),
    );
    assert.deepEqual(grown.status?.capacity, { storage: '2Gi' });
    assert.deepEqual(s.c.getVolume(grown.spec.volumeName!).spec.capacity, { storage: '2Gi' });
    refused(
      claimBody('data', { resources: { requests: { storage: '1Gi' } } }),
      'spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    );
    assert.throws(
      () =>
        s.c.replaceClaim('default', 'data', claimBody('data', { resources: { requests: { storage: '2Gi' } } }), '1'),
      /Operation cannot be fulfilled on persistentvolumeclaims "data"/,
    );
  });

  test("a Terminating namespace's claims are deleted (in-use ones wait for their pods)", (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.c.createClaim('gone', claimBody('a'));
    s.c.createClaim('gone', claimBody('b'));
    s.c.createClaim('kept', claimBody('c'));
    s.users.set('gone/b', [podUsing('web', 'p1', [])]);
    s.c.deleteClaimsIn('gone');
    assert.deepEqual(
      s.c
        .listClaims()
        .map((c) => `${c.metadata.namespace}/${c.metadata.name}:${c.metadata.deletionTimestamp ? 'T' : ''}`),
      ['gone/b:T', 'kept/c:'],
    );
  });

  test('removing the last finalizer of a Terminating claim (kubectl patch) finishes its deletion', (t) => {
    const s = setup();
    t.after(s.cleanup);
    s.c.createClaim('default', claimBody('data'));
    s.users.set('default/data', [podUsing('web', 'p1', [])]);
    s.c.deleteClaim('default', 'data');
    s.c.replaceClaim('default', 'data', { ...claimBody('data'), metadata: { name: 'data', finalizers: [] } });
    assert.equal(s.c.listClaims().length, 0);
  });
});
