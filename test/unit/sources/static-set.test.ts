// The pure merge of the file source's snapshots: by UID for pods, by name (file wins,
// only file-owned objects removed) for Secrets and ConfigMaps.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { ConfigMap, StoredObject, ValidPod } from '../../../src/apis/core/types.js';
import {
  diffStaticObjects,
  diffStaticPods,
  firstDeclarationWins,
  markFileOwned,
  sameDeclaredContent,
} from '../../../src/sources/static-set.js';
import { mkPod } from '../status/helpers.js';

const pod = (name: string, uid: string, image = 'busybox'): ValidPod => {
  const p = mkPod({ containers: [{ name: 'c', image }] });
  return { ...p, metadata: { ...p.metadata, name, uid } };
};
const cm = (name: string, data: Record<string, string>, extra: Partial<ConfigMap['metadata']> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default', ...extra },
  data,
});

describe('diffStaticPods', () => {
  const names = (ps: ValidPod[]) => ps.map((p) => p.metadata.uid);
  const cases: {
    name: string;
    prev: ValidPod[];
    next: ValidPod[];
    added: string[];
    updated: string[];
    removed: string[];
  }[] = [
    {
      name: 'first SET adds all',
      prev: [],
      next: [pod('a', '1'), pod('b', '2')],
      added: ['1', '2'],
      updated: [],
      removed: [],
    },
    {
      name: 'same SET is no change',
      prev: [pod('a', '1')],
      next: [pod('a', '1')],
      added: [],
      updated: [],
      removed: [],
    },
    {
      name: 'empty SET removes all',
      prev: [pod('a', '1'), pod('b', '2')],
      next: [],
      added: [],
      updated: [],
      removed: ['1', '2'],
    },
    {
      name: 'edit = new UID: remove + add',
      prev: [pod('a', '1')],
      next: [pod('a', '9')],
      added: ['9'],
      updated: [],
      removed: ['1'],
    },
    {
      name: 'same UID, changed content: update',
      prev: [pod('a', '1')],
      next: [pod('a', '1', 'nginx')],
      added: [],
      updated: ['1'],
      removed: [],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const d = diffStaticPods(c.prev, c.next);
      assert.deepEqual([names(d.added), names(d.updated), names(d.removed)], [c.added, c.updated, c.removed]);
    });
  }

  test('a re-read stamps a new config.seen and creationTimestamp: still no change', () => {
    const a = pod('a', '1');
    const b = pod('a', '1');
    b.metadata = {
      ...b.metadata,
      creationTimestamp: '2031-01-01T00:00:00Z',
      annotations: { 'kubernetes.io/config.seen': '2031-01-01T00:00:00.5Z' },
    };
    assert.ok(sameDeclaredContent(a, b));
    assert.deepEqual(diffStaticPods([a], [b]).updated, []);
  });
});

describe('firstDeclarationWins', () => {
  test('the first file in order keeps the name; the later one is reported naming both files', () => {
    const r = firstDeclarationWins([
      { file: '/m/a.yaml', obj: pod('web', '1') },
      { file: '/m/b.yaml', obj: pod('web', '2') },
      { file: '/m/c.yaml', obj: pod('other', '3') },
    ]);
    assert.deepEqual(
      r.kept.map((e) => e.file),
      ['/m/a.yaml', '/m/c.yaml'],
    );
    assert.equal(r.duplicates.length, 1);
    assert.equal(r.duplicates[0]!.file, '/m/b.yaml');
    assert.match(r.duplicates[0]!.message, /pod "default\/web" is already declared by \/m\/a\.yaml/);
  });

  test('a Secret and a ConfigMap of one name do not clash', () => {
    const secret: StoredObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'default' } };
    const r = firstDeclarationWins<StoredObject>([
      { file: '/m/a.yaml', obj: cm('x', {}) },
      { file: '/m/b.yaml', obj: secret },
    ]);
    assert.equal(r.kept.length, 2);
  });
});

describe('diffStaticObjects', () => {
  const stored = (o: ConfigMap): ConfigMap => ({
    ...o,
    metadata: { ...o.metadata, uid: 'u', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z' },
  });
  const keys = (os: StoredObject[]) => os.map((o) => o.metadata.name);

  test('new and changed declarations are put; an unchanged one is not rewritten', () => {
    const d = diffStaticObjects(
      [stored(markFileOwned(cm('same', { a: '1' }))), stored(markFileOwned(cm('changed', { a: '1' })))],
      [markFileOwned(cm('same', { a: '1' })), markFileOwned(cm('changed', { a: '2' })), markFileOwned(cm('new', {}))],
    );
    assert.deepEqual(keys(d.put), ['changed', 'new']);
    assert.deepEqual(d.remove, []);
  });

  test('only file-owned objects are removed with their file; API-created ones stay', () => {
    const d = diffStaticObjects([stored(markFileOwned(cm('from-file', {}))), stored(cm('from-api', {}))], []);
    assert.deepEqual(keys(d.remove), ['from-file']);
  });

  test('a file declaring an API-created name takes it over (the file wins)', () => {
    const d = diffStaticObjects([stored(cm('shared', { a: '1' }))], [markFileOwned(cm('shared', { a: '1' }))]);
    assert.deepEqual(keys(d.put), ['shared']);
  });
});
