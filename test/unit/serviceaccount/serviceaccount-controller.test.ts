// The serviceaccounts controller and the root-ca-cert-publisher: `default` and
// `kube-root-ca.crt` in every active namespace, back after a deletion or an edit, never
// in a namespace being deleted; watchers see a deletion before the re-creation.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from '../../harness/node-test.js';
import type { ConfigMap, WatchEventType } from '../../../src/apis/core/types.js';
import { NamespaceStore } from '../../../src/namespace/namespace-store.js';
import { ServiceAccountController } from '../../../src/serviceaccount/serviceaccount-controller.js';
import { ObjectStore } from '../../../src/sources/object-store.js';
import { silentLogger } from '../../../src/util/logger.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { FakeClock } from '../../fakes/fake-clock.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-sa-ctl-'));
  dirs.push(dir);
  const rvs = new ResourceVersions();
  const clock = new FakeClock();
  const fail = (file: string, err: unknown) => assert.fail(`${file}: ${String(err)}`);
  const namespaces = new NamespaceStore(dir, rvs, clock, fail);
  const objects = new ObjectStore(dir, rvs, fail);
  const ctl = new ServiceAccountController({ namespaces, objects, clock, log: silentLogger(), caPem: CA });
  return { namespaces, objects, ctl };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('serviceaccount controller', () => {
  test('every namespace gets `default` and kube-root-ca.crt at start, and a new namespace too', async () => {
    const { namespaces, objects, ctl } = setUp();
    ctl.start();
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      assert.ok(objects.find('ServiceAccount', ns, 'default')?.metadata.uid, ns);
      const cm = objects.find('ConfigMap', ns, 'kube-root-ca.crt') as ConfigMap;
      assert.equal(cm.data?.['ca.crt'], CA);
      assert.match(cm.metadata.annotations?.['kubernetes.io/description'] ?? '', /CA bundle/);
    }
    namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    await settle();
    assert.ok(objects.find('ServiceAccount', 'team', 'default'));
    assert.ok(objects.find('ConfigMap', 'team', 'kube-root-ca.crt'));
    ctl.stop();
  });

  test('deleted, they come back (a new uid) after the deletion was seen; an edited ca.crt is restored', async () => {
    const { objects, ctl } = setUp();
    ctl.start();
    const seen: [WatchEventType, string][] = [];
    objects.subscribe((type, o) => seen.push([type, `${o.kind}/${o.metadata.name}`]));
    const uid = objects.find('ServiceAccount', 'default', 'default')!.metadata.uid;
    objects.delete('ServiceAccount', 'default', 'default');
    await settle();
    assert.notEqual(objects.find('ServiceAccount', 'default', 'default')?.metadata.uid, uid);
    assert.deepEqual(seen, [
      ['DELETED', 'ServiceAccount/default'],
      ['ADDED', 'ServiceAccount/default'],
    ]);

    const cm = objects.find('ConfigMap', 'default', 'kube-root-ca.crt') as ConfigMap;
    objects.update({ ...cm, data: { 'ca.crt': 'evil' } });
    await settle();
    assert.equal((objects.find('ConfigMap', 'default', 'kube-root-ca.crt') as ConfigMap).data?.['ca.crt'], CA);
    ctl.stop();
  });

  test('a Terminating namespace is left alone; other ServiceAccounts are not re-created', async () => {
    const { namespaces, objects, ctl } = setUp();
    ctl.start();
    namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
    await settle();
    namespaces.beginDelete('gone');
    objects.delete('ServiceAccount', 'gone', 'default');
    objects.delete('ConfigMap', 'gone', 'kube-root-ca.crt');
    await settle();
    assert.equal(objects.find('ServiceAccount', 'gone', 'default'), undefined);
    assert.equal(objects.find('ConfigMap', 'gone', 'kube-root-ca.crt'), undefined);

    objects.put(
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default', uid: 'r' } },
      { replace: false },
    );
    objects.delete('ServiceAccount', 'default', 'robot');
    await settle();
    assert.equal(objects.find('ServiceAccount', 'default', 'robot'), undefined);
    ctl.stop();
  });

  test('without a CA (no API served) only the ServiceAccount is created', () => {
    const { namespaces, objects } = setUp();
    const ctl = new ServiceAccountController({ namespaces, objects, clock: new FakeClock(), log: silentLogger() });
    ctl.start();
    assert.ok(objects.find('ServiceAccount', 'default', 'default'));
    assert.equal(objects.find('ConfigMap', 'default', 'kube-root-ca.crt'), undefined);
    ctl.stop();
  });
});
