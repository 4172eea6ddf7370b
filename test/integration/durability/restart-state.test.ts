// State that survives an agent restart (issue #13): the API and static pods keep their
// creationTimestamp (AGE does not reset) and uid, resourceVersions continue above every
// version handed out before, and a watch from before the restart gets 410 Gone instead
// of a silent gap.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, removeAgentContainers, waitFor, removeAgentRoot } from '../../harness/agent.js';
import { startServe, type ServeProcess } from '../../harness/serve-process.js';
import type { Pod } from '../../../src/apis/core/types.js';

const STATIC = 'hello-pod-test-node';

describe('state across a restart', () => {
  const root = mkdtempSync(join(tmpdir(), 'mkl-restart-'));
  const manifests = mkdtempSync(join(tmpdir(), 'mkl-restart-manifests-'));
  let agent: ServeProcess;
  before(async () => {
    copyFileSync(new URL('../../../../manifests/hello-pod.yaml', import.meta.url), join(manifests, 'hello-pod.yaml'));
    agent = await startServe(root, { manifests });
  });
  after(async () => {
    await agent?.stop();
    if (agent) await removeAgentContainers(agent.agentId);
    await removeAgentRoot(root);
    rmSync(manifests, { recursive: true, force: true });
  });

  test('creationTimestamp, uid and resourceVersion order survive; an older watch gets 410 Expired', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-pod' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'a', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    });
    const running = async (c: ServeProcess) => {
      const pods = await c.client.listPods('default');
      return pods.length === 2 && pods.every((p) => p.status?.phase === 'Running') ? pods : undefined;
    };
    const first = await waitFor('both pods Running', () => running(agent));
    const list = await agent.client.listPodList('default');
    const oldRv = Number(list.metadata.resourceVersion);
    assert.ok(oldRv > 0);

    await agent.stop();
    agent = await startServe(root, { manifests });
    const second = await waitFor('both pods Running after the restart', () => running(agent));
    const byName = (ps: Pod[]) => new Map(ps.map((p) => [p.metadata.name, p]));
    const was = byName(first);
    for (const p of second) {
      const old = was.get(p.metadata.name)!;
      assert.ok(old, p.metadata.name);
      assert.equal(p.metadata.creationTimestamp, old.metadata.creationTimestamp, `${p.metadata.name}: AGE kept`);
      assert.equal(p.metadata.uid, old.metadata.uid, `${p.metadata.name}: uid kept`);
      assert.ok(Number(p.metadata.resourceVersion) > oldRv, `${p.metadata.name}: resourceVersion went forward`);
    }
    assert.ok(was.has(STATIC));

    // A kubectl-style watch from the list taken before the restart.
    const res = await agent.client.sendRaw(
      'GET',
      `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${oldRv}`,
      {
        signal: AbortSignal.timeout(10_000),
      },
    );
    assert.equal(res.status, 200);
    const line = JSON.parse((await res.text()).trim().split('\n')[0]!) as {
      type: string;
      object: { kind: string; code: number; reason: string; message: string };
    };
    assert.equal(line.type, 'ERROR');
    assert.equal(line.object.kind, 'Status');
    assert.equal(line.object.code, 410);
    assert.equal(line.object.reason, 'Expired');
    assert.match(line.object.message, new RegExp(`^too old resource version: ${oldRv} \\(\\d+\\)$`));

    // A watch from the new list's version works as before.
    const fresh = Number((await agent.client.listPodList('default')).metadata.resourceVersion);
    assert.ok(fresh > oldRv);
  });
});
