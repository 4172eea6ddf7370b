// The agent's Node and Namespaces through the real kubectl: get/describe/label node (the
// label survives an agent restart), create/delete namespace (its pod deleted gracefully,
// then the namespace gone), `get all`, and NamespaceLifecycle's NotFound.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor, NO_KUBECTL } from '../harness/kubectl.js';
import { after, before, describe, test } from '../harness/node-test.js';

describe('kubectl: the Node and Namespaces', () => {
  const rootDir = join(mkdtempSync(join(tmpdir(), 'mkl-node-')), 'root');
  let agent: TestAgent;
  let kubectl: Kubectl | undefined;

  before(async () => {
    agent = await startTestAgent({ rootDir });
    kubectl = kubectlFor(agent);
  });
  after(async () => {
    await agent?.cleanup();
    rmSync(join(rootDir, '..'), { recursive: true, force: true });
  });

  const ok = async (args: string[]) => {
    const r = await kubectl!(args);
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };

  test('get nodes: one Ready row; -o wide adds the InternalIP and docker:// runtime', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const plain = await ok(['get', 'nodes']);
    assert.match(plain, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    assert.match(plain, /\ntest-node\s+Ready\s+<none>\s+\S+\s+v1\.32\.\S+\n$/);
    const wide = await ok(['get', 'nodes', '-o', 'wide']);
    assert.match(wide, /INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME/);
    assert.match(wide, /test-node\s+Ready\s.*\s\d+\.\d+\.\d+\.\d+\s+<none>\s.*docker:\/\/\S+\n$/);
  });

  test('describe node: capacity, allocatable, conditions, system info and its running pod', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    await ok(['run', 'described', `--image=${BUSYBOX}`, '--', 'sleep', '3600']);
    await ok(['wait', '--for=condition=Ready', 'pod/described', '--timeout=60s']);
    const out = await ok(['describe', 'node', 'test-node']);
    assert.match(out, /Capacity:\n\s+cpu:\s+\d+\n[\s\S]*memory:\s+\d+Ki\n\s+pods:\s+110\n/);
    assert.match(out, /Allocatable:\n\s+cpu:/);
    assert.match(out, /Ready\s+True\s.*KubeletReady\s+kubelet is posting ready status/);
    assert.match(out, /MemoryPressure\s+False\s.*KubeletHasSufficientMemory/);
    assert.match(out, /System Info:[\s\S]*Container Runtime Version:\s+docker:\/\/\S+/);
    assert.match(out, /Non-terminated Pods:\s+\(1 in total\)[\s\S]*default\s+described\s/);
    assert.match(out, /Allocated resources:/);
    await ok(['delete', 'pod', 'described', '--grace-period=0']);
  });

  test('get all lists pods and nothing fails', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    await ok(['run', 'listed', `--image=${BUSYBOX}`, '--', 'sleep', '3600']);
    const r = await kubectl(['get', 'all']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    // One kind served in "all": kubectl prints its rows without the `pod/` prefix.
    assert.match(r.stdout, /^NAME\s+READY\s+STATUS[^\n]*\nlisted\s/);
    await ok(['delete', 'pod', 'listed', '--grace-period=0']);
  });

  test('a pod in a missing namespace: NotFound naming the namespace', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    const r = await kubectl(['run', 'x', '-n', 'nope', `--image=${BUSYBOX}`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Error from server \(NotFound\): namespaces "nope" not found/);
  });

  test('create namespace, a pod in it, delete namespace: the pod goes gracefully, then the namespace', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    assert.equal((await ok(['create', 'namespace', 'awesomeapps'])).trim(), 'namespace/awesomeapps created');
    assert.match(await ok(['get', 'ns', 'awesomeapps', '-o', 'yaml']), /phase: Active/);
    // A shell that exits on SIGTERM: the graceful path ends at once.
    await ok([
      'run',
      'inside',
      '-n',
      'awesomeapps',
      `--image=${BUSYBOX}`,
      '--',
      'sh',
      '-c',
      'trap "exit 0" TERM; sleep 3600 & wait',
    ]);
    await ok(['wait', '-n', 'awesomeapps', '--for=condition=Ready', 'pod/inside', '--timeout=60s']);
    const deleted = await ok(['delete', 'namespace', 'awesomeapps', '--timeout=60s']);
    assert.match(deleted, /namespace "awesomeapps" deleted/);
    const gone = await kubectl(['get', 'ns', 'awesomeapps']);
    assert.match(gone.stderr, /namespaces "awesomeapps" not found/);
    assert.equal((await agent.client.listPods('awesomeapps')).length, 0);
    const left = await agent.containers('io.kubernetes.pod.namespace=awesomeapps');
    assert.equal(left.length, 0);
  });

  test('label node: selectable by the label, and the label survives an agent restart', async (t) => {
    if (!kubectl) return t.skip(NO_KUBECTL);
    assert.equal((await ok(['label', 'node', 'test-node', 'disktype=ssd'])).trim(), 'node/test-node labeled');
    assert.match(await ok(['get', 'nodes', '-l', 'disktype=ssd']), /\ntest-node\s+Ready/);
    await agent.kubelet.stop();
    agent = await startTestAgent({ rootDir });
    kubectl = kubectlFor(agent)!;
    assert.match(await ok(['get', 'nodes', '-l', 'disktype=ssd']), /\ntest-node\s+Ready/);
  });
});
