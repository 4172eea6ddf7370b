// metrics.k8s.io/v1beta1 and /stats/summary on the API server: discovery lists the group
// only when the agent has a stats provider; list/get with namespace, label and field
// selectors; NotFound as metrics-server words it.
import assert from 'node:assert/strict';
import { after, before, test } from '../../harness/node-test.js';
import { startApiServer, type ApiServer } from '../../../src/server/api-server.js';
import type { StatsFacade } from '../../../src/server/api-deps.js';
import type { PodMetrics } from '../../../src/apis/stats/types.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeNode, podManifest } from '../../fakes/fake-node.js';
import { getJson, TABLE_ACCEPT } from './helpers.js';

const AGG_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

const podMetrics = (ns: string, name: string, labels: Record<string, string>): PodMetrics => ({
  kind: 'PodMetrics',
  apiVersion: 'metrics.k8s.io/v1beta1',
  metadata: { name, namespace: ns, creationTimestamp: '2026-01-01T00:00:06Z', labels },
  timestamp: '2026-01-01T00:00:05Z',
  window: '15s',
  containers: [
    { name: 'app', usage: { cpu: '1253427n', memory: '3424Ki' } },
    { name: 'side', usage: { cpu: '746573n', memory: '1Mi' } },
  ],
});

const stats: StatsFacade = {
  resourceMetrics: async () => 'node_cpu_usage_seconds_total 1.5 1767225605000\n',
  summary: async () => ({ node: { nodeName: 'n1', startTime: '2026-01-01T00:00:00Z' }, pods: [] }),
  nodeMetrics: async () => [
    {
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'fake-node', creationTimestamp: '2026-01-01T00:00:06Z' },
      timestamp: '2026-01-01T00:00:05Z',
      window: '15s',
      usage: { cpu: '137481920n', memory: '1261568Ki' },
    },
  ],
  podMetrics: async () => [
    podMetrics('default', 'web', { app: 'web' }),
    podMetrics('default', 'db', { app: 'db' }),
    podMetrics('other', 'web', { app: 'web' }),
  ],
};

let server: ApiServer;
let plain: ApiServer;
before(async () => {
  const node = new FakeNode();
  // `web` and `db` run in default; `quiet` runs too but has no usage yet.
  for (const name of ['web', 'db', 'quiet']) await node.createPod('default', podManifest(name));
  server = await startApiServer({ node, listen: '127.0.0.1:0', log: silentLogger(), stats });
  plain = await startApiServer({ node: new FakeNode(), listen: '127.0.0.1:0', log: silentLogger() });
});
after(async () => {
  await server.close();
  await plain.close();
});

const names = (b: { items: PodMetrics[] }) => b.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`);

test('/apis lists metrics.k8s.io v1beta1 (aggregated and legacy); the group and version documents', async () => {
  const agg = await getJson<{
    items: { metadata: { name: string }; versions: { version: string; resources: unknown[] }[] }[];
  }>(`${server.url}/apis`, { headers: { Accept: AGG_ACCEPT } });
  // storage.k8s.io (the node's StorageClasses) is always listed first, as the API server orders groups.
  assert.deepEqual(
    agg.body.items.map((g) => g.metadata.name),
    ['storage.k8s.io', 'metrics.k8s.io'],
  );
  assert.deepEqual(agg.body.items[1]?.versions[0]?.resources, [
    {
      resource: 'nodes',
      responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' },
      scope: 'Cluster',
      singularResource: 'node',
      verbs: ['get', 'list'],
    },
    {
      resource: 'pods',
      responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' },
      scope: 'Namespaced',
      singularResource: '',
      verbs: ['get', 'list'],
    },
  ]);
  const legacy = await getJson<{ groups: unknown[] }>(`${server.url}/apis`);
  const v = { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' };
  assert.deepEqual(legacy.body.groups[1], { name: 'metrics.k8s.io', versions: [v], preferredVersion: v });
  const rl = await getJson<{ groupVersion: string; resources: { name: string }[] }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1`,
  );
  assert.equal(rl.body.groupVersion, 'metrics.k8s.io/v1beta1');
  assert.deepEqual(
    rl.body.resources.map((r) => r.name),
    ['nodes', 'pods'],
  );
  assert.equal((await getJson(`${server.url}/apis/metrics.k8s.io`)).status, 200);
});

test('without a stats provider: no metrics group in /apis and no routes', async () => {
  const legacy = await getJson<{ groups: { name: string }[] }>(`${plain.url}/apis`);
  assert.deepEqual(
    legacy.body.groups.map((g) => g.name),
    ['storage.k8s.io'],
  );
  assert.equal((await getJson(`${plain.url}/apis/metrics.k8s.io/v1beta1/pods`)).status, 404);
  assert.equal((await getJson(`${plain.url}/stats/summary`)).status, 404);
});

