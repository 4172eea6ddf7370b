// `kubectl debug` with the real kubectl 1.32 (issue #15 §2): an ephemeral container
// attached to a real terminal (tmux) in the target's PID namespace, its status running
// then terminated, `describe` showing it, its removal refused; `--copy-to` (a pod
// create) and `debug node/<node>` (a pod in the host namespaces with / at /host).
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor } from '../harness/kubectl.js';
import { Terminal } from '../harness/terminal.js';
import { which } from '../harness/which.js';

const NS = 'default';
const KUBECTL = which('kubectl');

describe('kubectl debug: ephemeral containers, --copy-to, node/', { skip: !KUBECTL && 'no kubectl' }, () => {
  let agent: TestAgent;
  let kube: Kubectl;
  const terminals: Terminal[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mkl-debug-'));
  /** The kubectl command line for a terminal (its own cache dir, the agent's kubeconfig). */
  const line = (args: string) =>
    `${KUBECTL} --kubeconfig ${agent.kubelet.kubeconfigPath} --cache-dir ${join(dir, 'cache')} ${args}`;
  const ephemeral = async (pod: string, name: string) =>
    (await agent.client.getPod(NS, pod)).status?.ephemeralContainerStatuses?.find((s) => s.name === name);

  before(async () => {
    agent = await startTestAgent();
    kube = kubectlFor(agent)!;
    await agent.client.createPod(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image: BUSYBOX, command: ['sleep', '3600'] }],
      },
    });
    await waitFor('web Running', async () => (await agent.client.getPod(NS, 'web')).status?.phase === 'Running');
  });

  after(async () => {
    for (const t of terminals) t.kill();
    await agent?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test("debug -it --target: a shell in the target's PID namespace; running, then terminated", async () => {
    const t = Terminal.start(line(`debug -it web --image=${BUSYBOX} --target=app -c dbg`));
    terminals.push(t);
    await t.waitForScreen(/If you don't see a command prompt, try pressing enter/, 60_000);
    assert.match(t.screen(), /Targeting container "app"/);
    const running = await ephemeral('web', 'dbg');
    assert.ok(running?.state.running, JSON.stringify(running));
    t.type('\r');
    t.type('ps -o pid,args | grep -c "[s]leep 3600"\r');
    // The target's sleep is visible from the debug shell: one PID namespace.
    await t.waitForScreen(/^1\s*$/m);
    t.type('exit\r');
    assert.equal(await t.exitCode(), 0, t.screen());
    assert.match(t.screen(), /Session ended, the ephemeral container will not be restarted/);
    const done = await waitFor('dbg terminated', async () => (await ephemeral('web', 'dbg'))?.state.terminated);
    assert.equal(done.exitCode, 0);

    const described = await kube(['describe', 'pod', 'web']);
    assert.equal(described.status, 0, described.stderr);
    assert.match(described.stdout, /Ephemeral Containers:\n\s+dbg:/);
    assert.match(described.stdout, /State:\s+Terminated/);
    // READY counts the app containers only.
    const got = await kube(['get', 'pod', 'web', '--no-headers']);
    assert.match(got.stdout, /^web\s+1\/1\s+Running\s+0/);
  });

  test('an ephemeral container cannot be removed (a PATCH of the subresource deleting it)', async () => {
    // kubectl has no verb that removes one; send the strategic-merge delete directive it would need.
    await assert.rejects(
      agent.client.patchObject(
        NS,
        'pods/web',
        'ephemeralcontainers',
        { spec: { ephemeralContainers: [{ name: 'dbg', $patch: 'delete' }] } },
        { contentType: 'application/strategic-merge-patch+json', fieldManager: 'kubectl-debug' },
      ),
      /spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed/,
    );
    assert.deepEqual(
      (await agent.client.getPod(NS, 'web')).spec.ephemeralContainers?.map((c) => c.name),
      ['dbg'],
    );
    // kubectl describe still lists it.
    const described = await kube(['describe', 'pod', 'web']);
    assert.match(described.stdout, /Ephemeral Containers:/);
  });

  test('debug --attach=false, then kubectl attach -it to the running ephemeral container', async () => {
    const r = await kube(['debug', 'web', '-it', '--attach=false', `--image=${BUSYBOX}`, '-c', 'later', '--', 'sh']);
    assert.equal(r.status, 0, r.stderr);
    await waitFor('later running', async () => (await ephemeral('web', 'later'))?.state.running);
    const t = Terminal.start(line('attach -it web -c later'));
    terminals.push(t);
    await t.waitForScreen(/If you don't see a command prompt, try pressing enter/, 60_000);
    t.type('\r');
    t.type('echo attached-$((6*7))\r');
    await t.waitForScreen(/^attached-42\s*$/m);
    t.type('exit\r');
    assert.equal(await t.exitCode(), 0, t.screen());
    const done = await waitFor('later terminated', async () => (await ephemeral('web', 'later'))?.state.terminated);
    assert.equal(done.exitCode, 0);
    // Never restarted: still one engine container for it.
    assert.equal((await agent.containers('io.kubernetes.container.name=later')).length, 1);
  });

  test('debug --copy-to: a copy of the pod with a debug container is created and runs', async () => {
    const r = await kube([
      'debug',
      'web',
      '--copy-to=web-copy',
      `--image=${BUSYBOX}`,
      '-c',
      'extra',
      '--',
      'sleep',
      '3600',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const copy = await waitFor('web-copy Running', async () => {
      const p = await agent.client.getPod(NS, 'web-copy');
      return p.status?.phase === 'Running' ? p : undefined;
    });
    assert.deepEqual(
      copy.spec.containers.map((c) => c.name),
      ['app', 'extra'],
    );
    // The legacy profile drops the labels and never copies ephemeral containers.
    assert.equal(copy.metadata.labels, undefined);
    assert.equal(copy.spec.ephemeralContainers, undefined);
  });

  test('debug --copy-to of a richer pod: the protobuf copy keeps the whole spec', async () => {
    await agent.client.createPod(NS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'rich', annotations: { note: 'kept' } },
      spec: {
        terminationGracePeriodSeconds: 0,
        activeDeadlineSeconds: 3600,
        hostname: 'rich-host',
        nodeSelector: { 'kubernetes.io/os': 'linux', empty: '' },
        tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute', tolerationSeconds: 30 }],
        securityContext: {
          runAsUser: 1000,
          fsGroup: 2000,
          sysctls: [{ name: 'net.ipv4.ping_group_range', value: '0 2147483647' }],
        },
        dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
        volumes: [
          { name: 'scratch', emptyDir: { sizeLimit: '64Mi' } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        ],
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', 'mkdir -p /www && exec httpd -f -p 8080 -h /www'],
            ports: [{ name: 'http', containerPort: 8080 }],
            env: [
              { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            ],
            resources: { limits: { cpu: '250m', memory: '64Mi' } },
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2 },
            livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 1 },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            volumeMounts: [
              { name: 'scratch', mountPath: '/scratch' },
              { name: 'info', mountPath: '/info', readOnly: true },
            ],
          },
        ],
      },
    });
    const r = await kube([
      'debug',
      'rich',
      '--copy-to=rich-copy',
      `--image=${BUSYBOX}`,
      '-c',
      'extra',
      '--',
      'sleep',
      '3600',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const original = await agent.client.getPod(NS, 'rich');
    const copy = await agent.client.getPod(NS, 'rich-copy');
    assert.equal(copy.metadata.annotations?.note, 'kept');
    const { nodeName: _n, containers, ...spec } = original.spec;
    const { nodeName: _m, containers: copied, ...copySpec } = copy.spec;
    assert.deepEqual(copySpec, spec);
    assert.deepEqual(copied[0], containers[0]);
    assert.equal(copied[1]?.name, 'extra');
  });

  test('debug node/: a pod in the host namespaces with the host root at /host', async () => {
    const t = Terminal.start(line(`debug node/test-node -it --image=${BUSYBOX}`));
    terminals.push(t);
    const m = await t.waitForScreen(
      /Creating debugging pod (node-debugger-test-node-\w+) with container debugger/,
      60_000,
    );
    const name = m[1]!;
    await t.waitForScreen(/If you don't see a command prompt, try pressing enter/, 60_000);
    t.type('\r');
    t.type('test -d /host/proc && test -d /host/etc && echo host-root-$((6*7))\r');
    await t.waitForScreen(/^host-root-42\s*$/m);
    // hostPID: the shell is not PID 1 of a namespace of its own, it is one of the host's processes.
    t.type('echo shell-pid-$$\r');
    const pid = await t.waitForScreen(/^shell-pid-(\d+)\s*$/m);
    assert.notEqual(pid[1], '1', t.screen());
    t.type('exit\r');
    assert.equal(await t.exitCode(), 0, t.screen());
    const pod = await agent.client.getPod(NS, name);
    assert.equal(pod.spec.nodeName, 'test-node');
    assert.equal(pod.spec.hostPID, true);
    assert.equal(pod.spec.hostNetwork, true);
    assert.equal(pod.spec.hostIPC, true);
    await waitFor(
      'node debugger Succeeded',
      async () => (await agent.client.getPod(NS, name)).status?.phase === 'Succeeded',
    );
  });
});
