// The testing library (src/testing) on the real engine: the wait vocabulary, restart, a
// pod next to a testcontainers GenericContainer on a shared Network, wait failures that
// say why, and the removal of what a killed test process left behind. Every test uses the
// one embedded agent. (The README's example, with `await using`, is example.test.ts.)
import { after, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { GenericContainer, Network, Wait as TcWait } from 'testcontainers';
import { PodContainer, Wait, configureEmbeddedAgent, stopEmbeddedAgent, OWNER_LABEL } from '../../../src/index.js';
import { BUSYBOX, startTestAgent } from '../../harness/agent.js';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
process.env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';

const docker = new Dockerode();
const INDEX_JS = fileURLToPath(new URL('../../../src/index.js', import.meta.url));
const SESSION = 'org.testcontainers.session-id';

// Short back-offs (a restarted container comes back in about a second), through options.
configureEmbeddedAgent({ crashLoopBackOffBaseMs: 500, crashLoopBackOffMaxMs: 2000, resyncIntervalMs: 2000 });

describe('PodContainer', () => {
  after(async () => {
    await stopEmbeddedAgent();
  });

  test('forPhase, forContainerLog, restartContainer', async () => {
    const done = await new PodContainer({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'job' },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: BUSYBOX, command: ['echo', 'finished'] }] },
    })
      .withWaitStrategy(Wait.forPhase('Succeeded'))
      .start();
    try {
      assert.equal(done.status?.phase, 'Succeeded');
      assert.equal(await done.logs('c'), 'finished\n');
    } finally {
      await done.stop();
    }

    const pod = await new PodContainer({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'counter' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'c',
            image: BUSYBOX,
            command: ['sh', '-c', 'echo started; trap "exit 0" TERM; while true; do sleep 1; done'],
          },
        ],
      },
    })
      .withWaitStrategy(Wait.forContainerLog('c', /start\w+/))
      .start();
    try {
      await pod.restartContainer('c');
      const s = pod.status?.containerStatuses?.[0];
      assert.equal(s?.restartCount, 1);
      assert.ok(s?.state.running);
      assert.equal(await pod.logs('c', { previous: true }), 'started\n');
    } finally {
      await pod.stop();
    }
  });

  test('a wait that cannot succeed fails with the pod status and events, and removes what it created', async () => {
    const started = Date.now();
    await assert.rejects(
      new PodContainer({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'never-ready' },
        spec: {
          containers: [
            { name: 'c', image: BUSYBOX, command: ['sleep', '3600'], readinessProbe: { exec: { command: ['false'] } } },
          ],
        },
      })
        .withStartupTimeout(3000)
        .start(),
      (err: Error) => {
        assert.match(
          err.message,
          /waiting for the pod to be Ready of pod default\/never-ready: timed out after 3000 ms/,
        );
        assert.match(err.message, /Ready=False \(ContainersNotReady/);
        assert.match(err.message, /container c: running, ready=false/);
        assert.match(err.message, /Warning Unhealthy .*Readiness probe failed/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 60_000);
    // A finished pod can never become Ready: the wait fails at once, not at the timeout.
    await assert.rejects(
      new PodContainer({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'ends' },
        // Never ready while it runs (a bare `false` could be seen running, and so Ready, for an
        // instant before it exits): the wait can only end with the Failed phase.
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'c',
              image: BUSYBOX,
              command: ['sh', '-c', 'sleep 1; exit 1'],
              readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 },
            },
          ],
        },
      })
        .withStartupTimeout(60_000)
        .start(),
      /waiting for the pod to be Ready of pod default\/ends: the pod's phase is Failed\n[\s\S]*container c: terminated Error \(exit code 1\)/,
    );
    const client = await podNames();
    assert.ok(!client.includes('never-ready') && !client.includes('ends'), client.join(','));
  });

  test('a pod and a GenericContainer on one testcontainers Network reach each other by name', async () => {
    // No image can be pulled here: the "backend" is busybox httpd from the local image.
    const network = await new Network().start();
    const backend = await new GenericContainer(BUSYBOX)
      .withCommand(['sh', '-c', 'mkdir -p /www && echo from-backend > /www/index.html && exec httpd -f -p 80 -h /www'])
      .withNetwork(network)
      .withNetworkAliases('backend')
      .withWaitStrategy(TcWait.forListeningPorts())
      .withExposedPorts(80)
      .start();
    try {
      const pod = await new PodContainer({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'frontend' },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'c',
              image: BUSYBOX,
              command: [
                'sh',
                '-c',
                'wget -q -O - http://backend/; mkdir -p /www && echo from-pod > /www/index.html && exec httpd -f -p 8080 -h /www',
              ],
              ports: [{ containerPort: 8080 }],
            },
          ],
        },
      })
        .withNetwork(network)
        .withWaitStrategy(Wait.forAll([Wait.forPodReady(), Wait.forContainerLog('c', 'from-backend')]))
        .start();
      try {
        // …and the GenericContainer reaches the pod by the pod's name.
        const back = await backend.exec(['wget', '-q', '-O', '-', 'http://frontend:8080/']);
        assert.equal(back.output, 'from-pod\n');
        // The pod keeps its pod-network IP as status.podIP; the test network is a second interface.
        assert.match(pod.ip ?? '', /^10\.244\./);
      } finally {
        await pod.stop();
      }
    } finally {
      await backend.stop();
      await network.stop();
    }
  });

  test('withKubeconfig: a running agent instead of the embedded one', async () => {
    const agent = await startTestAgent();
    try {
      const pod = await new PodContainer({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'remote' },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'c', image: BUSYBOX, command: ['sh', '-c', 'echo on-remote; exec sleep 3600'] }],
        },
      })
        .withKubeconfig(agent.kubelet.kubeconfigPath!)
        .withWaitStrategy(Wait.forContainerLog('c', 'on-remote'))
        .start();
      // The pod is the running agent's; its pod labels (the session's) reach the sandbox.
      const mine = await agent.containers();
      const sandbox = mine.find((c) => c.Labels['io.kubernetes.docker.type'] === 'podsandbox');
      assert.equal(sandbox?.Labels['io.kubernetes.pod.name'], 'remote');
      assert.match(sandbox?.Labels[SESSION] ?? '', /^[0-9a-f-]{8,}$/);
      assert.equal((await pod.exec('c', ['echo', 'hi'])).output, 'hi\n');
      await pod.stop();
      assert.deepEqual(await agent.client.listPods('default'), []);
    } finally {
      await agent.cleanup();
    }
  });

  test('the next run removes what a killed test process left behind', async () => {
    await stopEmbeddedAgent();
    const dir = mkdtempSync(join(tmpdir(), 'pc-killed-'));
    const script = join(dir, 'killed.mjs');
    writeFileSync(
      script,
      `import { PodContainer } from ${JSON.stringify(INDEX_JS)};
const pod = await new PodContainer({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan' },
  spec: { containers: [{ name: 'c', image: ${JSON.stringify(BUSYBOX)}, command: ['sleep', '3600'] }] } }).start();
console.log('ready', pod.pod.metadata.uid);
process.kill(process.pid, 'SIGKILL');
`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += String(d);
    });
    const signal = await new Promise((resolve) => child.once('exit', (_c, s) => resolve(s)));
    assert.equal(signal, 'SIGKILL');
    const uid = /ready (\S+)/.exec(out)?.[1] ?? '';
    assert.ok(uid, out);
    const owner = `${hostname()}/${child.pid}`;
    const left = await docker.listContainers({ all: true, filters: { label: [`${OWNER_LABEL}=${owner}`] } });
    assert.ok(left.length >= 2, 'the killed run left its sandbox and container');
    assert.ok(
      left.every((c) => c.Labels[SESSION]),
      'a reaper would find them by session',
    );

    // The next embedded agent (in this process) removes them before it starts.
    const pod = await new PodContainer({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'next' },
      spec: { containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }] },
    })
      .withWaitStrategy(Wait.forPhase('Running'))
      .start();
    assert.deepEqual(await docker.listContainers({ all: true, filters: { label: [`${OWNER_LABEL}=${owner}`] } }), []);
    assert.deepEqual(
      await docker.listVolumes({ filters: { label: [`${OWNER_LABEL}=${owner}`] } }).then((v) => v.Volumes ?? []),
      [],
    );
    assert.ok(!readdirSync(tmpdir()).some((n) => n.startsWith(`minikubelet-podcontainer-${child.pid}-`)));
    assert.equal(pod.status?.phase, 'Running');
    await pod.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});

async function podNames(): Promise<string[]> {
  // The pods left on the embedded agent, seen through a new PodContainer-free view: the engine.
  const list = await docker.listContainers({
    all: true,
    filters: { label: [`${OWNER_LABEL}=${hostname()}/${process.pid}`] },
  });
  return list.map((c) => c.Labels['io.kubernetes.pod.name'] ?? '');
}
