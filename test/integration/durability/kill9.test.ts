// kill -9 at chosen points (issue #13): `serve` runs as a child process with the test-only
// crash hook MINIKUBELET_CRASH_AT=<point>[:n] (src/util/crash-point.ts), which SIGKILLs the
// agent the n-th time it reaches that step. The agent is then started again on the same root
// dir without the hook, and the node must converge: one running sandbox and one running
// container per desired container (no duplicates), nothing left of deleted pods (no orphans),
// containers that were running at the kill untouched (same ID, same restartCount), init
// containers not run twice, and the pod Running — or gone when it was being deleted.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { BUSYBOX, docker, removeAgentContainers, removeAgentRoot, waitFor } from '../../harness/agent.js';
import { startServe, type ServeProcess } from '../../harness/serve-process.js';
import { startRegistry, type TestRegistry } from '../../harness/registry.js';
import type { Container, Pod } from '../../../src/apis/core/types.js';

const SLEEP = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];
const app = (name: string, extra: Partial<Container> = {}): Container =>
  ({ name, image: BUSYBOX, imagePullPolicy: 'Never', command: SLEEP, ...extra }) as Container;
const PRE_STOP = { preStop: { exec: { command: ['sh', '-c', 'sleep 1'] } } };

interface Scenario {
  point: string;
  /** What the pod must look like. */
  containers: Container[];
  initContainers?: Container[];
  /** Delete the pod once it runs (the point is on the deletion path). */
  deletes?: boolean;
  /** The image comes from the test registry (filled in at run time). */
  pull?: boolean;
  /** The point is inside the API request: the pod may or may not exist afterwards; create it again if not. */
  inRequest?: boolean;
}

const two = [app('a'), app('b')];
const SCENARIOS: Scenario[] = [
  { point: 'sandbox-created', containers: two },
  { point: 'sandbox-started', containers: two },
  // Half created: the first of two app containers is created, not started.
  { point: 'container-created', containers: two },
  // Half started: the first of two app containers runs, the second may be created.
  { point: 'container-started', containers: two },
  // Between init containers: the first ran to completion, the second is created, not started.
  {
    point: 'container-created:2',
    initContainers: [app('init-1', { command: ['true'] }), app('init-2', { command: ['true'] })],
    containers: [app('a')],
  },
  // An init container running: adopted and waited for, not run again.
  {
    point: 'container-started',
    initContainers: [app('init-1', { command: ['sh', '-c', 'sleep 2'] })],
    containers: [app('a')],
  },
  {
    point: 'poststart-running',
    containers: [app('a', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'sleep 2'] } } } })],
  },
  { point: 'image-pulling', containers: [app('a')], pull: true },
  { point: 'before-prestop', containers: [app('a', { lifecycle: PRE_STOP }), app('b')], deletes: true },
  { point: 'after-prestop', containers: [app('a', { lifecycle: PRE_STOP }), app('b')], deletes: true },
  { point: 'containers-stopped', containers: two, deletes: true },
  { point: 'before-remove', containers: two, deletes: true },
  { point: 'pod-persisted', containers: [app('a')], inRequest: true },
  { point: 'persist-half-written', containers: [app('a')], inRequest: true },
  { point: 'persist-before-rename', containers: [app('a')], inRequest: true },
];

const POD = 'crash';

function podBody(s: Scenario, image: string | undefined): unknown {
  const withImage = (c: Container) => (image ? { ...c, image, imagePullPolicy: 'Always' } : c);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: POD },
    spec: {
      terminationGracePeriodSeconds: 5,
      ...(s.initContainers ? { initContainers: s.initContainers } : {}),
      containers: s.containers.map(withImage),
    },
  };
}

const containersOf = (agentId: string): Promise<Dockerode.ContainerInfo[]> =>
  docker.listContainers({ all: true, filters: { label: [`io.minikubelet.agent=${agentId}`] } });
const isSandbox = (c: Dockerode.ContainerInfo) => c.Labels['io.kubernetes.docker.type'] === 'podsandbox';
const nameOf = (c: Dockerode.ContainerInfo) => c.Labels['io.kubernetes.container.name'];
const restartCountOf = (c: Dockerode.ContainerInfo) =>
  Number(c.Labels['annotation.io.kubernetes.container.restartCount']);

