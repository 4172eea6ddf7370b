// What the stats provider serves: the Summary API shape and the metrics.k8s.io objects
// metrics-server would build (canonical quantities, window, which pods appear).
import assert from 'node:assert/strict';
import { test } from '../../harness/node-test.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import type { Pod } from '../../../src/apis/core/types.js';
import type { UsageSample, UsageSampleSource } from '../../../src/runtime/container-stats.js';
import { StatsProvider } from '../../../src/stats/stats-provider.js';
import { formatBinarySI, formatNanoCores } from '../../../src/apis/stats/quantity.js';
import { goFloat } from '../../../src/stats/resource-metrics.js';
import { UsageCache } from '../../../src/stats/usage-cache.js';

test('nanocores print with the largest exact suffix, as Quantity.String()', () => {
  assert.equal(formatNanoCores(1253427), '1253427n');
  assert.equal(formatNanoCores(1253000), '1253u');
  assert.equal(formatNanoCores(2_000_000), '2m');
  assert.equal(formatNanoCores(1e9), '1');
  assert.equal(formatNanoCores(0), '0');
});

test('bytes print as BinarySI with the largest exact suffix', () => {
  assert.equal(formatBinarySI(3506176), '3424Ki');
  assert.equal(formatBinarySI(2 ** 29), '512Mi');
  assert.equal(formatBinarySI(3146240), '3146240');
  assert.equal(formatBinarySI(0), '0');
});

const T0 = Date.parse('2026-01-01T00:00:00Z');

function pod(name: string, containers: { name: string; id?: string }[], labels?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, ...(labels ? { labels } : {}) },
    spec: { containers: containers.map((c) => ({ name: c.name, image: 'busybox' })) },
    status: {
      phase: 'Running',
      startTime: '2026-01-01T00:00:00Z',
      containerStatuses: containers.map((c) => ({
        name: c.name,
        state: c.id ? { running: { startedAt: '2026-01-01T00:00:01Z' } } : { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
        ready: !!c.id,
        restartCount: 0,
        image: 'busybox',
        imageID: '',
        ...(c.id ? { containerID: `docker://${c.id}` } : {}),
      })),
    },
  } as Pod;
}

/** Every container at 0.25 core over a 1 s engine window, 3 MiB working set; `norate` ids without. */
function source(norate: Set<string>): UsageSampleSource {
  return {
    async sample(id): Promise<UsageSample> {
      const memory = { usageBytes: 4 * 2 ** 20, workingSetBytes: 3 * 2 ** 20 + 512 };
      return norate.has(id)
        ? { readMs: T0 + 5000, cpuNs: 7e9, memory }
        : { readMs: T0 + 5000, cpuNs: 7e9, previous: { readMs: T0 + 4000, cpuNs: 7e9 - 250_000_000 }, memory };
    },
  };
}

function provider(pods: Pod[], norate = new Set<string>()) {
  const clock = new FakeClock(T0 + 6000);
  const nodeSource: UsageSampleSource = {
    async sample() {
      return {
        readMs: T0 + 5500,
        cpuNs: 100e9,
        previous: { readMs: T0 + 4500, cpuNs: 100e9 - 1_500_000_000 },
        memory: { usageBytes: 2 ** 30, workingSetBytes: 2 ** 29, availableBytes: 2 ** 31 },
      };
    },
  };
  return new StatsProvider({
    nodeName: 'n1',
    clock,
    pods: () => pods,
    node: () => ({ metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } } }) as never,
    containers: new UsageCache(source(norate), clock, 15_000),
    nodeUsage: new UsageCache(nodeSource, clock, 15_000),
    bootTimeMs: T0 - 3_600_000,
  });
}

test('PodMetrics: canonical usage per running container, window and labels', async () => {
  const p = provider([
    pod(
      'web',
      [
        { name: 'app', id: 'c1' },
        { name: 'side', id: 'c2' },
      ],
      { app: 'web' },
    ),
  ]);
  const [m, ...rest] = await p.podMetrics();
  assert.equal(rest.length, 0);
  assert.deepEqual(m, {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:06Z', labels: { app: 'web' } },
    timestamp: '2026-01-01T00:00:05Z',
    window: '1s',
    containers: [
      { name: 'app', usage: { cpu: '250m', memory: '3146240' } },
      { name: 'side', usage: { cpu: '250m', memory: '3146240' } },
    ],
  });
});

