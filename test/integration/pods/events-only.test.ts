// Pods progress on engine events alone: with the PLEG relist and the periodic resync
// both pushed out to 10 minutes, an init container that exits at once must still lead
// to the app containers starting. (The engine's list can still say `running` just
// after the `die` event; a cached inspect used to hide the exit until the next relist.)
import { after, before, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';

const TEN_MINUTES = 600_000;
const PODS = 12;
let agent: TestAgent;

before(async () => {
  agent = await startTestAgent({ plegRelistPeriodMs: TEN_MINUTES, resyncIntervalMs: TEN_MINUTES });
});
after(async () => {
  await agent.cleanup();
});

test(
  `${PODS} init-container pods in turn each start their app container on events alone`,
  { timeout: 300_000 },
  async () => {
    for (let i = 0; i < PODS; i++) {
      const name = `ev-${i}`;
      await agent.client.createPod('default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: {
          terminationGracePeriodSeconds: 0,
          initContainers: [{ name: 'init', image: BUSYBOX, command: ['true'] }],
          containers: [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'] }],
        },
      });
      const p = await waitFor(
        `${name} running`,
        async () => {
          const pod = await agent.client.getPod('default', name);
          return pod.status?.containerStatuses?.[0]?.state.running ? pod : undefined;
        },
        15_000,
      );
      assert.equal(p.status?.initContainerStatuses?.[0]?.state.terminated?.reason, 'Completed');
      await agent.client.deletePod('default', name, 0);
      await agent.client.waitForPodGone('default', name, 30_000);
    }
  },
);
