// A running pod whose claim is being deleted keeps running across an agent restart
// (the restarted agent does not put it through the scheduler's claim check again),
// and the claim still goes once the pod is deleted.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { startKubelet } from '../../../src/kubelet.js';
import { silentLogger } from '../../../src/util/logger.js';

describe('claims across an agent restart', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  test('a running pod on a Terminating claim stays running after a restart; the claim goes with it', async () => {
    const storage = agent.kubelet.node.storage!;
    storage.createClaim('default', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'held' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } },
    });
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'holder' },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'held' } }],
        containers: [
          {
            name: 'c',
            image: BUSYBOX,
            command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
            volumeMounts: [{ name: 'd', mountPath: '/data' }],
          },
        ],
      },
    });
    const running = await waitFor('holder running', async () => {
      const list = await agent.containers('io.kubernetes.container.name=c');
      return list.find((c) => c.State === 'running')?.Id;
    });
    assert.ok(storage.deleteClaim('default', 'held').metadata.deletionTimestamp);

    await agent.kubelet.stop();
    const restarted = await startKubelet(agent.options, { log: silentLogger() });
    try {
      const pod = await waitFor('holder Running after the restart', () => {
        const p = restarted.node.getPod('default', 'holder');
        return p.status?.phase === 'Running' ? p : undefined;
      });
      assert.equal(
        pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status,
        'True',
        'not held back by the scheduler',
      );
      const list = await agent.containers('io.kubernetes.container.name=c');
      assert.equal(list.find((c) => c.State === 'running')?.Id, running, 'the same container, never stopped');
      assert.ok(restarted.node.storage!.getClaim('default', 'held').metadata.deletionTimestamp);

      await restarted.node.deletePod('default', 'holder', 0);
      await waitFor('claim gone', () =>
        restarted.node.storage!.listClaims('default').some((c) => c.metadata.name === 'held') ? undefined : true,
      );
    } finally {
      await restarted.stop();
    }
  });
});
