// Static pods from --manifests: kubelet naming (<name>-<node>), content-hash UIDs,
// bad files skipped without stopping the others, and adoption after a restart.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { startKubelet } from '../../../src/kubelet.js';
import { silentLogger } from '../../../src/util/logger.js';
import { KubeletError } from '../../../src/util/errors.js';

describe('static pods', () => {
  let agent: TestAgent;
  const dir = mkdtempSync(join(tmpdir(), 'mkl-manifests-'));
  before(async () => {
    copyFileSync(new URL('../../../../manifests/hello-pod.yaml', import.meta.url), join(dir, 'hello-pod.yaml'));
    writeFileSync(
      join(dir, 'broken.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: broken}\nspec:\n  containers:\n  - name: x\n',
    );
    writeFileSync(join(dir, '.hidden.yaml'), 'not: [valid');
    agent = await startTestAgent({ manifestsDir: dir });
  });
  after(async () => {
    await agent.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a manifest becomes pod <name>-<node> with a file-source annotation; a bad file is skipped', async () => {
    const p = await waitFor('static pod running', async () => {
      const x = await agent.client.getPod('default', 'hello-pod-test-node');
      return x.status?.phase === 'Running' ? x : undefined;
    });
    assert.equal(p.metadata.annotations?.['kubernetes.io/config.source'], 'file');
    assert.equal(p.metadata.annotations?.['kubernetes.io/config.hash'], p.metadata.uid);
    assert.equal(p.spec.nodeName, 'test-node');
    const names = (await agent.client.listPods('default')).map((x) => x.metadata.name);
    assert.deepEqual(names, ['hello-pod-test-node']);
  });

  test('deleting a static pod through the API is refused: its manifest owns it', async () => {
    await assert.rejects(agent.client.deletePod('default', 'hello-pod-test-node'), (e: unknown) => {
      assert.ok(e instanceof KubeletError);
      assert.equal(e.code, 'Forbidden');
      assert.match(e.message, /static pod .* remove its manifest/);
      return true;
    });
    const p = await agent.client.getPod('default', 'hello-pod-test-node');
    assert.equal(p.metadata.deletionTimestamp, undefined);
    assert.equal(p.status?.phase, 'Running');
  });

  test('a restarted agent adopts the running pod: same containers, no restarts, no duplicates', async () => {
    const before = await agent.containers('io.kubernetes.pod.name=hello-pod-test-node');
    const ids = before.map((c) => c.Id).sort();
    await agent.kubelet.stop();
    const again = await startKubelet(agent.options, { log: silentLogger() });
    try {
      const pod = await waitFor('adopted pod Running', () => {
        const x = again.node.getPod('default', 'hello-pod-test-node');
        return x.status?.phase === 'Running' ? x : undefined;
      });
      assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 0);
      const after = await agent.containers('io.kubernetes.pod.name=hello-pod-test-node');
      assert.deepEqual(after.map((c) => c.Id).sort(), ids);
      assert.ok(after.every((c) => c.State === 'running'));
    } finally {
      await again.stop();
    }
  });
});
