// The kubelet's read endpoints of a real agent on the real engine: /pods, /runningpods/,
// /containerLogs, /healthz and the Prometheus metrics a probed pod produces.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/apis/core/types.js';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { rawApiRequest } from '../../harness/raw-request.js';

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web' },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: 'app',
        image: BUSYBOX,
        imagePullPolicy: 'Never',
        command: ['sh', '-c', 'echo hello; echo world; exec httpd -f -p 80'],
        readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
        livenessProbe: { exec: { command: ['true'] }, periodSeconds: 1 },
      },
    ],
  },
};

/** The value of one sample line of the exposition (`name{labels} value`), if present. */
function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('kubelet endpoints on a real agent', () => {
  let agent: TestAgent;
  let uid: string;
  /** The answer's text (JSON answers re-serialised), asserting a 200. */
  const text = async (path: string) => {
    const { status, body } = await rawApiRequest(agent, 'GET', path);
    assert.equal(status, 200, path);
    return typeof body === 'string' ? body : JSON.stringify(body);
  };

  before(async () => {
    agent = await startTestAgent({ plegRelistPeriodMs: 200 });
    uid = (await agent.client.createPod('default', POD)).metadata.uid!;
    await waitFor('web Ready', async () => {
      const p = await agent.client.getPod('default', 'web');
      return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    });
  });
  after(() => agent?.cleanup());

  test('/healthz: ok', async () => {
    assert.equal(await text('/healthz'), 'ok');
  });

  test('/pods: the pod with its status; /runningpods/: identity and running containers only', async () => {
    const pods = JSON.parse(await text('/pods')) as { kind: string; items: Pod[] };
    assert.equal(pods.kind, 'PodList');
    assert.equal(pods.items.find((p) => p.metadata.uid === uid)?.status?.phase, 'Running');
    const running = JSON.parse(await text('/runningpods/')) as { kind: string; items: Pod[] };
    assert.equal(running.kind, 'PodList');
    const web = running.items.find((p) => p.metadata.uid === uid);
    assert.deepEqual(web?.metadata, { name: 'web', namespace: 'default', uid, creationTimestamp: null });
    assert.deepEqual(web?.spec.containers, [{ name: 'app', image: BUSYBOX, resources: {} }]);
    assert.equal(web?.status, undefined, 'nothing from the status');
  });

  test('/containerLogs/default/web/app: the log, with the pods/log parameters', async () => {
    assert.equal(await text('/containerLogs/default/web/app'), 'hello\nworld\n');
    assert.equal(await text('/containerLogs/default/web/app?tailLines=1'), 'world\n');
    const stamped = await text('/containerLogs/default/web/app?timestamps=true&tailLines=1');
    assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z world\n$/);
    assert.equal((await rawApiRequest(agent, 'GET', '/containerLogs/default/web/nope')).status, 400);
  });

  test('/metrics: running counts, pod start, probes by result, sync and engine durations, process metrics', async () => {
    const m = await waitFor('metrics after a few probes and relists', async () => {
      const t = await text('/metrics');
      const probes = sampleValue(t, 'prober_probe_total', { probe_type: 'Liveness', pod: 'web', result: 'successful' });
      return (probes ?? 0) >= 2 && (sampleValue(t, 'kubelet_running_pods') ?? 0) >= 1 ? t : undefined;
    });
    assert.equal(sampleValue(m, 'kubelet_running_pods'), 1);
    assert.equal(sampleValue(m, 'kubelet_running_containers', { container_state: 'running' }), 1);
    assert.equal(sampleValue(m, 'kubelet_pod_start_duration_seconds_count'), 1);
    const ready = { probe_type: 'Readiness', container: 'app', pod: 'web', namespace: 'default', pod_uid: uid };
    assert.ok((sampleValue(m, 'prober_probe_total', { ...ready, result: 'successful' }) ?? 0) >= 1);
    assert.ok((sampleValue(m, 'kubelet_pod_worker_duration_seconds_count', { operation_type: 'create' }) ?? 0) >= 1);
    for (const op of ['run_podsandbox', 'create_container', 'start_container', 'exec_sync'])
      assert.ok((sampleValue(m, 'kubelet_runtime_operations_total', { operation_type: op }) ?? 0) >= 1, op);
    assert.ok((sampleValue(m, 'process_resident_memory_bytes') ?? 0) > 0);
    const probes = await text('/metrics/probes');
    assert.ok((sampleValue(probes, 'prober_probe_total', { ...ready, result: 'successful' }) ?? 0) >= 1);
    assert.equal(sampleValue(probes, 'kubelet_running_pods'), undefined, 'only the probe metrics');
  });

  test('a deleted pod leaves no probe series and no running pod', async () => {
    await agent.client.deletePod('default', 'web');
    await waitFor('web gone', () =>
      agent.client.getPod('default', 'web').then(
        () => false,
        () => true,
      ),
    );
    const m = await waitFor('relist after the deletion', async () => {
      const t = await text('/metrics');
      return sampleValue(t, 'kubelet_running_pods') === 0 ? t : undefined;
    });
    assert.equal(sampleValue(m, 'prober_probe_total', { pod: 'web' }), undefined);
    assert.equal(JSON.parse(await text('/runningpods/')).items.length, 0);
  });
});
