// Ephemeral containers on the real engine through the API (issue #15 §2): the
// pods/ephemeralcontainers subresource PATCHed as kubectl debug sends it, the
// container run once in the pod's sandbox and the target's PID namespace, its status,
// events, the add-only rule, and adoption (not a second run) by a restarted agent.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Pod } from '../../../src/apis/core/types.js';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
import { KubeletError } from '../../../src/util/errors.js';
import { startKubelet } from '../../../src/kubelet.js';
import { silentLogger } from '../../../src/util/logger.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NS = 'default';

describe('ephemeral containers (pods/ephemeralcontainers)', () => {
  let agent: TestAgent;
  const manifests = mkdtempSync(join(tmpdir(), 'mkl-ephemeral-manifests-'));
  before(async () => {
    writeFileSync(
      join(manifests, 'static.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata: {name: static}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - {name: app, image: ${BUSYBOX}, command: [sleep, '3600']}\n`,
    );
    agent = await startTestAgent({ manifestsDir: manifests });
    await agent.client.createPod(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    });
    await waitFor('web Running', async () => (await agent.client.getPod(NS, 'web')).status?.phase === 'Running');
  });
  after(async () => {
    await agent.cleanup();
    rmSync(manifests, { recursive: true, force: true });
  });

  /** PATCH pods/web/ephemeralcontainers (the client names the subresource as the item's path). */
  const patchEphemeral = (patch: unknown) =>
    agent.client.patchObject<Pod>(NS, 'pods/web', 'ephemeralcontainers', patch, {
      contentType: STRATEGIC_MERGE_PATCH,
      fieldManager: 'kubectl-debug',
    });
  const ephemeralStatus = async (name: string) =>
    (await agent.client.getPod(NS, 'web')).status?.ephemeralContainerStatuses?.find((s) => s.name === name);

  test("kubectl debug's PATCH adds a container that runs once in the target's PID namespace", async () => {
    const answered = await patchEphemeral({
      spec: {
        ephemeralContainers: [
          {
            name: 'dbg',
            image: BUSYBOX,
            imagePullPolicy: 'Never',
            command: ['sh', '-c', 'ps -o pid,args'],
            targetContainerName: 'app',
            terminationMessagePolicy: 'File',
            resources: {},
          },
        ],
      },
    });
    assert.equal(answered.kind, 'Pod');
    assert.equal(answered.spec.ephemeralContainers?.[0]?.terminationMessagePath, '/dev/termination-log');

    const done = await waitFor('dbg terminated', async () => (await ephemeralStatus('dbg'))?.state.terminated);
    assert.equal(done.exitCode, 0);
    assert.equal(done.reason, 'Completed');
    // ps in the debug container sees the target's process: one PID namespace.
    const logs = await readText(await agent.client.podLogs(NS, 'web', { container: 'dbg' }));
    assert.match(logs, /sleep 3600/);
    const [inst] = await agent.containers('io.kubernetes.container.name=dbg');
    // The static pod has an `app` container too: the target is web's.
    const app = (await agent.containers('io.kubernetes.container.name=app')).find(
      (c) => c.Labels['io.kubernetes.pod.name'] === 'web',
    );
    const inspect = await agent.docker.getContainer(inst!.Id).inspect();
    assert.equal(inspect.HostConfig.PidMode, `container:${app!.Id}`);
    assert.match(String(inspect.HostConfig.NetworkMode), /^container:/);

    // Never restarted, and out of the pod's readiness.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await agent.containers('io.kubernetes.container.name=dbg')).length, 1);
    const pod = await agent.client.getPod(NS, 'web');
    assert.equal(pod.status?.ephemeralContainerStatuses?.[0]?.restartCount, 0);
    assert.equal(pod.status?.ephemeralContainerStatuses?.[0]?.ready, false);
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');

    const events = await agent.client.listEvents(NS);
    const started = events.find(
      (e) => e.reason === 'Started' && e.involvedObject.fieldPath === 'spec.ephemeralContainers{dbg}',
    );
    assert.equal(started?.message, 'Started container dbg');
  });

  test('removing or changing an ephemeral container is refused; the pod keeps it', async () => {
    await assert.rejects(
      patchEphemeral({ spec: { ephemeralContainers: [{ name: 'dbg', $patch: 'delete' }] } }),
      (e: unknown) => {
        assert.ok(e instanceof KubeletError, String(e));
        assert.equal(e.code, 'Invalid');
        assert.match(
          e.message,
          /spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed/,
        );
        return true;
      },
    );
    await assert.rejects(
      patchEphemeral({ spec: { ephemeralContainers: [{ name: 'dbg', image: 'other:1' }] } }),
      /existing ephemeral containers "dbg" may not be changed/,
    );
    const pod = await agent.client.getPod(NS, 'web');
    assert.deepEqual(
      pod.spec.ephemeralContainers?.map((c) => c.name),
      ['dbg'],
    );
  });

  test('a pod created with ephemeral containers is refused', async () => {
    await assert.rejects(
      agent.client.createPod(NS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'early' },
        spec: {
          containers: [{ name: 'app', image: BUSYBOX }],
          ephemeralContainers: [{ name: 'dbg', image: BUSYBOX }],
        },
      }),
      /spec\.ephemeralContainers: Forbidden: cannot be set on create/,
    );
  });

  test('a static pod is refused with the API server message', async () => {
    await waitFor('static pod known', async () =>
      (await agent.client.listPods(NS)).some((p) => p.metadata.name === 'static-test-node'),
    );
    await assert.rejects(
      agent.client.patchObject<Pod>(
        NS,
        'pods/static-test-node',
        'ephemeralcontainers',
        {
          spec: { ephemeralContainers: [{ name: 'dbg', image: BUSYBOX }] },
        },
        { contentType: STRATEGIC_MERGE_PATCH, fieldManager: 'kubectl-debug' },
      ),
      (e: unknown) => {
        assert.ok(e instanceof KubeletError, String(e));
        assert.equal(e.code, 'Invalid');
        assert.equal(
          e.message,
          'Pod "static-test-node" is invalid: []: Forbidden: static pods do not support ephemeral containers',
        );
        return true;
      },
    );
  });

  test('a running ephemeral container survives an agent restart: adopted, not run again', async () => {
    await patchEphemeral({
      spec: {
        ephemeralContainers: [{ name: 'shell', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    });
    await waitFor('shell running', async () => (await ephemeralStatus('shell'))?.state.running);
    const ids = (await agent.containers('io.kubernetes.pod.name=web')).map((c) => c.Id).sort();
    await agent.kubelet.stop();
    const again = await startKubelet(agent.options, { log: silentLogger() });
    try {
      const pod = await waitFor('adopted web', () => {
        const p = again.node.getPod(NS, 'web');
        return p.status?.ephemeralContainerStatuses?.find((s) => s.name === 'shell')?.state.running ? p : undefined;
      });
      assert.equal(
        pod.status?.ephemeralContainerStatuses?.find((s) => s.name === 'dbg')?.state.terminated?.exitCode,
        0,
      );
      // Let a few syncs pass: nothing is started again.
      await new Promise((r) => setTimeout(r, 3000));
      const after = (await agent.containers('io.kubernetes.pod.name=web')).map((c) => c.Id).sort();
      assert.deepEqual(after, ids);
    } finally {
      await again.stop();
    }
  });
});
