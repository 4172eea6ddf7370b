// Namespaces: the initial four, creation and its validation, NamespaceLifecycle admission,
// Terminating on delete, and persistence across a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from '../../harness/node-test.js';
import { NamespaceStore } from '../../../src/namespace/namespace-store.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import type { Namespace, WatchEventType } from '../../../src/apis/core/types.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function store(dir = mkdtempSync(join(tmpdir(), 'mkl-ns-'))): { s: NamespaceStore; dir: string } {
  dirs.push(dir);
  const fail = (file: string, err: unknown) => assert.fail(`${file}: ${String(err)}`);
  return { s: new NamespaceStore(dir, new ResourceVersions(), new FakeClock(), fail), dir };
}

const body = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('namespace store', () => {
  test("a cluster's four namespaces exist from the start, Active, with the name label", () => {
    const { s } = store();
    assert.deepEqual(
      s.list().map((n) => [n.metadata.name, n.status.phase]),
      [
        ['default', 'Active'],
        ['kube-node-lease', 'Active'],
        ['kube-public', 'Active'],
        ['kube-system', 'Active'],
      ],
    );
    assert.equal(s.get('default').metadata.labels?.['kubernetes.io/metadata.name'], 'default');
  });

  test('create: finalizer kubernetes, Active; duplicates and bad names refused', () => {
    const { s } = store();
    const ns = s.create(body('awesomeapps'));
    assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
    assert.equal(ns.status.phase, 'Active');
    assert.throws(() => s.create(body('awesomeapps')), /namespaces "awesomeapps" already exists/);
    assert.throws(() => s.create(body('Bad_Name')), /Namespace "Bad_Name" is invalid: metadata.name: Invalid value/);
  });

  test('admission: missing is NotFound, Terminating is Forbidden with the API server message', () => {
    const { s } = store();
    assert.throws(() => s.admitCreate('nope', 'pods', 'web'), {
      code: 'NotFound',
      message: 'namespaces "nope" not found',
    });
    s.create(body('team'));
    s.admitCreate('team', 'pods', 'web');
    const events: [WatchEventType, Namespace][] = [];
    s.subscribe((t, n) => events.push([t, n]));
    const terminating = s.beginDelete('team');
    assert.equal(terminating.status.phase, 'Terminating');
    assert.ok(terminating.metadata.deletionTimestamp);
    assert.throws(() => s.admitCreate('team', 'secrets', 's'), {
      code: 'Forbidden',
      message:
        'secrets "s" is forbidden: unable to create new content in namespace team because it is being terminated',
    });
    s.finalize('team');
    assert.deepEqual(
      events.map(([t]) => t),
      ['MODIFIED', 'DELETED'],
    );
    assert.throws(() => s.get('team'), /namespaces "team" not found/);
  });

  test('default, kube-system and kube-public may not be deleted', () => {
    const { s } = store();
    assert.throws(() => s.beginDelete('default'), {
      code: 'Forbidden',
      message: 'namespaces "default" is forbidden: this namespace may not be deleted',
    });
  });

  test('namespaces and their Terminating phase survive a restart', () => {
    const { s, dir } = store();
    s.create(body('keep'));
    s.create(body('going'));
    s.beginDelete('going');
    const { s: again } = store(dir);
    assert.equal(again.get('keep').status.phase, 'Active');
    assert.equal(again.get('going').status.phase, 'Terminating');
  });
});
