// Cancellable syncs on the real engine (issue #13 scope 4): a pod whose postStart hook
// never returns holds its sync; deleting it cancels that sync (pod_workers.go cancels
// the sync's context) and termination begins at once, so the pod goes away within its
// grace period instead of after the hook.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';

describe('cancellable syncs', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  test('deleting a pod whose postStart hook hangs: the sync is cancelled, the pod is killed and removed', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hung-poststart' },
      spec: {
        terminationGracePeriodSeconds: 5,
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"],
            lifecycle: { postStart: { exec: { command: ['sleep', '3600'] } } },
          },
        ],
      },
    });
    // The hook is running: the container started, its status still Waiting (the sync is held).
    await waitFor('the container started, the hook running', async () => {
      const evs = await agent.client.listEvents('default');
      return evs.some((e) => e.involvedObject.name === 'hung-poststart' && e.reason === 'Started');
    });
    const pod = await agent.client.getPod('default', 'hung-poststart');
    assert.ok(pod.status?.containerStatuses?.[0]?.state.waiting, 'held in postStart: not yet Running');

    await agent.client.deletePod('default', 'hung-poststart');
    // Bounded by the per-test timeout (the hook alone would take an hour).
    await agent.client.waitForPodGone('default', 'hung-poststart', 60_000);
    assert.deepEqual(
      (await agent.containers()).filter((c) => c.Labels['io.kubernetes.pod.name'] === 'hung-poststart'),
      [],
      'no container of the pod left in the engine',
    );
    const evs = (await agent.client.listEvents('default')).filter((e) => e.involvedObject.name === 'hung-poststart');
    assert.ok(
      evs.some((e) => e.reason === 'Killing'),
      'the container was killed by the termination',
    );
    assert.ok(!evs.some((e) => e.reason === 'FailedPostStartHook'), 'a cancelled hook is not reported as failed');
  });
});
