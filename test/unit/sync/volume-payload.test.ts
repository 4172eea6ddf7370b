import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { StoredKind, StoredObject, ValidPod } from '../../../src/apis/core/types.js';
import { VolumeSetUpError } from '../../../src/container/errors.js';
import { formatMap, podVolumePayloads } from '../../../src/sync/volume-payload.js';
import { pod } from '../../fixtures/pods.js';

const cm: StoredObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cm', namespace: 'default' },
  data: { a: 'A', b: 'B' },
};
const secret: StoredObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 's', namespace: 'default' },
  data: { pw: Buffer.from('hunter2').toString('base64') },
};
const lookup = (kind: StoredKind, ns: string, name: string) =>
  [cm, secret].find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name);

function withVolumes(volumes: unknown[]): ValidPod {
  const p = pod();
  return { ...p, spec: { ...p.spec, volumes: volumes as ValidPod['spec']['volumes'] } };
}

const text = (p: ReturnType<typeof podVolumePayloads>, vol: string, path: string) =>
  p.get(vol)?.payload.get(path)?.data.toString('utf8');

describe('volume payloads (configmap/secret/downwardapi/projected MakePayload)', () => {
  test('formatMap is the kubelet FormatMap: sorted key="value" lines, Go quoting', () => {
    assert.equal(formatMap({ b: 'x"y', a: '1', c: 'line\nnext\u0001' }), 'a="1"\nb="x\\"y"\nc="line\\nnext\\x01"');
    assert.equal(formatMap({}), '');
  });

  test('configMap: every key with defaultMode 0644, items with their own mode; secret decoded, on tmpfs', () => {
    const p = podVolumePayloads(
      withVolumes([
        { name: 'all', configMap: { name: 'cm' } },
        { name: 'some', configMap: { name: 'cm', items: [{ key: 'b', path: 'dir/b.txt', mode: 0o600 }] } },
        { name: 'sec', secret: { secretName: 's', defaultMode: 0o400 } },
      ]),
      lookup,
    );
    assert.deepEqual([...p.get('all')!.payload.keys()], ['a', 'b']);
    assert.equal(p.get('all')!.payload.get('a')!.mode, 0o644);
    assert.equal(p.get('all')!.tmpfs, false);
    assert.equal(text(p, 'some', 'dir/b.txt'), 'B');
    assert.equal(p.get('some')!.payload.get('dir/b.txt')!.mode, 0o600);
    assert.equal(text(p, 'sec', 'pw'), 'hunter2');
    assert.equal(p.get('sec')!.payload.get('pw')!.mode, 0o400);
    assert.equal(p.get('sec')!.tmpfs, true);
  });

  test('a missing object: empty when optional, else the kubelet message naming the volume', () => {
    const p = podVolumePayloads(withVolumes([{ name: 'o', configMap: { name: 'nope', optional: true } }]), lookup);
    assert.equal(p.get('o')!.payload.size, 0);
    assert.throws(
      () => podVolumePayloads(withVolumes([{ name: 'x', configMap: { name: 'nope' } }]), lookup),
      (e: unknown) =>
        e instanceof VolumeSetUpError &&
        e.eventMessage === 'MountVolume.SetUp failed for volume "x" : configmap "nope" not found',
    );
    assert.throws(
      () => podVolumePayloads(withVolumes([{ name: 'x', secret: { secretName: 'nope' } }]), lookup),
      /secret "nope" not found/,
    );
    assert.throws(
      () =>
        podVolumePayloads(
          withVolumes([{ name: 'x', configMap: { name: 'cm', items: [{ key: 'z', path: 'z' }] } }]),
          lookup,
        ),
      /configmap references non-existent config key: z/,
    );
    assert.throws(
      () =>
        podVolumePayloads(
          withVolumes([{ name: 'x', secret: { secretName: 's', items: [{ key: 'z', path: 'z' }] } }]),
          lookup,
        ),
      (e: unknown) =>
        e instanceof VolumeSetUpError &&
        e.eventMessage === 'MountVolume.SetUp failed for volume "x" : references non-existent secret key: z',
    );
  });

  test('downwardAPI and projected: fields, labels, resources with divisor, combined sources', () => {
    const base = withVolumes([
      {
        name: 'proj',
        projected: {
          sources: [
            { configMap: { name: 'cm', items: [{ key: 'a', path: 'a' }] } },
            {
              downwardAPI: {
                items: [
                  { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
                  { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
                  {
                    path: 'mem',
                    resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' },
                  },
                  { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'requests.cpu', divisor: '1m' } },
                ],
              },
            },
          ],
        },
      },
    ]);
    const c = {
      ...base.spec.containers[0]!,
      name: 'app',
      resources: { limits: { memory: '100Mi' }, requests: { cpu: '250m' } },
    };
    const p0: ValidPod = {
      ...base,
      metadata: { ...base.metadata, labels: { tier: 'web', app: 'x' } },
      spec: { ...base.spec, containers: [c] },
    };
    const p = podVolumePayloads(p0, lookup);
    assert.equal(text(p, 'proj', 'a'), 'A');
    assert.equal(text(p, 'proj', 'labels'), 'app="x"\ntier="web"');
    assert.equal(text(p, 'proj', 'name'), p0.metadata.name);
    assert.equal(text(p, 'proj', 'mem'), '100');
    assert.equal(text(p, 'proj', 'cpu'), '250');
    assert.equal(p.get('proj')!.tmpfs, true);
  });
});
