import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { containerEnv, fieldValue } from '../../../src/sync/container-env.js';
import type { ConfigMap, Container, Secret } from '../../../src/apis/core/types.js';
import { pod } from '../../fixtures/pods.js';
import { ContainerConfigError } from '../../../src/container/errors.js';

const cm: ConfigMap = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default' },
  data: { MODE: 'fast', 'bad name': 'x' },
};
const secret: Secret = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'default' },
  data: { TOKEN: Buffer.from('s3cret').toString('base64') },
};
const objects = (kind: 'Secret' | 'ConfigMap', _ns: string, name: string) =>
  kind === 'ConfigMap' && name === 'cfg' ? cm : kind === 'Secret' && name === 'creds' ? secret : undefined;

function envOf(c: Partial<Container>) {
  const p = pod();
  p.metadata.labels = { app: 'web' };
  p.spec.nodeName = 'node-1';
  const container: Container = { name: 'app', image: 'x:1', ...c };
  return Object.fromEntries(
    containerEnv(p, container, { podIP: '10.244.0.9', hostIP: '10.244.0.1', objects }, {}).env.map(
      (kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string],
    ),
  );
}

describe('container environment', () => {
  test('downward API fields', () => {
    const env = envOf({
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'GREETING', value: 'pod $(POD) at $(IP)' },
      ],
    });
    assert.deepEqual(env, {
      POD: 'web',
      NS: 'default',
      UID: 'uid-1',
      IP: '10.244.0.9',
      HOST: '10.244.0.1',
      NODE: 'node-1',
      APP: 'web',
      GREETING: 'pod web at 10.244.0.9',
    });
  });

  test('configMap and secret key refs, envFrom with prefix (invalid names skipped)', () => {
    const env = envOf({
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }],
      env: [
        { name: 'M', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } },
        { name: 'T', valueFrom: { secretKeyRef: { name: 'creds', key: 'TOKEN' } } },
      ],
    });
    assert.deepEqual(env, { CFG_MODE: 'fast', TOKEN: 's3cret', M: 'fast', T: 's3cret' });
  });

  test('optional refs to missing objects or keys are skipped', () => {
    const env = envOf({
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'creds', key: 'nope', optional: true } } },
      ],
      envFrom: [{ configMapRef: { name: 'nope', optional: true } }],
    });
    assert.deepEqual(env, {});
  });

  test("missing objects and keys are CreateContainerConfigErrors with the kubelet's words", () => {
    const cases: [Partial<Container>, string][] = [
      [
        { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] },
        'configmap "nope" not found',
      ],
      [{ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }, 'secret "nope" not found'],
      [
        { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'K' } } }] },
        "couldn't find key K in ConfigMap default/cfg",
      ],
      [{ envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
    ];
    for (const [c, msg] of cases) {
      assert.throws(
        () => envOf(c),
        (e: unknown) => e instanceof ContainerConfigError && e.message === msg,
        msg,
      );
    }
  });

  test('an unknown fieldPath is refused', () => {
    assert.throws(() => fieldValue(pod(), 'spec.nope', {}), ContainerConfigError);
  });
});
