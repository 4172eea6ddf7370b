// The seed's client-pod from the manifests directory with its claim my-pvc beside it:
// the claim is created from the directory, bound when the static pod starts, and the
// data written through it is still there after an agent restart (claims and PVs are
// persisted under the root dir; the Docker volume is mounted again).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execIn, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { startKubelet } from '../../../src/kubelet.js';
import { silentLogger } from '../../../src/util/logger.js';
import type { PersistentVolumeClaim } from '../../../src/apis/core/storage-types.js';

describe('claims from the manifests directory', () => {
  let agent: TestAgent;
  const dir = mkdtempSync(join(tmpdir(), 'mkl-pvc-manifests-'));
  before(async () => {
    for (const f of ['client-pod.yaml', 'my-pvc.yaml'])
      copyFileSync(new URL(`../../../../manifests/${f}`, import.meta.url), join(dir, f));
    agent = await startTestAgent({ manifestsDir: dir });
  });
  after(async () => {
    await agent.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const runningId = async () => {
    const list = await agent.containers('io.kubernetes.container.name=client');
    return list.find((c) => c.State === 'running')?.Id;
  };

  test('client-pod runs on my-pvc; its data survives an agent restart', async () => {
    await waitFor(
      'client-pod running',
      async () => (await agent.client.getPod('default', 'client-pod-test-node')).status?.phase === 'Running',
      60_000,
    );
    const claim = (await (
      await agent.client.sendRaw('GET', '/api/v1/namespaces/default/persistentvolumeclaims/my-pvc')
    ).json()) as PersistentVolumeClaim;
    assert.equal(claim.status?.phase, 'Bound');
    assert.equal(claim.spec.storageClassName, 'standard');
    const first = await runningId();
    assert.ok(first);
    assert.equal((await execIn(first, ['sh', '-c', 'echo kept > /data/index.html'])).exitCode, 0);

    // Restart the agent (pods keep running), then remove the pod's containers so the
    // restarted agent has to mount the claim again.
    await agent.kubelet.stop();
    await agent.docker.getContainer(first).remove({ force: true });
    const restarted = await startKubelet(agent.options, { log: silentLogger() });
    try {
      const again = await waitFor(
        'a new client container',
        async () => {
          const id = await runningId();
          return id && id !== first ? id : undefined;
        },
        60_000,
      );
      assert.equal((await execIn(again, ['cat', '/data/index.html'])).output.trim(), 'kept');
      assert.equal(restarted.node.storage?.getClaim('default', 'my-pvc').status?.phase, 'Bound');
    } finally {
      await restarted.stop();
    }
  });
});
