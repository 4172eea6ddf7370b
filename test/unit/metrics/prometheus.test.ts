// The kubelet's metric names, labels and buckets in the Prometheus text format, in a
// registry of the agent's own (prom-client's global registry stays empty).
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { register } from 'prom-client';
import { PrometheusMetrics } from '../../../src/metrics/prometheus.js';

const sample = (text: string, line: string) => text.split('\n').includes(line);

test('runtime operations: total, duration histogram with the kubelet buckets, errors', async () => {
  const m = new PrometheusMetrics();
  m.runtimeOperation('create_container', 0.02, false);
  m.runtimeOperation('create_container', 0.3, true);
  const { contentType, body } = await m.scrape('all');
  assert.match(contentType, /^text\/plain; version=0\.0\.4/);
  assert.ok(sample(body, 'kubelet_runtime_operations_total{operation_type="create_container"} 2'), body);
  assert.ok(sample(body, 'kubelet_runtime_operations_errors_total{operation_type="create_container"} 1'));
  // ExponentialBuckets(.005, 2.5, 14): 0.005, 0.0125, 0.03125, …
  assert.ok(
    sample(
      body,
      'kubelet_runtime_operations_duration_seconds_bucket{le="0.03125",operation_type="create_container"} 1',
    ),
  );
  assert.ok(
    sample(
      body,
      'kubelet_runtime_operations_duration_seconds_bucket{le="0.48828125",operation_type="create_container"} 2',
    ),
  );
  assert.ok(sample(body, 'kubelet_runtime_operations_duration_seconds_count{operation_type="create_container"} 2'));
  assert.match(body, /^# HELP kubelet_runtime_operations_total \[ALPHA\] Cumulative number of runtime operations/m);
  assert.match(body, /^process_resident_memory_bytes \d+$/m, 'prom-client default metrics in the same registry');
  assert.equal((await register.metrics()).trim(), '', 'nothing in the global registry');
});

test('pod worker durations by operation_type, pod start histogram, running gauges', async () => {
  const m = new PrometheusMetrics();
  m.podWorkerDuration('create', 1.2);
  m.podWorkerDuration('sync', 0.01);
  m.podStartDuration(2.5);
  m.setRunning(3, { created: 1, running: 4, exited: 2, unknown: 0 });
  const { body } = await m.scrape('all');
  assert.ok(sample(body, 'kubelet_pod_worker_duration_seconds_bucket{le="2.5",operation_type="create"} 1'));
  assert.ok(sample(body, 'kubelet_pod_worker_duration_seconds_count{operation_type="sync"} 1'));
  assert.ok(sample(body, 'kubelet_pod_start_duration_seconds_bucket{le="2"} 0'));
  assert.ok(sample(body, 'kubelet_pod_start_duration_seconds_bucket{le="3"} 1'));
  assert.ok(sample(body, 'kubelet_pod_start_duration_seconds_bucket{le="3600"} 1'));
  assert.ok(sample(body, 'kubelet_running_pods 3'));
  assert.ok(sample(body, 'kubelet_running_containers{container_state="running"} 4'));
  assert.ok(sample(body, 'kubelet_running_containers{container_state="exited"} 2'));
});

test('prober_probe_total: counted by result, in /metrics and alone in /metrics/probes; a stopped worker removes its series', async () => {
  const m = new PrometheusMetrics();
  const labels = { probe_type: 'Readiness', container: 'app', pod: 'web', namespace: 'default', pod_uid: 'u1' };
  const s = m.probeSeries(labels);
  s.inc('successful');
  s.inc('successful');
  s.inc('failed');
  const line = (result: string, n: number) =>
    `prober_probe_total{probe_type="Readiness",container="app",pod="web",namespace="default",pod_uid="u1",result="${result}"} ${n}`;
  const all = (await m.scrape('all')).body;
  assert.ok(sample(all, line('successful', 2)), all);
  assert.ok(sample(all, line('failed', 1)));
  const probes = (await m.scrape('probes')).body;
  assert.ok(sample(probes, line('successful', 2)));
  assert.doesNotMatch(probes, /kubelet_|process_/);
  s.remove();
  assert.doesNotMatch((await m.scrape('all')).body, /^prober_probe_total\{/m);
});
