import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { applyStaticPodDefaults, rfc3339Nano, stableStringify, staticPodUid } from '../../../src/sources/static-pod.js';
import type { Pod } from '../../../src/apis/core/types.js';
import { rawPod } from '../apis/core/helpers.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifestsDir } from '../../../src/sources/file-source.js';
import { admitPod } from '../../../src/apis/core/admit.js';

describe('staticPodUid', () => {
  test('stable for the same content, whatever the key order', () => {
    const a = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { a: '1', b: '2' } } };
    const b = { metadata: { labels: { b: '2', a: '1' }, name: 'x' }, kind: 'Pod', apiVersion: 'v1' };
    assert.equal(staticPodUid('node1', '/etc/p.yaml', a), staticPodUid('node1', '/etc/p.yaml', b));
    assert.match(staticPodUid('node1', '/etc/p.yaml', a), /^[0-9a-f]{32}$/);
  });

  test('changes with content, path or node', () => {
    const base = staticPodUid('node1', '/etc/p.yaml', rawPod());
    assert.notEqual(staticPodUid('node1', '/etc/p.yaml', rawPod({ restartPolicy: 'Never' })), base);
    assert.notEqual(staticPodUid('node1', '/etc/q.yaml', rawPod()), base);
    assert.notEqual(staticPodUid('node2', '/etc/p.yaml', rawPod()), base);
  });

  test('stableStringify sorts keys at every level', () => {
    assert.equal(stableStringify({ b: [{ d: 1, c: 2 }], a: null }), '{"a":null,"b":[{"c":2,"d":1}]}');
  });
});

describe('applyStaticPodDefaults', () => {
  const now = Date.UTC(2026, 10, 23, 13, 47, 24, 120);
  test('name, uid, node, annotations and toleration (pkg/kubelet/config/common.go applyDefaults)', () => {
    const raw = rawPod();
    const out = applyStaticPodDefaults(raw, 'Node-A', '/m/web.yaml', now) as Pod;
    const uid = staticPodUid('Node-A', '/m/web.yaml', raw);
    assert.equal(out.metadata.name, 'web-node-a');
    assert.equal(out.metadata.uid, uid);
    assert.equal(out.metadata.namespace, 'default');
    assert.equal(out.spec.nodeName, 'Node-A');
    assert.deepEqual(out.metadata.annotations, {
      'kubernetes.io/config.hash': uid,
      'kubernetes.io/config.source': 'file',
      'kubernetes.io/config.seen': '2026-11-23T13:47:24.12Z',
    });
    assert.deepEqual(out.spec.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
    assert.equal((raw.metadata as Pod['metadata']).name, 'web', 'input not mutated');
  });

  test('an explicit uid is kept and used as the config hash', () => {
    const out = applyStaticPodDefaults(rawPod({}, { uid: 'given' }), 'n', '/p', now) as Pod;
    assert.equal(out.metadata.uid, 'given');
    assert.equal(out.metadata.annotations!['kubernetes.io/config.hash'], 'given');
  });

  test('non-objects pass through for admission to reject', () => {
    assert.equal(applyStaticPodDefaults('x', 'n', '/p'), 'x');
  });

  test('rfc3339Nano trims trailing zeros', () => {
    assert.equal(rfc3339Nano(Date.UTC(2026, 0, 1, 0, 0, 0, 0)), '2026-01-01T00:00:00Z');
    assert.equal(rfc3339Nano(Date.UTC(2026, 0, 1, 0, 0, 0, 500)), '2026-01-01T00:00:00.5Z');
  });
});

describe('static pod admission', () => {
  test('a static pod from the manifests directory keeps its file-derived uid through admission', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'static-admit-'));
    t.after(() => rmSync(dir, { recursive: true }));
    const raw = rawPod();
    writeFileSync(join(dir, 'web.json'), JSON.stringify(raw));
    const found = readManifestsDir(dir, 'node1');
    assert.deepEqual(found.errors, []);
    const pod = found.pods[0]!.obj;
    assert.equal(pod.metadata.name, 'web-node1');
    assert.equal(pod.metadata.uid, staticPodUid('node1', join(dir, 'web.json'), raw));
    assert.equal(pod.spec.nodeName, 'node1');
  });

  test('admission without the file source ignores the uid the defaults wrote: only the agent assigns one', () => {
    const pod = admitPod(applyStaticPodDefaults(rawPod(), 'node1', '/m/web.yaml'), {});
    assert.notEqual(pod.metadata.uid, staticPodUid('node1', '/m/web.yaml', rawPod()));
  });
});