const allRunning = (p: Pod | undefined, n: number) =>
  p?.status?.phase === 'Running' &&
  (p.status.containerStatuses ?? []).filter((c) => c.state?.running !== undefined).length === n;

describe('kill -9 at chosen points, then a restart converges', () => {
  let registry: TestRegistry | undefined;
  let pullImage: string | undefined;
  before(async () => {
    registry = await startRegistry();
    pullImage = await registry.push(BUSYBOX, 'durable/app:v1');
  });
  after(async () => {
    await registry?.stop();
  });

  const credentialsFile = (root: string): string => {
    const file = join(root, 'registry-auth.json');
    const r = registry!;
    const auth = Buffer.from(`${r.username}:${r.password}`).toString('base64');
    writeFileSync(file, JSON.stringify({ auths: { [r.host]: { auth } } }), { mode: 0o600 });
    return file;
  };

  for (const s of SCENARIOS) {
    const label = `${s.point}${s.initContainers ? ' (init containers)' : ''}${s.deletes ? ' (deleting)' : ''}`;
    test(label, async () => {
      const root = mkdtempSync(join(tmpdir(), 'mkl-kill9-'));
      const args = s.pull ? ['--image-credentials', credentialsFile(root)] : [];
      let agent: ServeProcess | undefined;
      let agentId = '';
      try {
        // 1. Run until the point kills the agent.
        agent = await startServe(root, { crashAt: s.point, args });
        agentId = agent.agentId;
        const body = podBody(s, s.pull ? pullImage : undefined);
        const created = agent.client.createPod('default', body).catch(() => undefined);
        let before: Dockerode.ContainerInfo[] = [];
        if (s.deletes) {
          await created;
          const client = agent.client;
          await waitFor('pod Running before the delete', async () =>
            allRunning(await client.getPod('default', POD), s.containers.length),
          );
          before = await containersOf(agentId);
          await client.deletePod('default', POD).catch(() => undefined);
        }
        const end = await Promise.race([
          agent.exited,
          new Promise<undefined>((r) => setTimeout(r, 60_000, undefined).unref()),
        ]);
        assert.ok(end, `the agent did not reach ${s.point}: ${agent.output()}`);
        assert.equal(end.signal, 'SIGKILL', `the agent must die at ${s.point}: ${agent.output()}`);
        await agent.client.close();
        const atKill = await containersOf(agentId);
        if (!s.deletes) before = atKill;

        // 2. Restart on the same root dir, without the hook.
        agent = await startServe(root, { args });
        const client = agent.client;
        if (s.inRequest) {
          // The write either completed (the pod is there) or never happened (create it again).
          assert.ok(storedRecordsReadable(root), 'stored pods are readable, no half file left');
          const exists = await client.getPod('default', POD).then(
            () => true,
            () => false,
          );
          if (!exists) await client.createPod('default', body);
        }

        if (s.deletes) {
          // The deletion in progress was persisted: it is finished, nothing is left.
          await client.waitForPodGone('default', POD, 60_000);
          await waitFor('no containers left', async () => (await containersOf(agentId)).length === 0);
          assert.ok(before.length > 0);
          return;
        }

        const pod = await waitFor(
          'pod Running after the restart',
          async () => {
            const p = await client.getPod('default', POD);
            return allRunning(p, s.containers.length) ? p : undefined;
          },
          90_000,
        );
        const now = await containersOf(agentId);
        const running = now.filter((c) => c.State === 'running');
        // One running sandbox, one running instance per app container.
        assert.equal(running.filter(isSandbox).length, 1, 'one running sandbox');
        for (const c of s.containers) {
          assert.equal(running.filter((x) => nameOf(x) === c.name).length, 1, `one running ${c.name}`);
        }
        assert.equal(running.length, 1 + s.containers.length, 'nothing else runs');
        // What ran at the kill was adopted, not replaced — except, with the cni driver, a
        // sandbox killed between its start and its CNI ADD: it runs without an IP, and the
        // kubelet replaces such a sandbox (podSandboxChanged: "Sandbox for pod has no IP address").
        for (const old of before.filter((c) => c.State === 'running')) {
          if (s.point === 'sandbox-started' && isSandbox(old) && old.HostConfig.NetworkMode === 'none') {
            assert.ok(!running.some((c) => c.Id === old.Id), 'the sandbox without an IP was replaced');
            continue;
          }
          const same = now.find((c) => c.Id === old.Id);
          assert.ok(same, `${nameOf(old)} (running at the kill) still exists`);
          if (isSandbox(old) || old.Labels['annotation.io.kubernetes.container.type'] !== 'init') {
            assert.equal(same.State, 'running', `${nameOf(old)} still runs with the same ID`);
          }
          if (!isSandbox(old)) {
            const st = pod.status?.containerStatuses?.find((x) => x.name === nameOf(old));
            if (st) assert.equal(st.restartCount, restartCountOf(old), `${nameOf(old)} restartCount unchanged`);
          }
        }
        // Init containers that ran (or were running) before the kill are not run again.
        for (const init of s.initContainers ?? []) {
          const done = before.filter((c) => nameOf(c) === init.name && c.State !== 'created');
          if (done.length === 0) continue;
          const instances = now.filter((c) => nameOf(c) === init.name);
          assert.deepEqual(
            instances.map((c) => c.Id),
            done.map((c) => c.Id),
            `${init.name} ran before the kill and is not run again`,
          );
        }
        const status = pod.status?.initContainerStatuses ?? [];
        assert.ok(status.every((c) => c.state?.terminated?.exitCode === 0));
      } finally {
        await agent?.stop();
        if (agentId) await removeAgentContainers(agentId);
        await removeAgentRoot(root);
      }
    });
  }
});

