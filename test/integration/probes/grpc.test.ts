// grpc probes on the real engine against a real gRPC health server in the pod (grpc-js in
// a locally built image, grpc-image.ts): readiness and liveness pass, then fail when the
// server answers NOT_SERVING (Ready goes False, the container is restarted), and a probe
// of a closed port fails with the kubelet's connect message.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { execIn, startTestAgent, type TestAgent } from '../../harness/agent.js';
import { cond, cs, probeHelpers } from './helpers.js';
import { ensureGrpcHealthImage } from './grpc-image.js';

describe('grpc probes', () => {
  let agent: TestAgent;
  let image: string;
  before(async () => {
    image = await ensureGrpcHealthImage();
    agent = await startTestAgent();
  });
  after(async () => {
    await agent?.cleanup();
  });
  const h = probeHelpers(() => agent);

  test('readiness and liveness pass against SERVING, fail on NOT_SERVING: not Ready, then restarted', async () => {
    const rec = h.record('grpc-live');
    await h.create('grpc-live', {
      containers: [
        {
          name: 'app',
          image,
          ports: [{ containerPort: 9000, name: 'grpc' }],
          readinessProbe: { grpc: { port: 9000 }, periodSeconds: 1, failureThreshold: 1 },
          livenessProbe: { grpc: { port: 9000, service: 'app' }, periodSeconds: 1, failureThreshold: 3 },
        },
      ],
    });
    const ready = await h.until('Ready', 'grpc-live', (p) => cond(p, 'Ready')?.status === 'True');
    assert.equal(cs(ready).restartCount, 0);
    const firstId = cs(ready).containerID!.replace('docker://', '');
    await execIn(firstId, ['sh', '-c', 'echo NOT_SERVING > /tmp/health']);
    const restarted = await h.until(
      'restarted and Ready again',
      'grpc-live',
      (p) => cs(p).restartCount >= 1 && cond(p, 'Ready')?.status === 'True',
      60_000,
    );
    rec.stop();
    assert.notEqual(cs(restarted).containerID, `docker://${firstId}`);
    // After the first Ready, a status of the same (running) instance that is not Ready.
    const firstReady = rec.seen.findIndex((p) => cond(p, 'Ready')?.status === 'True');
    assert.ok(firstReady >= 0);
    assert.ok(
      rec.seen.slice(firstReady).some((p) => {
        const st = p.status?.containerStatuses?.[0];
        return st?.restartCount === 0 && st.state.running !== undefined && cond(p, 'Ready')?.status === 'False';
      }),
      'the failing readiness probe made the running pod not Ready before the restart',
    );
    const unhealthy = await h.messages('grpc-live', 'Unhealthy');
    assert.ok(
      unhealthy.includes('Readiness probe failed: service unhealthy (responded with "NOT_SERVING")'),
      JSON.stringify(unhealthy),
    );
    assert.ok(
      unhealthy.includes('Liveness probe failed: service unhealthy (responded with "NOT_SERVING")'),
      JSON.stringify(unhealthy),
    );
    assert.deepEqual(await h.messages('grpc-live', 'Killing'), [
      'Container app failed liveness probe, will be restarted',
    ]);
    const evs = await h.events('grpc-live');
    const e = evs.find((x) => x.reason === 'Unhealthy')!;
    assert.equal(e.type, 'Warning');
    assert.equal(e.involvedObject.fieldPath, 'spec.containers{app}');
  });

  test('a probe of a closed port fails with the connect timeout message; never Ready', async () => {
    await h.create('grpc-closed', {
      containers: [
        {
          name: 'app',
          image,
          readinessProbe: { grpc: { port: 9001 }, periodSeconds: 1, timeoutSeconds: 1 },
        },
      ],
    });
    const running = await h.until('running', 'grpc-closed', (p) => cs(p).state.running !== undefined);
    await h.untilCounted('grpc-closed', 'Unhealthy', 2);
    const p = await h.get('grpc-closed');
    assert.equal(cond(p, 'Ready')?.status, 'False');
    const ip = p.status!.podIP ?? running.status!.podIP;
    assert.ok(ip);
    assert.deepEqual(await h.messages('grpc-closed', 'Unhealthy'), [
      `Readiness probe failed: timeout: failed to connect service "${ip}:9001" within 1s: context deadline exceeded`,
    ]);
  });
});
