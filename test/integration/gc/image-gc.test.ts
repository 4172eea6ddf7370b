// Image garbage collection on a real engine — a PRIVATE dockerd, since collection removes
// every unused image and the shared engine's images belong to other tests. With the
// thresholds at 0 % every unused image is a candidate: the one no container uses goes,
// the pause and busybox images under a running pod stay.
import assert from 'node:assert/strict';
import { LOCAL_PAUSE_IMAGE } from '../../../src/options.js';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { after, before, describe, test } from '../../harness/node-test.js';
import { startPrivateEngine, type PrivateEngine } from '../../harness/private-engine.js';

describe('image GC (private engine)', () => {
  let engine: PrivateEngine;
  let agent: TestAgent;
  let victim: string;
  before(async () => {
    engine = await startPrivateEngine({ images: [LOCAL_PAUSE_IMAGE, BUSYBOX], bridgeCidr: '10.248.255.1/24' });
    // An image nothing uses: a commit of a never-started busybox container (a new image ID).
    const c = await engine.docker.createContainer({ Image: BUSYBOX, Cmd: ['true'] });
    const committed = (await c.commit({ repo: 'minikubelet.local/gc-victim', tag: '1' })) as { Id: string };
    victim = committed.Id;
    await c.remove();
    agent = await startTestAgent({
      dockerHost: engine.host,
      podCidr: '10.247.0.0/16',
      podNetwork: 'mkl-imagegc-pods',
      // A private engine: the docker driver (CNI's shared IPAM state is checked against the host's engine).
      podNetworkDriver: 'docker',
      imageGcHighThresholdPercent: 0,
      imageGcLowThresholdPercent: 0,
      imageMinimumGcAgeMs: 0,
    });
  });
  after(async () => {
    await agent?.cleanup();
    await engine?.cleanup();
  });

  test('unused images are removed; the images under a running pod are not', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'keeper' },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'app', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    });
    await waitFor(
      'keeper running',
      async () => (await agent.client.getPod('default', 'keeper')).status?.phase === 'Running',
    );
    const gc = agent.kubelet.imageGc;
    assert.ok(gc, 'image GC runs when --image-gc-high-threshold is set');
    const removed = await gc.garbageCollect();
    assert.deepEqual(
      removed.map((i) => i.id),
      [victim],
    );
    const left = (await engine.docker.listImages()).flatMap((i) => i.RepoTags ?? []);
    assert.ok(left.includes(BUSYBOX) && left.includes(LOCAL_PAUSE_IMAGE), left.join(', '));
    assert.ok(!left.includes('minikubelet.local/gc-victim:1'), left.join(', '));
  });
});