test('a pod appears only when every running container has a rate; pods with nothing running never', async () => {
  const p = provider(
    [
      pod('half', [
        { name: 'a', id: 'c1' },
        { name: 'b', id: 'c2' },
      ]),
      pod('waiting', [{ name: 'a' }]),
    ],
    new Set(['c2']),
  );
  assert.deepEqual(await p.podMetrics(), []);
});

test('NodeMetrics: the node rate from /proc and its working set, with the Node labels', async () => {
  const [n] = await provider([]).nodeMetrics();
  assert.deepEqual(n, {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: 'n1', creationTimestamp: '2026-01-01T00:00:06Z', labels: { 'kubernetes.io/hostname': 'n1' } },
    timestamp: '2026-01-01T00:00:05Z',
    window: '1s',
    usage: { cpu: '1500m', memory: '512Mi' },
  });
});

test('/stats/summary shape: node and pods, containers with cpu and memory, pod totals', async () => {
  const s = await provider([
    pod('web', [
      { name: 'app', id: 'c1' },
      { name: 'side', id: 'c2' },
    ]),
  ]).summary();
  assert.equal(s.node.nodeName, 'n1');
  assert.equal(s.node.startTime, '2025-12-31T23:00:00Z');
  assert.deepEqual(s.node.cpu, {
    time: '2026-01-01T00:00:05Z',
    usageNanoCores: 1_500_000_000,
    usageCoreNanoSeconds: 100e9,
  });
  assert.equal(s.node.memory?.availableBytes, 2 ** 31);
  assert.equal(s.pods.length, 1);
  const web = s.pods[0]!;
  assert.deepEqual(web.podRef, { name: 'web', namespace: 'default', uid: 'uid-web' });
  assert.deepEqual(
    web.containers.map((c) => [c.name, c.startTime, c.cpu?.usageNanoCores, c.memory?.workingSetBytes]),
    [
      ['app', '2026-01-01T00:00:01Z', 250_000_000, 3 * 2 ** 20 + 512],
      ['side', '2026-01-01T00:00:01Z', 250_000_000, 3 * 2 ** 20 + 512],
    ],
  );
  assert.equal(web.cpu?.usageNanoCores, 500_000_000);
  assert.equal(web.cpu?.usageCoreNanoSeconds, 14e9);
  assert.equal(web.memory?.workingSetBytes, 2 * (3 * 2 ** 20 + 512));
});

test('floats as Go strconv g/-1 writes them in the exposition', () => {
  assert.equal(goFloat(3506176), '3.506176e+06');
  assert.equal(goFloat(1291845632), '1.291845632e+09');
  assert.equal(goFloat(1234.56), '1234.56');
  assert.equal(goFloat(0.00001), '1e-05');
  assert.equal(goFloat(0.25), '0.25');
  assert.equal(goFloat(100000), '100000');
  assert.equal(goFloat(0), '0');
});

test('/metrics/resource text: node, container and pod series with sample timestamps, sorted families', async () => {
  const text = await provider([pod('web', [{ name: 'app', id: 'c1' }, { name: 'wait' }])]).resourceMetrics();
  const lines = text.trimEnd().split('\n');
  assert.deepEqual(
    lines.filter((l) => l.startsWith('# TYPE')),
    [
      '# TYPE container_cpu_usage_seconds_total counter',
      '# TYPE container_memory_working_set_bytes gauge',
      '# TYPE container_start_time_seconds gauge',
      '# TYPE node_cpu_usage_seconds_total counter',
      '# TYPE node_memory_working_set_bytes gauge',
      '# TYPE pod_cpu_usage_seconds_total counter',
      '# TYPE pod_memory_working_set_bytes gauge',
      '# TYPE resource_scrape_error gauge',
    ],
  );
  assert.ok(
    lines.includes(
      '# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds',
    ),
  );
  const t = T0 + 5000;
  for (const l of [
    `container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 7 ${t}`,
    `container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 3.14624e+06 ${t}`,
    'container_start_time_seconds{container="app",namespace="default",pod="web"} 1.767225601e+09',
    `node_cpu_usage_seconds_total 100 ${T0 + 5500}`,
    `node_memory_working_set_bytes 5.36870912e+08 ${T0 + 5500}`,
    `pod_cpu_usage_seconds_total{namespace="default",pod="web"} 7 ${t}`,
    'resource_scrape_error 0',
  ])
    assert.ok(lines.includes(l), `missing ${l} in\n${text}`);
  assert.ok(!text.includes('container="wait"'), 'a container not running has no series');
});