test('pods: all namespaces, one namespace, label and field selectors', async () => {
  const all = await getJson<{ kind: string; apiVersion: string; items: PodMetrics[] }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/pods`,
  );
  assert.equal(all.body.kind, 'PodMetricsList');
  assert.equal(all.body.apiVersion, 'metrics.k8s.io/v1beta1');
  assert.deepEqual(names(all.body), ['default/db', 'default/web', 'other/web'], 'by namespace, then name');
  const ns = await getJson<{ items: PodMetrics[] }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods`,
  );
  assert.deepEqual(names(ns.body), ['default/db', 'default/web']);
  const byLabel = await getJson<{ items: PodMetrics[] }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/pods?labelSelector=${encodeURIComponent('app=web')}`,
  );
  assert.deepEqual(names(byLabel.body), ['default/web', 'other/web']);
  const byField = await getJson<{ items: PodMetrics[] }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?fieldSelector=${encodeURIComponent('metadata.name=db')}`,
  );
  assert.deepEqual(names(byField.body), ['default/db']);
  assert.equal(
    (await getJson(`${server.url}/apis/metrics.k8s.io/v1beta1/pods?labelSelector=${encodeURIComponent('a b c')}`))
      .status,
    400,
  );
});

test('get: one pod or node; the two NotFounds of metrics-server (no such object, no usage yet)', async () => {
  const one = await getJson<PodMetrics>(`${server.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web`);
  assert.equal(one.body.metadata.name, 'web');
  const missing = await getJson<{ reason: string; message: string }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope`,
  );
  assert.equal(missing.status, 404);
  assert.equal(missing.body.reason, 'NotFound');
  assert.equal(missing.body.message, 'pods "nope" not found');
  const quiet = await getJson<{ reason: string; message: string }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/quiet`,
  );
  assert.equal(quiet.status, 404);
  assert.equal(quiet.body.message, 'podmetrics.metrics.k8s.io "default/quiet" not found');
  const node = await getJson<{ kind: string }>(`${server.url}/apis/metrics.k8s.io/v1beta1/nodes/fake-node`);
  assert.equal(node.body.kind, 'NodeMetrics');
  const list = await getJson<{ kind: string; items: unknown[] }>(`${server.url}/apis/metrics.k8s.io/v1beta1/nodes`);
  assert.equal(list.body.kind, 'NodeMetricsList');
  assert.equal(list.body.items.length, 1);
  const nn = await getJson<{ message: string }>(`${server.url}/apis/metrics.k8s.io/v1beta1/nodes/other`);
  assert.equal(nn.body.message, 'node "other" not found');
});

test('/stats/summary: the provider Summary as JSON', async () => {
  const r = await getJson<{ node: { nodeName: string }; pods: unknown[] }>(`${server.url}/stats/summary`);
  assert.equal(r.status, 200);
  assert.equal(r.body.node.nodeName, 'n1');
  assert.deepEqual(r.body.pods, []);
});

test('/metrics/resource: the provider text as Prometheus text format 0.0.4', async () => {
  const r = await fetch(`${server.url}/metrics/resource`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(await r.text(), 'node_cpu_usage_seconds_total 1.5 1767225605000\n');
  assert.equal((await fetch(`${plain.url}/metrics/resource`)).status, 404);
});

test('Table (kubectl get podmetrics): Name, cpu and memory summed over containers, Window', async () => {
  const t = await getJson<{
    kind: string;
    columnDefinitions: { name: string }[];
    rows: { cells: unknown[]; object?: unknown }[];
  }>(`${server.url}/apis/metrics.k8s.io/v1beta1/namespaces/default/pods`, { headers: { Accept: TABLE_ACCEPT } });
  assert.equal(t.body.kind, 'Table');
  assert.deepEqual(
    t.body.columnDefinitions.map((c) => c.name),
    ['Name', 'cpu', 'memory', 'Window'],
  );
  // 1253427n + 746573n = 2000000n = 2m; 3424Ki + 1Mi = 4448Ki.
  assert.deepEqual(t.body.rows[0]?.cells, ['db', '2m', '4448Ki', '15s']);
  const one = await getJson<{ rows: { cells: unknown[] }[] }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/nodes/fake-node?includeObject=None`,
    { headers: { Accept: TABLE_ACCEPT } },
  );
  assert.deepEqual(
    one.body.rows,
    [{ cells: ['fake-node', '137481920n', '1232Mi', '15s'] }],
    '1261568Ki is 1232Mi canonically',
  );
  const none = await getJson<{ columnDefinitions: unknown[]; rows: unknown[] }>(
    `${server.url}/apis/metrics.k8s.io/v1beta1/namespaces/empty/pods`,
    { headers: { Accept: TABLE_ACCEPT } },
  );
  assert.deepEqual([none.body.columnDefinitions, none.body.rows], [[], []]);
});

test('usage is behind authentication like every API path: 401 without the token', async () => {
  const guarded = await startApiServer({
    node: new FakeNode(),
    listen: '127.0.0.1:0',
    log: silentLogger(),
    stats,
    checkToken: (t) => t === 'sesame',
  });
  try {
    for (const path of ['/stats/summary', '/metrics/resource', '/apis/metrics.k8s.io/v1beta1/pods']) {
      assert.equal((await fetch(`${guarded.url}${path}`)).status, 401, path);
      const ok = await fetch(`${guarded.url}${path}`, { headers: { Authorization: 'Bearer sesame' } });
      assert.equal(ok.status, 200, path);
    }
  } finally {
    await guarded.close();
  }
});
