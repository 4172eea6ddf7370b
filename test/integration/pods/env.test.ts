// Environment from the downward API, ConfigMaps and Secrets, as the kubelet builds it;
// a missing ConfigMap holds the container in CreateContainerConfigError until it exists.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Pod } from '../../../src/apis/core/types.js';

describe('container environment', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  test('pod name, namespace, IPs, labels, ConfigMap and Secret values reach the container', async () => {
    await agent.kubelet.node.createObject('ConfigMap', 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings' },
      data: { MODE: 'fast' },
    });
    await agent.kubelet.node.createObject('Secret', 'default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'token' },
      stringData: { TOKEN: 's3cret' },
    });
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'envy', labels: { tier: 'web' } },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', 'env | sort'],
            envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
              { name: 'TIER', valueFrom: { fieldRef: { fieldPath: "metadata.labels['tier']" } } },
              { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'token', key: 'TOKEN' } } },
              { name: 'MSG', value: '$(POD_NAME) in $(POD_NAMESPACE)' },
            ],
          },
        ],
      },
    });
    const p: Pod = await waitFor('Succeeded', async () => {
      const x = await agent.client.getPod('default', 'envy');
      return x.status?.phase === 'Succeeded' ? x : undefined;
    });
    const out = await readText(await agent.client.podLogs('default', 'envy', {}));
    for (const line of [
      'POD_NAME=envy',
      'POD_NAMESPACE=default',
      `POD_IP=${p.status!.podIP}`,
      `HOST_IP=${p.status!.hostIP}`,
      'TIER=web',
      'TOKEN=s3cret',
      'CFG_MODE=fast',
      'MSG=envy in default',
    ]) {
      assert.ok(out.split('\n').includes(line), `${line} in:\n${out}`);
    }
  });

  test('a missing ConfigMap: CreateContainerConfigError until it is created', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'waits-for-config' },
      spec: {
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', 'echo $LEVEL; trap "exit 0" TERM; while true; do sleep 1; done'],
            env: [{ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'later', key: 'level' } } }],
          },
        ],
      },
    });
    const p = await waitFor('CreateContainerConfigError', async () => {
      const x = await agent.client.getPod('default', 'waits-for-config');
      return x.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CreateContainerConfigError' ? x : undefined;
    });
    assert.equal(p.status!.containerStatuses![0]!.state.waiting!.message, 'configmap "later" not found');
    assert.equal(p.status!.phase, 'Pending');
    await agent.kubelet.node.createObject('ConfigMap', 'default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'later' },
      data: { level: 'debug' },
    });
    await waitFor(
      'running after the ConfigMap appeared',
      async () => {
        const x = await agent.client.getPod('default', 'waits-for-config');
        return x.status?.containerStatuses?.[0]?.state.running !== undefined;
      },
      30_000,
    );
    assert.equal((await readText(await agent.client.podLogs('default', 'waits-for-config', {}))).trim(), 'debug');
  });
});
