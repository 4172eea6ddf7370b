// Resource usage of a real agent on the real engine: a pod burning CPU shows it in
// metrics.k8s.io PodMetrics and /stats/summary, the node has usage from /proc, and
// however many readers ask, the engine sees at most one stats request per container per
// period (counted by the agent's own kubelet_runtime_operations_total{container_stats}).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { NodeMetrics, PodMetrics, Summary } from '../../../src/apis/stats/types.js';
import { parseQuantity } from '../../../src/apis/core/quantity.js';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { rawApiRequest } from '../../harness/raw-request.js';

const PERIOD_MS = 4000;

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'burner', labels: { app: 'burner' } },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [
      { name: 'burn', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sh', '-c', 'while :; do :; done'] },
      { name: 'idle', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] },
    ],
  },
};

const BASE = '/apis/metrics.k8s.io/v1beta1';

describe('resource usage on a real agent', () => {
  let agent: TestAgent;
  const get = async <T>(path: string): Promise<T> => {
    const { status, body } = await rawApiRequest(agent, 'GET', path);
    assert.equal(status, 200, `${path}: ${JSON.stringify(body)}`);
    return (typeof body === 'string' ? JSON.parse(body) : body) as T;
  };
  /** How many stats requests the agent has sent the engine. */
  const statsRequests = async () => {
    const { body } = await rawApiRequest(agent, 'GET', '/metrics');
    const m = /^kubelet_runtime_operations_total\{operation_type="container_stats"\} (\d+)$/m.exec(String(body));
    return m ? Number(m[1]) : 0;
  };

  before(async () => {
    agent = await startTestAgent({ plegRelistPeriodMs: 200, statsCachePeriodMs: PERIOD_MS });
    await agent.client.createPod('default', POD);
    await waitFor(
      'burner Running',
      async () => (await agent.client.getPod('default', 'burner')).status?.phase === 'Running',
    );
  });
  after(() => agent?.cleanup());

  test('PodMetrics: the burning container uses CPU, the idle one next to nothing; memory in bytes', async () => {
    const m = await waitFor(
      'burner metrics',
      async () => {
        const list = await get<{ items: PodMetrics[] }>(`${BASE}/namespaces/default/pods?labelSelector=app%3Dburner`);
        return list.items.find((p) => p.metadata.name === 'burner');
      },
      60_000,
      500,
    );
    assert.deepEqual(m.metadata.labels, { app: 'burner' });
    assert.match(m.window, /^\d+(\.\d+)?m?s$/);
    const usage = Object.fromEntries(m.containers.map((c) => [c.name, c.usage]));
    assert.match(usage.burn!.cpu, /^\d+[num]?$/);
    // A busy loop on a shared 2-core machine: well above 50m; the sleeper well below it.
    assert.ok(parseQuantity(usage.burn!.cpu) > 0.05, `burn cpu ${usage.burn!.cpu}`);
    assert.ok(parseQuantity(usage.idle!.cpu) < 0.05, `idle cpu ${usage.idle!.cpu}`);
    assert.ok(parseQuantity(usage.burn!.memory) > 0, `burn memory ${usage.burn!.memory}`);
    const one = await get<PodMetrics>(`${BASE}/namespaces/default/pods/burner`);
    assert.equal(one.kind, 'PodMetrics');
  });

  test('NodeMetrics and /stats/summary: the node from /proc, the pod with its containers', async () => {
    const nodes = await get<{ items: NodeMetrics[] }>(`${BASE}/nodes`);
    assert.equal(nodes.items.length, 1);
    assert.equal(nodes.items[0]!.metadata.name, 'test-node');
    assert.ok(parseQuantity(nodes.items[0]!.usage.cpu) > 0.05);
    assert.ok(parseQuantity(nodes.items[0]!.usage.memory) > 0);
    const s = await get<Summary>('/stats/summary');
    assert.equal(s.node.nodeName, 'test-node');
    assert.ok((s.node.memory?.workingSetBytes ?? 0) > 0);
    const pod = s.pods.find((p) => p.podRef.name === 'burner');
    assert.ok(pod, 'burner in the summary');
    const burn = pod.containers.find((c) => c.name === 'burn');
    assert.ok((burn?.cpu?.usageNanoCores ?? 0) > 50_000_000, JSON.stringify(burn));
    assert.ok((burn?.cpu?.usageCoreNanoSeconds ?? 0) > 0);
    assert.ok((burn?.memory?.workingSetBytes ?? 0) > 0);
    assert.ok((pod.cpu?.usageNanoCores ?? 0) >= (burn?.cpu?.usageNanoCores ?? 0));
    // The same figures as the kubelet's /metrics/resource, what metrics-server scrapes.
    const { status, body } = await rawApiRequest(agent, 'GET', '/metrics/resource');
    assert.equal(status, 200);
    const m =
      /^container_cpu_usage_seconds_total\{container="burn",namespace="default",pod="burner"\} (\S+) (\d+)$/m.exec(
        String(body),
      );
    assert.ok(m, String(body));
    assert.ok(Number(m[1]) > 0 && Number(m[2]) > Date.now() - 600_000);
    assert.match(String(body), /^node_memory_working_set_bytes \S+ \d+$/m);
    assert.match(String(body), /^resource_scrape_error 0$/m);
  });

  test('twenty readers in a row: at most one engine stats request per container per period', async () => {
    const before = await statsRequests();
    const started = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => get(`${BASE}/pods`)));
    for (let i = 0; i < 5; i++) await get('/stats/summary');
    for (let i = 0; i < 5; i++) await get(`${BASE}/namespaces/default/pods/burner`);
    const periods = Math.ceil((Date.now() - started) / PERIOD_MS) + 1;
    const sent = (await statsRequests()) - before;
    // Two containers; without the cache this would be 2 × 20 = 40.
    assert.ok(sent <= 2 * periods, `${sent} stats requests over ${periods} period(s)`);
  });
});
