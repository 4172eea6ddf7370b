// The kubelet's read endpoints beside the API (pkg/kubelet/server/server.go): /pods,
// /runningpods/, /containerLogs/{ns}/{pod}/{container}, /metrics, /metrics/probes, /healthz.
import { test, beforeEach, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startApiServer, type ApiServer } from '../../../src/server/api-server.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeNode, podManifest } from '../../fakes/fake-node.js';
import { getJson } from './helpers.js';
import type { Pod } from '../../../src/apis/core/types.js';

let node: FakeNode;
let server: ApiServer;
const scraped: string[] = [];
beforeEach(async () => {
  node = new FakeNode();
  scraped.length = 0;
  server = await startApiServer({
    node,
    listen: '127.0.0.1:0',
    log: silentLogger(),
    metrics: async (which) => {
      scraped.push(which);
      return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: `# ${which}\nup 1\n` };
    },
  });
  await node.createPod('default', podManifest('web', { containers: ['app', 'side'] }));
});
afterEach(() => server.close());

test('/pods: a v1 PodList of the pods the node runs, with their status', async () => {
  const { status, body } = await getJson<{ kind: string; apiVersion: string; items: Pod[] }>(`${server.url}/pods`);
  assert.equal(status, 200);
  assert.equal(body.kind, 'PodList');
  assert.equal(body.apiVersion, 'v1');
  assert.deepEqual(
    body.items.map((p) => p.metadata.name),
    ['web'],
  );
  assert.ok(body.items[0]!.status, 'with status');
});

test('/runningpods/: what the runtime runs, with or without the trailing slash', async () => {
  node.running = [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default', uid: 'u1', creationTimestamp: null },
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
    },
  ];
  for (const path of ['/runningpods/', '/runningpods']) {
    const { status, body } = await getJson<{ kind: string; items: Pod[] }>(`${server.url}${path}`);
    assert.equal(status, 200);
    assert.equal(body.kind, 'PodList');
    assert.deepEqual(body.items, node.running);
  }
});

test('/containerLogs/{ns}/{pod}/{container}: the container from the path, the pods/log query parameters', async () => {
  const res = await fetch(
    `${server.url}/containerLogs/default/web/side?tailLines=2&timestamps=true&sinceSeconds=60&limitBytes=10&previous=true`,
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/plain');
  assert.equal(await res.text(), 'line 1\nline 2\n');
  assert.deepEqual(node.logCalls[0]!.req, {
    container: 'side',
    previous: true,
    tailLines: 2,
    timestamps: true,
    sinceSeconds: 60,
    limitBytes: 10,
  });
  const bad = await getJson<{ message: string }>(`${server.url}/containerLogs/default/web/side?tailLines=-1`);
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /tailLines: Invalid value: -1/);
  const missing = await getJson<{ reason: string }>(`${server.url}/containerLogs/default/nope/app`);
  assert.equal(missing.status, 404);
  assert.equal(missing.body.reason, 'NotFound');
});

test('/metrics and /metrics/probes: the Prometheus exposition with its content type', async () => {
  const all = await fetch(`${server.url}/metrics`);
  assert.equal(all.status, 200);
  assert.equal(all.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  assert.equal(await all.text(), '# all\nup 1\n');
  assert.equal(await (await fetch(`${server.url}/metrics/probes`)).text(), '# probes\nup 1\n');
  assert.deepEqual(scraped, ['all', 'probes']);
});

test('/healthz says ok and nothing more; /metrics without a registry is 404', async () => {
  const res = await fetch(`${server.url}/healthz`);
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok');
  const bare = await startApiServer({ node, listen: '127.0.0.1:0', log: silentLogger() });
  try {
    assert.equal((await fetch(`${bare.url}/metrics`)).status, 404);
  } finally {
    await bare.close();
  }
});
