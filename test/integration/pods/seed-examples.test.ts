// Every example from the seeds that runs offline (manifests/*.yaml, adapted to local
// images) does what its seed says, submitted through the API.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { decodeManifests } from '../../../src/apis/core/decode.js';
import type { Pod } from '../../../src/apis/core/types.js';

const manifest = (file: string) =>
  decodeManifests(readFileSync(new URL(`../../../../manifests/${file}`, import.meta.url), 'utf8'))[0]!.object;

describe('seed examples', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const apply = (file: string) => agent.client.createPod('default', manifest(file));
  const allRunning = (name: string) =>
    waitFor(
      `${name}: every container running`,
      async () => {
        const p: Pod = await agent.client.getPod('default', name);
        return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.state.running)
          ? p
          : undefined;
      },
      45_000,
    );
  const logsOf = async (pod: string, container: string) =>
    readText(await agent.client.podLogs('default', pod, { container }));

  test('nginx: two containers, the helper reaches nginx over localhost', async () => {
    await apply('nginx.yaml');
    await allRunning('nginx');
    await waitFor(
      'docker container logs the page',
      async () => (await logsOf('nginx', 'docker')).includes('Welcome to nginx'),
      20_000,
    );
  });

  test('nginx-with-init: the init container prepares what nginx serves', async () => {
    await apply('nginx-with-init.yaml');
    const p = await allRunning('nginx-init');
    assert.equal(p.status!.initContainerStatuses![0]!.state.terminated?.reason, 'Completed');
    await waitFor(
      'served content from the init container',
      async () => (await logsOf('nginx-init', 'docker')).includes('prepared by the init container'),
      20_000,
    );
  });

  test('init-pod: two init containers in sequence, then the application', async () => {
    await apply('init-pod.yaml');
    const p = await allRunning('init-pod');
    assert.deepEqual(
      p.status!.initContainerStatuses!.map((s) => s.state.terminated?.exitCode),
      [0, 0],
    );
    assert.equal((await logsOf('init-pod', 'init-service')).trim(), 'service initialisation');
    assert.equal((await logsOf('init-pod', 'init-db')).trim(), 'database initialisation');
  });

  test('multicontainer-pod: the consumer serves what the producer writes', async () => {
    await apply('multicontainer-pod.yaml');
    const p = await allRunning('multicontainer-pod');
    const consumer = p
      .status!.containerStatuses!.find((c) => c.name === 'consumer')!
      .containerID!.replace('docker://', '');
    const { execIn } = await import('../../harness/agent.js');
    await waitFor(
      'index.html served',
      async () => {
        const r = await execIn(consumer, ['wget', '-qO-', 'http://127.0.0.1:80/index.html']);
        return r.output.startsWith('multicontainer-pod ');
      },
      20_000,
    );
  });

  test('pod-example: init container, then "Hello World", restarted under Always', async () => {
    await apply('pod-example.yaml');
    await waitFor(
      'Hello World in the logs',
      async () => (await logsOf('pod-example', 'ubuntu')).includes('Hello World'),
      30_000,
    );
    const p = await waitFor(
      'restarted at least once',
      async () => {
        const x = await agent.client.getPod('default', 'pod-example');
        return (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 ? x : undefined;
      },
      30_000,
    );
    assert.equal(p.status!.containerStatuses![0]!.lastState.terminated?.reason, 'Completed');
  });

  test('client-pod.yaml: runs with its claim my-pvc.yaml, bound on start', async () => {
    const res = await agent.client.sendRaw('POST', '/api/v1/namespaces/default/persistentvolumeclaims', {
      body: JSON.stringify(manifest('my-pvc.yaml')),
      contentType: 'application/json',
    });
    assert.equal(res.status, 201, await res.text());
    await apply('client-pod.yaml');
    await allRunning('client-pod');
    const claim = await agent.client.sendRaw('GET', '/api/v1/namespaces/default/persistentvolumeclaims/my-pvc');
    assert.equal(((await claim.json()) as { status?: { phase?: string } }).status?.phase, 'Bound');
  });

  for (const [file, name] of [
    ['hello-pod.yaml', 'hello-pod'],
    ['pod-lifecycle.yaml', 'pod-lifecycle'],
    ['my-nginx-pod.yaml', 'my-nginx-pod'],
    ['hello-world.yaml', 'hello-world'],
  ] as const) {
    test(`${file}: runs`, async () => {
      await apply(file);
      await allRunning(name);
    });
  }
});
