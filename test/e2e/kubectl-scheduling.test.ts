// Scheduling onto the agent's one node through the real kubectl (issue #15 §1): a pod the
// node does not fit stays Pending with PodScheduled=False/Unschedulable and the scheduler's
// message (shown by describe), and starts once the node changes (label, untaint, uncordon)
// or the blocking pod goes; a NoExecute taint evicts a running pod.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../src/apis/core/types.js';
import { BUSYBOX, startTestAgent, type TestAgent, waitFor } from '../harness/agent.js';
import { type Kubectl, kubectlFor, NO_KUBECTL } from '../harness/kubectl.js';
import { after, before, describe, test } from '../harness/node-test.js';

const NODE = 'test-node';
const UAU = ' preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
const U = ' preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';

/** A pod that exits at once on SIGTERM, with extra spec fields and labels. */
function pod(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'] }],
      ...spec,
    },
  });
}

describe('kubectl: scheduling onto this node', () => {
  let agent: TestAgent;
  let kubectl: Kubectl | undefined;

  before(async () => {
    agent = await startTestAgent();
    kubectl = kubectlFor(agent);
  });
  after(async () => {
    await agent?.cleanup();
  });

  const ok = async (args: string[], input?: string) => {
    const r = await kubectl!(args, input === undefined ? {} : { input });
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const create = (manifest: string) => ok(['create', '-f', '-'], manifest);
  const scheduled = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  /** Waits until the pod is Unschedulable and returns the scheduler's message. */
  const unschedulable = async (name: string) => {
    const p = await waitFor(`${name} unschedulable`, async () => {
      const x = await agent.client.getPod('default', name);
      return scheduled(x)?.status === 'False' ? x : undefined;
    });
    assert.equal(p.status?.phase, 'Pending');
    assert.equal(p.spec.nodeName, undefined);
    assert.equal(scheduled(p)?.reason, 'Unschedulable');
    return scheduled(p)?.message;
  };
  const ready = (name: string) => ok(['wait', '--for=condition=Ready', `pod/${name}`, '--timeout=60s']);
  const remove = (...names: string[]) => ok(['delete', 'pod', ...names, '--grace-period=0', '--wait=true']);

  test('an unmatched nodeSelector: Pending/Unschedulable, describe shows why; `label node` starts it', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    await create(pod('picky', { nodeSelector: { disk: 'ssd' } }));
    const msg = `0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.${UAU}`;
    assert.equal(await unschedulable('picky'), msg);
    const wide = await ok(['get', 'pod', 'picky', '-o', 'wide']);
    assert.match(wide, /\npicky\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s/);
    const described = await ok(['describe', 'pod', 'picky']);
    assert.match(described, /PodScheduled\s+False/);
    assert.ok(described.includes(`Warning  FailedScheduling`), described);
    assert.match(
      described,
      /FailedScheduling\s+\S+\s+default-scheduler\s+0\/1 nodes are available: 1 node\(s\) didn't match Pod's node affinity\/selector\. preemption:/,
    );
    await ok(['label', 'node', NODE, 'disk=ssd']);
    await ready('picky');
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.name=picky,reason=Scheduled']);
    assert.match(
      events,
      new RegExp(`Normal\\s+Scheduled\\s+pod/picky\\s+Successfully assigned default/picky to ${NODE}`),
    );
    await remove('picky');
    await ok(['label', 'node', NODE, 'disk-']);
  });

  test('requests beyond allocatable stay Pending: Insufficient cpu', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const containers = [
      {
        name: 'app',
        image: BUSYBOX,
        command: ['sleep', '3600'],
        resources: { requests: { cpu: '1000', memory: '1Mi' } },
      },
    ];
    await create(pod('greedy', { containers }));
    assert.equal(await unschedulable('greedy'), `0/1 nodes are available: 1 Insufficient cpu.${U}`);
    assert.deepEqual(await agent.containers('io.kubernetes.pod.name=greedy'), []);
    await remove('greedy');
  });

  test('a NoSchedule taint without toleration blocks; `taint … -` starts the pod', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    assert.equal((await ok(['taint', 'node', NODE, 'dedicated=gpu:NoSchedule'])).trim(), `node/${NODE} tainted`);
    await create(pod('plain'));
    assert.equal(
      await unschedulable('plain'),
      `0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.${UAU}`,
    );
    // A pod that tolerates it goes.
    await create(
      pod('tolerant', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
    );
    await ready('tolerant');
    assert.equal((await ok(['taint', 'node', NODE, 'dedicated=gpu:NoSchedule-'])).trim(), `node/${NODE} untainted`);
    await ready('plain');
    await remove('plain', 'tolerant');
  });

  test('a NoExecute taint evicts a running pod that does not tolerate it, and one tolerating it for 3 s after them', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    await create(pod('victim'));
    await create(pod('survivor', { tolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute' }] }));
    await create(
      pod('delayed', {
        tolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 3 }],
      }),
    );
    await ready('victim');
    await ready('survivor');
    await ready('delayed');
    await ok(['taint', 'node', NODE, 'maintenance=now:NoExecute']);
    await ok(['wait', '--for=delete', 'pod/victim', '--timeout=60s']);
    // Tolerated for 3 s: deleted once they have passed.
    await ok(['wait', '--for=delete', 'pod/delayed', '--timeout=60s']);
    const events = await ok(['get', 'events', '--field-selector', 'reason=TaintManagerEviction']);
    assert.match(events, /Normal\s+TaintManagerEviction\s+pod\/victim\s+Marking for deletion Pod default\/victim/);
    assert.equal((await agent.client.getPod('default', 'survivor')).status?.phase, 'Running');
    await ok(['taint', 'node', NODE, 'maintenance-']);
    await remove('survivor');
  });

  test('required anti-affinity to a running pod blocks until that pod goes', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    await create(pod('web-1', {}, { app: 'web' }));
    await ready('web-1');
    const affinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    await create(pod('web-2', { affinity }, { app: 'web' }));
    assert.equal(
      await unschedulable('web-2'),
      `0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.${U}`,
    );
    await remove('web-1');
    await ready('web-2');
    await remove('web-2');
  });

  test('cordon: Ready,SchedulingDisabled and new pods wait; uncordon places them', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    await create(pod('before'));
    await ready('before');
    assert.equal((await ok(['cordon', NODE])).trim(), `node/${NODE} cordoned`);
    assert.match(await ok(['get', 'nodes']), new RegExp(`\\n${NODE}\\s+Ready,SchedulingDisabled\\s`));
    const taints = await ok(['get', 'node', NODE, '-o', 'jsonpath={.spec.taints}']);
    assert.match(taints, /"key":"node.kubernetes.io\/unschedulable"/);
    await create(pod('after'));
    assert.equal(await unschedulable('after'), `0/1 nodes are available: 1 node(s) were unschedulable.${UAU}`);
    // Running pods are unaffected.
    assert.equal((await agent.client.getPod('default', 'before')).status?.phase, 'Running');
    assert.equal((await ok(['uncordon', NODE])).trim(), `node/${NODE} uncordoned`);
    await ready('after');
    assert.match(await ok(['get', 'nodes']), new RegExp(`\\n${NODE}\\s+Ready\\s`));
    await remove('before', 'after');
  });
});

