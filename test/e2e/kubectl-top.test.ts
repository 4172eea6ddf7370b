// `kubectl top` and `describe node` against a real agent with the real kubectl 1.32:
// kubectl finds metrics.k8s.io/v1beta1 through discovery and prints numbers for pods,
// containers and the node; describe node's "Allocated resources" adds up the requests
// of the node's non-terminated pods (its fieldSelector on spec.nodeName and phase).
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor, NO_KUBECTL } from '../harness/kubectl.js';
import { after, before, describe, test } from '../harness/node-test.js';

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'busy', labels: { app: 'busy' } },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [
      {
        name: 'burn',
        image: BUSYBOX,
        imagePullPolicy: 'Never',
        command: ['sh', '-c', 'while :; do :; done'],
        resources: { requests: { cpu: '100m', memory: '64Mi' } },
      },
      {
        name: 'idle',
        image: BUSYBOX,
        imagePullPolicy: 'Never',
        command: ['sleep', '3600'],
        resources: { requests: { cpu: '150m' } },
      },
    ],
  },
};

describe('kubectl top and describe node', () => {
  let agent: TestAgent;
  let kubectl: Kubectl | undefined;

  before(async () => {
    agent = await startTestAgent({ plegRelistPeriodMs: 200, statsCachePeriodMs: 3000 });
    kubectl = kubectlFor(agent);
    await agent.client.createPod('default', POD);
    await waitFor(
      'busy Running',
      async () => (await agent.client.getPod('default', 'busy')).status?.phase === 'Running',
    );
  });
  after(() => agent?.cleanup());

  /** Runs kubectl until it succeeds (metrics need two samples first), returning stdout. */
  const eventually = (args: string[]) =>
    waitFor(
      `kubectl ${args.join(' ')}`,
      async () => {
        const r = await kubectl!(args);
        if (r.status !== 0) throw new Error(r.stderr);
        return r.stdout;
      },
      60_000,
      1000,
    );

  test('top pod: NAME, CPU(cores), MEMORY(bytes) with numbers', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const out = await eventually(['top', 'pod']);
    assert.match(out, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    const m = /\nbusy\s+(\d+)m\s+(\d+)Mi\s*\n/.exec(out);
    assert.ok(m, out);
    assert.ok(Number(m[1]) > 50, `busy cpu ${m[1]}m`);
  });

  test('top pod --containers and -A: a row per container; NAMESPACE column', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const out = await eventually(['top', 'pod', '--containers', '-l', 'app=busy']);
    assert.match(out, /^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    assert.match(out, /\nbusy\s+burn\s+\d+m\s+\d+Mi\s*\n/);
    assert.match(out, /\nbusy\s+idle\s+\d+m\s+\d+Mi\s*\n/);
    const all = await eventually(['top', 'pod', '-A']);
    assert.match(all, /^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    assert.match(all, /\ndefault\s+busy\s+\d+m\s+\d+Mi\s*\n/);
  });

  test('top pod NAME: that pod only; a pod that does not exist is NotFound as metrics-server says it', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const out = await eventually(['top', 'pod', 'busy']);
    assert.match(out, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\nbusy\s+\d+m\s+\d+Mi\s*\n$/);
    const r = await kubectl(['top', 'pod', 'nope']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Error from server \(NotFound\): pods "nope" not found/);
  });

  test('get podmetrics / nodes.metrics.k8s.io: the server Table with cpu, memory and window', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const pods = await eventually(['get', 'podmetrics', 'busy']);
    assert.match(pods, /^NAME\s+CPU\s+MEMORY\s+WINDOW\s*\nbusy\s+\d+[num]?\s+\d+(Ki|Mi)?\s+[\d.]+m?s\s*\n$/);
    const nodes = await eventually(['get', 'nodes.metrics.k8s.io']);
    assert.match(nodes, /^NAME\s+CPU\s+MEMORY\s+WINDOW\s*\ntest-node\s+\d+[num]?\s+\d+(Ki|Mi)?\s+[\d.]+m?s\s*\n$/);
  });

  test('top node: CPU and memory with percentages of allocatable', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const out = await eventually(['top', 'node']);
    assert.match(out, /^NAME\s+CPU\(cores\)\s+CPU(\(%\))?\s+MEMORY\(bytes\)\s+MEMORY(\(%\))?\s*\n/);
    const m = /\ntest-node\s+(\d+)m\s+(\d+)%\s+(\d+)Mi\s+(\d+)%\s*\n/.exec(out);
    assert.ok(m, out);
    assert.ok(Number(m[1]) > 50 && Number(m[3]) > 0, out);
  });

  test('describe node: Allocated resources sums the non-terminated pods requests only', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    // A completed pod's requests no longer count (status.phase!=Succeeded in kubectl's selector).
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'done' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'c',
            image: BUSYBOX,
            imagePullPolicy: 'Never',
            command: ['true'],
            resources: { requests: { cpu: '1' } },
          },
        ],
      },
    });
    await waitFor(
      'done Succeeded',
      async () => (await agent.client.getPod('default', 'done')).status?.phase === 'Succeeded',
    );
    const r = await kubectl(['describe', 'node', 'test-node']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Non-terminated Pods:\s+\(1 in total\)/);
    assert.match(r.stdout, /default\s+busy\s+250m \(\d+%\)\s+0 \(0%\)\s+64Mi \(\d+%\)\s+0 \(0%\)/);
    assert.match(
      r.stdout,
      /Allocated resources:[\s\S]*cpu\s+250m \(\d+%\)\s+0 \(0%\)\n\s+memory\s+64Mi \(\d+%\)\s+0 \(0%\)/,
    );
  });
});
