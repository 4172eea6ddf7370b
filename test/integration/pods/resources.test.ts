// Requests and limits on the real engine as the kubelet's cgroup manager and cri-dockerd set
// them (kuberuntime calculateLinuxResources; qos/policy.go): CpuShares from the request,
// CpuQuota over a 100 ms CpuPeriod from the limit, Memory from the limit, and the OOM
// score adjust by QoS class, seen by the container's own process.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { BUSYBOX, docker, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Container, Pod } from '../../../src/apis/core/types.js';

const app = (resources: Container['resources']): Container => ({
  name: 'app',
  image: BUSYBOX,
  command: ['sh', '-c', 'cat /proc/self/oom_score_adj; trap "exit 0" TERM; sleep 3600 & wait'],
  ...(resources ? { resources } : {}),
});
const podOf = (name: string, c: Container): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, containers: [c] },
  }) as Pod;

describe('resources: cgroup settings and OOM score by QoS', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent?.cleanup();
  });

  /** The pod's app container as the engine has it, and what its process read from /proc. */
  async function started(pod: Pod) {
    await agent.client.createPod('default', pod);
    const name = pod.metadata.name!;
    await waitFor(`${name} running`, async () => {
      const p = await agent.client.getPod('default', name);
      return p.status?.containerStatuses?.[0]?.state.running;
    });
    const [info] = await agent.containers(`io.kubernetes.pod.name=${name}`);
    const inspected = await docker.getContainer(info!.Id).inspect();
    const seen = await waitFor(`${name} printed its oom_score_adj`, async () => {
      const text = await readText(await agent.client.podLogs('default', name, {}));
      return text.trim() || undefined;
    });
    return { host: inspected.HostConfig, seen: Number(seen) };
  }

  test('Guaranteed: shares and quota from cpu, memory limit, oom_score_adj -997 (when the engine may lower it)', async () => {
    const { host, seen } = await started(
      podOf('guaranteed', app({ limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '250m', memory: '64Mi' } })),
    );
    assert.deepEqual(
      [host.CpuShares, host.CpuPeriod, host.CpuQuota, host.NanoCpus, host.Memory],
      [256, 100_000, 25_000, 0, 64 * 2 ** 20],
    );
    // An engine that cannot lower oom_score_adj (unprivileged) runs it without: then the process keeps the default.
    if (host.OomScoreAdj === -997) assert.equal(seen, -997);
    else assert.equal(host.OomScoreAdj, 0);
  });

  test('Burstable: the formula from the memory request; BestEffort: 1000 and the minimum shares', async () => {
    const burst = await started(podOf('burstable', app({ requests: { memory: '64Mi' } })));
    const want = 1000 - Math.trunc((1000 * 64 * 2 ** 20) / totalmem());
    assert.deepEqual([burst.host.OomScoreAdj, burst.seen, burst.host.CpuShares], [want, want, 2]);
    const best = await started(podOf('besteffort', app(undefined)));
    assert.deepEqual([best.host.OomScoreAdj, best.seen, best.host.CpuShares, best.host.CpuQuota], [1000, 1000, 2, 0]);
  });
});