describe('kubectl: static pods meet the kubelet admission, not the scheduler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-sched-manifests-'));
  let agent: TestAgent;
  let kubectl: Kubectl | undefined;
  const manifest = (name: string, spec: Record<string, unknown>) =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { containers: [{ name: 'app', image: BUSYBOX, command: ['sleep', '3600'] }], ...spec },
    });

  before(async () => {
    const containers = [
      { name: 'app', image: BUSYBOX, command: ['sleep', '3600'], resources: { requests: { cpu: '1000' } } },
    ];
    writeFileSync(join(dir, 'hungry.json'), manifest('hungry', { containers }));
    writeFileSync(join(dir, 'picky.json'), manifest('picky', { nodeSelector: { disk: 'ssd' } }));
    agent = await startTestAgent({ manifestsDir: dir });
    kubectl = kubectlFor(agent);
  });
  after(async () => {
    await agent?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('requests beyond allocatable: Failed/OutOfcpu; an unmatched nodeSelector: Failed/NodeAffinity', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const failed = async (name: string) =>
      waitFor(`${name} rejected`, async () => {
        const x = await agent.client.getPod('default', name);
        return x.status?.phase === 'Failed' ? x : undefined;
      });
    const hungry = await failed(`hungry-${NODE}`);
    assert.equal(hungry.status?.reason, 'OutOfcpu');
    assert.match(
      String(hungry.status?.message),
      /^Pod was rejected: Node didn't have enough resource: cpu, requested: 1000000, used: 0, capacity: \d+$/,
    );
    const picky = await failed(`picky-${NODE}`);
    assert.equal(
      picky.status?.message,
      "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector",
    );
    const r = await kubectl(['get', 'pods']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`\\nhungry-${NODE}\\s+0/1\\s+OutOfcpu\\s`));
    assert.match(r.stdout, new RegExp(`\\npicky-${NODE}\\s+0/1\\s+NodeAffinity\\s`));
    assert.deepEqual(await agent.containers(`io.kubernetes.pod.name=hungry-${NODE}`), []);
  });
});
