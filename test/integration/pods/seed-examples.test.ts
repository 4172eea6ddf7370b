// Every example from the seeds that runs offline (manifests/*.yaml: as written in the
// seeds, with local stand-in images) does what its seed says, submitted through the API.
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

  test("pod-example: as written, the init container waits for myservice in the pod's namespace", async () => {
    await apply('pod-example.yaml');
    // No Service and no cluster DNS: as on a cluster where nobody created myservice, the
    // init container loops and the pod stays Init:0/1 (Pending, the app never created).
    await waitFor(
      'the init container logs its wait twice',
      async () => ((await logsOf('pod-example', 'init-myservice')).match(/waiting for myservice/g) ?? []).length >= 2,
      45_000,
    );
    const p: Pod = await agent.client.getPod('default', 'pod-example');
    assert.equal(p.status?.phase, 'Pending');
    assert.ok(p.status?.initContainerStatuses?.[0]?.state.running, 'init container running');
    assert.equal(p.status?.containerStatuses?.[0]?.state.waiting?.reason, 'PodInitializing');
    // What the seed's $(cat …/serviceaccount/namespace) reads: the pod's namespace.
    const { execIn } = await import('../../harness/agent.js');
    const id = p.status!.initContainerStatuses![0]!.containerID!.replace('docker://', '');
    const ns = await execIn(id, ['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace']);
    assert.equal(ns.output, 'default');
  });

  test('hello-world: the template as written; the stand-in answers as hello-app 2.0 on 8080', async () => {
    await apply('hello-world.yaml');
    const p = await allRunning('hello-world');
    const id = p.status!.containerStatuses![0]!.containerID!.replace('docker://', '');
    const { execIn } = await import('../../harness/agent.js');
    const r = await execIn(id, ['wget', '-qO-', 'http://127.0.0.1:8080/']);
    assert.match(r.output, /^Hello, world!\nVersion: 2\.0\.0\nHostname: hello-world\n$/);
  });

  test('client-pod.yaml: runs with its claim my-pvc.yaml, bound on start', async () => {
    const res = await agent.client.sendRaw('POST', '/api/v1/namespaces/default/persistentvolumeclaims', {
      body: JSON.stringify(manifest('my-pvc.yaml')),
      contentType: 'application/json',
    });
    assert.equal(res.status, 201, await res.text());
    await apply('client-pod.yaml');
    const p = await allRunning('client-pod');
    // The stand-in serves the claim's data on the seed's containerPort.
    const id = p.status!.containerStatuses![0]!.containerID!.replace('docker://', '');
    const { execIn } = await import('../../harness/agent.js');
    const r = await execIn(id, [
      'sh',
      '-c',
      'echo from-the-claim > /data/index.html && wget -qO- http://127.0.0.1:3000/',
    ]);
    assert.equal(r.output, 'from-the-claim\n');
    const claim = await agent.client.sendRaw('GET', '/api/v1/namespaces/default/persistentvolumeclaims/my-pvc');
    assert.equal(((await claim.json()) as { status?: { phase?: string } }).status?.phase, 'Bound');
  });

  for (const [file, name] of [
    ['hello-pod.yaml', 'hello-pod'],
    ['pod-lifecycle.yaml', 'pod-lifecycle'],
    ['my-nginx-pod.yaml', 'my-nginx-pod'],
  ] as const) {
    test(`${file}: runs`, async () => {
      await apply(file);
      await allRunning(name);
    });
  }
});
