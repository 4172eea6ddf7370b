import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf } from '../../../../src/server/protobuf/decode.js';
import { configMapBody, envelope, nodeDebugPodBody, secretBody } from '../../../fakes/k8s-protobuf.js';
import { test } from '../../../harness/node-test.js';

test('a Secret as kubectl create secret docker-registry sends it decodes to its JSON shape', () => {
  const config = JSON.stringify({ auths: { 'r.example': { username: 'u', password: 'p', auth: 'dTpw' } } });
  const body = secretBody(
    { name: 'myregistrykey' },
    { '.dockerconfigjson': Buffer.from(config) },
    'kubernetes.io/dockerconfigjson',
  );
  assert.deepEqual(decodeKubernetesProtobuf(body), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'myregistrykey' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
  });
});

test('a ConfigMap keeps its string data, labels and namespace', () => {
  const body = configMapBody({ name: 'c', namespace: 'ns', labels: { a: 'b' } }, { k: 'v', empty: '' });
  assert.deepEqual(decodeKubernetesProtobuf(body), {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'ns', labels: { a: 'b' } },
    data: { k: 'v', empty: '' },
  });
});

test('kinds kubectl never sends as protobuf are 415; a wrong magic or truncated message is 400', () => {
  assert.throws(
    () => decodeKubernetesProtobuf(envelope('v1', 'Service', new Uint8Array())),
    (e: unknown) => (e as { code?: string }).code === 'UnsupportedMediaType',
  );
  assert.throws(
    () => decodeKubernetesProtobuf(Buffer.from('{"kind":"Secret"}')),
    (e: unknown) => (e as { code?: string }).code === 'BadRequest',
  );
  const truncated = secretBody({ name: 's' }, { k: Buffer.from('v') }).subarray(0, 12);
  assert.throws(
    () => decodeKubernetesProtobuf(truncated),
    (e: unknown) => (e as { code?: string; message?: string }).code === 'BadRequest',
  );
});

test('a Pod as kubectl debug node/ sends it decodes to the JSON kubectl would have sent', () => {
  const pod = decodeKubernetesProtobuf(nodeDebugPodBody());
  const { creationTimestamp: _t, ...metadata } = pod.metadata as Record<string, unknown>;
  assert.deepEqual(metadata, { name: 'node-debugger-test-node-abcde', namespace: 'default' });
  assert.deepEqual(pod.spec, {
    volumes: [
      { name: 'host-root', hostPath: { path: '/' } },
      { name: 'scratch', emptyDir: { sizeLimit: '64Mi' } },
    ],
    containers: [
      {
        name: 'debugger',
        image: 'minikubelet.local/busybox:1.35',
        resources: {},
        volumeMounts: [
          { name: 'host-root', mountPath: '/host' },
          { name: 'scratch', mountPath: '/scratch' },
        ],
        readinessProbe: { tcpSocket: { port: 80 } },
        stdin: true,
        tty: true,
        terminationMessagePolicy: 'File',
      },
    ],
    restartPolicy: 'Never',
    nodeName: 'test-node',
    hostNetwork: true,
    hostPID: true,
    hostIPC: true,
    tolerations: [{ operator: 'Exists' }],
  });
});
