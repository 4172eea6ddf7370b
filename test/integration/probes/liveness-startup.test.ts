// Liveness and startup probes on the real engine (periods of 1 s; back-off 1 s → 4 s).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { execIn, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { LOOP, app, cs, probeHelpers } from './helpers.js';

describe('liveness and startup probes', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });
  const h = probeHelpers(() => agent);

  test('exec liveness that starts failing: Unhealthy events, Killing, restartCount + 1', async () => {
    await h.create('live-exec', {
      containers: [
        app({
          command: ['sh', '-c', `touch /tmp/healthy; ${LOOP}`],
          // Each run leaves a line in /tmp/probes, so the test can count runs per instance.
          livenessProbe: {
            exec: { command: ['sh', '-c', 'echo >> /tmp/probes; cat /tmp/healthy'] },
            periodSeconds: 1,
            failureThreshold: 2,
          },
        }),
      ],
    });
    const running = await h.until('running', 'live-exec', (p) => cs(p).state.running !== undefined);
    assert.equal(cs(running).ready, true, 'no readiness probe: ready once running');
    const firstId = cs(running).containerID!.replace('docker://', '');
    await execIn(firstId, ['rm', '/tmp/healthy']);
    const restarted = await h.until(
      'restarted',
      'live-exec',
      (p) => cs(p).restartCount >= 1 && cs(p).state.running !== undefined,
    );
    assert.notEqual(cs(restarted).containerID, `docker://${firstId}`);
    assert.ok(cs(restarted).lastState.terminated, 'the killed instance is lastState');
    const unhealthy = await h.messages('live-exec', 'Unhealthy');
    assert.ok(
      unhealthy.includes("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n"),
      JSON.stringify(unhealthy),
    );
    assert.deepEqual(await h.messages('live-exec', 'Killing'), [
      'Container app failed liveness probe, will be restarted',
    ]);
    const evs = await h.events('live-exec');
    const killing = evs.find((e) => e.reason === 'Killing')!;
    assert.equal(killing.type, 'Normal');
    assert.equal(killing.involvedObject.fieldPath, 'spec.containers{app}');
    // The new instance recreated /tmp/healthy: it stays up through more passing runs than
    // the failure threshold.
    const newId = cs(restarted).containerID!.replace('docker://', '');
    await waitFor('3 liveness runs on the new instance', async () => {
      const { output } = await execIn(newId, ['sh', '-c', 'wc -l < /tmp/probes']);
      return Number(output.trim()) >= 3;
    });
    const now = cs(await h.get('live-exec'));
    assert.deepEqual([now.restartCount, now.containerID], [cs(restarted).restartCount, cs(restarted).containerID]);
  });

  test('a startup probe that passes late holds liveness back: never killed meanwhile', async () => {
    const rec = h.record('slow-start');
    await h.create('slow-start', {
      containers: [
        app({
          command: ['sh', '-c', `sleep 4; touch /tmp/started; ${LOOP}`],
          startupProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 30 },
          // Would kill at once if it ran before startup succeeded.
          livenessProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 1 },
        }),
      ],
    });
    const p = await h.until('started and ready', 'slow-start', (x) => cs(x).started === true && cs(x).ready);
    rec.stop();
    assert.equal(cs(p).restartCount, 0);
    assert.deepEqual(await h.messages('slow-start', 'Killing'), []);
    const unhealthy = await h.messages('slow-start', 'Unhealthy');
    assert.ok(
      unhealthy.some((m) => m.startsWith('Startup probe failed: ')),
      JSON.stringify(unhealthy),
    );
    assert.ok(!unhealthy.some((m) => m.startsWith('Liveness')), JSON.stringify(unhealthy));
    // While running but not started, it was never ready.
    const running = rec.seen.filter((x) => x.status?.containerStatuses?.[0]?.state.running);
    assert.ok(
      running.some((x) => cs(x).started === false),
      'started=false was observed while the probe failed',
    );
    for (const x of running) if (!cs(x).started) assert.equal(cs(x).ready, false);
  });

  test('a startup probe that never passes: killed ("failed startup probe") and restarted', async () => {
    await h.create('never-starts', {
      containers: [
        app({
          startupProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 2 },
          livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 },
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
        }),
      ],
    });
    const p = await h.until('restarted', 'never-starts', (x) => cs(x).restartCount >= 1);
    assert.equal(cs(p).started, false);
    assert.equal(cs(p).ready, false);
    const killing = await h.messages('never-starts', 'Killing');
    assert.ok(killing.length >= 1);
    assert.ok(
      killing.every((m) => m === 'Container app failed startup probe, will be restarted'),
      JSON.stringify(killing),
    );
    const unhealthy = await h.messages('never-starts', 'Unhealthy');
    assert.ok(unhealthy.includes('Startup probe failed: '), JSON.stringify(unhealthy));
    assert.ok(!unhealthy.some((m) => /^(Liveness|Readiness)/.test(m)), 'liveness/readiness never ran');
  });

  test('probe-level terminationGracePeriodSeconds bounds the liveness kill', async () => {
    // PID 1 ignores SIGTERM here, so the kill takes the whole grace: 2 s, not the pod's 30 s.
    await h.create('live-grace', {
      terminationGracePeriodSeconds: 30,
      containers: [
        app({
          command: ['sh', '-c', 'while true; do sleep 1; done'],
          livenessProbe: {
            exec: { command: ['false'] },
            periodSeconds: 1,
            failureThreshold: 1,
            terminationGracePeriodSeconds: 2,
          },
        }),
      ],
    });
    const p = await h.until('restarted', 'live-grace', (x) => cs(x).restartCount >= 1, 25_000);
    assert.equal(cs(p).lastState.terminated?.exitCode, 137, 'SIGKILL after the probe grace');
  });

  test('the hello-world seed: its startup probe checks a port nothing listens on → killed', async () => {
    const { readFileSync } = await import('node:fs');
    const { decodeManifests } = await import('../../../src/apis/core/decode.js');
    const seed = decodeManifests(
      readFileSync(new URL('../../../../manifests/hello-world.yaml', import.meta.url), 'utf8'),
    )[0]!.object;
    // httpd as PID 1 ignores SIGTERM: a short pod grace keeps the kill (and this test) short.
    (seed as { spec: { terminationGracePeriodSeconds?: number } }).spec.terminationGracePeriodSeconds = 2;
    await agent.client.createPod('default', seed);
    await waitFor(
      'Killing',
      async () =>
        (await h.messages('hello-world', 'Killing')).includes(
          'Container hello-world failed startup probe, will be restarted',
        ),
      30_000,
    );
    const p = await h.get('hello-world');
    assert.equal(cs(p).ready, false);
    assert.equal(cs(p).started, false);
    const ip = p.status!.podIP!;
    assert.ok(
      (await h.messages('hello-world', 'Unhealthy')).includes(
        `Startup probe failed: dial tcp ${ip}:8081: connect: connection refused`,
      ),
    );
  });

  test('a deleted pod leaves no probe worker, timer or probe in flight', async () => {
    await h.create('all-probes', {
      containers: [
        app({
          command: ['sh', '-c', `touch /tmp/ok; ${LOOP}`],
          startupProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1 },
          livenessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1 },
          readinessProbe: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1 },
        }),
      ],
    });
    const p = await h.until('ready', 'all-probes', (x) => cs(x).ready);
    const uid = p.metadata.uid!;
    assert.equal(agent.kubelet.probes.workerCount(uid), 3);
    await agent.client.deletePod('default', 'all-probes');
    await agent.client.waitForPodGone('default', 'all-probes', 30_000);
    assert.equal(agent.kubelet.probes.workerCount(uid), 0);
    // Delete every other pod of this file too, then nothing at all may be pending.
    await Promise.all(
      ['live-exec', 'slow-start', 'never-starts', 'live-grace', 'hello-world'].map(async (other) => {
        await agent.client.deletePod('default', other, 1).catch(() => undefined);
        await agent.client.waitForPodGone('default', other, 30_000).catch(() => undefined);
      }),
    );
    await waitFor('probes idle', () => agent.kubelet.probes.probesInFlight() === 0, 10_000);
    assert.equal(agent.kubelet.probes.workerCount(), 0);
    assert.equal(agent.kubelet.probes.podCount(), 0);
    assert.equal(agent.kubelet.probes.pendingTimers(), 0);
  });
});