/** No temporary file was left in the pods dir once the agent read it (a half write is discarded). */
function storedRecordsReadable(root: string): boolean {
  // pods/<uid>/ directories hold the pod's volumes (the kubelet's layout; every API pod has
  // its service-account volume there): only the files are stored records.
  const files = readdirSync(join(root, 'pods'), { withFileTypes: true }).filter((e) => !e.isDirectory());
  return files.every((e) => /^[0-9a-f]{64}\.json$/.test(e.name));
}

describe('kill -9 during a static-pod replacement', () => {
  const manifest = (marker: string) =>
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: edited',
      'spec:',
      '  terminationGracePeriodSeconds: 1',
      '  containers:',
      '  - name: app',
      `    image: ${BUSYBOX}`,
      '    imagePullPolicy: Never',
      `    command: ["sh", "-c", "trap 'exit 0' TERM; echo ${marker}; while true; do sleep 1; done"]`,
      '',
    ].join('\n');
  const STATIC = 'edited-test-node';

  test('the old pod is gone, the new one not yet added: after the restart only the edited pod runs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mkl-kill9-'));
    const dir = mkdtempSync(join(tmpdir(), 'mkl-kill9-manifests-'));
    const file = join(dir, 'edited.yaml');
    writeFileSync(file, manifest('v1'));
    let agent: ServeProcess | undefined;
    let agentId = '';
    try {
      agent = await startServe(root, { crashAt: 'static-pod-replacement', manifests: dir });
      agentId = agent.agentId;
      const first = agent.client;
      const v1 = await waitFor('the static pod running', async () => {
        const p = await first.getPod('default', STATIC).catch(() => undefined);
        return allRunning(p, 1) ? p : undefined;
      });
      // Editing the manifest replaces the pod: the old one terminates, then the hook fires.
      writeFileSync(file, manifest('v2'));
      const end = await Promise.race([
        agent.exited,
        new Promise<undefined>((r) => setTimeout(r, 60_000, undefined).unref()),
      ]);
      assert.equal(end?.signal, 'SIGKILL', `the agent must die during the replacement: ${agent.output()}`);
      await agent.client.close();

      agent = await startServe(root, { manifests: dir });
      const client = agent.client;
      const v2 = await waitFor('the edited pod running', async () => {
        const p = await client.getPod('default', STATIC).catch(() => undefined);
        return allRunning(p, 1) && p?.metadata.uid !== v1.metadata.uid ? p : undefined;
      });
      assert.match(JSON.stringify(v2.spec.containers[0]!.command), /v2/);
      const running = (await containersOf(agentId)).filter((c) => c.State === 'running');
      assert.equal(running.length, 2, 'one sandbox and one container: nothing of the old pod runs');
      assert.ok(running.every((c) => c.Labels['io.kubernetes.pod.uid'] === v2.metadata.uid));
    } finally {
      await agent?.stop();
      if (agentId) await removeAgentContainers(agentId);
      await removeAgentRoot(root);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
