// The CLI as a user runs it: `serve` in one process, client verbs in others, found
// through the kubeconfig the agent writes; and real kubectl against the same API.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAgentContainers, waitFor, docker, BUSYBOX, removeAgentRoot } from '../harness/agent.js';
import { which } from '../harness/which.js';

const BIN = new URL('../../cmd/minikubelet.js', import.meta.url).pathname;

describe('minikubelet CLI against a served agent', () => {
  const root = mkdtempSync(join(tmpdir(), 'mkl-e2e-'));
  const kubeconfig = join(root, 'kubeconfig');
  let agent: ChildProcess;
  let agentLog = '';

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args, '--kubeconfig', kubeconfig], { encoding: 'utf8', timeout: 60_000 });

  before(async () => {
    agent = spawn(
      process.execPath,
      [
        BIN,
        'serve',
        '--root-dir',
        root,
        '--listen',
        '127.0.0.1:0',
        '--node-name',
        'e2e-node',
        '--crash-loop-backoff-base',
        '1s',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.stderr!.on('data', (d: Buffer) => {
      agentLog += d.toString();
    });
    agent.stdout!.on('data', (d: Buffer) => {
      agentLog += d.toString();
    });
    await waitFor(
      `agent kubeconfig (log: ${agentLog.slice(-500)})`,
      () => existsSync(kubeconfig) && agentLog.includes('minikubelet is running'),
      60_000,
    );
  });

  after(async () => {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
    const id = readFileSync(join(root, 'agent-id'), 'utf8').trim();
    await removeAgentContainers(id);
    await removeAgentRoot(root);
  });

  test('apply, get, describe, logs, delete', async () => {
    const file = join(root, 'pod.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Pod
metadata:
  name: cli-pod
spec:
  containers:
  - name: app
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo hello from cli-pod; trap 'exit 0' TERM; while true; do sleep 1; done"]
`,
    );
    const applied = cli('apply', '-f', file);
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(applied.stdout.trim(), 'pod/cli-pod created');

    await waitFor('get shows Running 1/1', () => {
      const r = cli('get', 'pods');
      return /^cli-pod\s+1\/1\s+Running\s+0\s+\d+s$/m.test(r.stdout) ? r : undefined;
    });
    const header = cli('get', 'pods').stdout.split('\n')[0]!;
    assert.match(header, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const wide = cli('get', 'pods', '-o', 'wide').stdout;
    assert.match(wide.split('\n')[0]!, /IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES/);
    assert.match(wide, /e2e-node/);

    const json = JSON.parse(cli('get', 'pod', 'cli-pod', '-o', 'json').stdout) as { status: { phase: string } };
    assert.equal(json.status.phase, 'Running');

    const described = cli('describe', 'pod', 'cli-pod');
    assert.equal(described.status, 0, described.stderr);
    assert.match(described.stdout, /Name:\s+cli-pod/);
    assert.match(described.stdout, /Started\s+.*Started container app/);

    const logs = cli('logs', 'cli-pod');
    assert.equal(logs.stdout, 'hello from cli-pod\n');

    const deleted = cli('delete', 'pod', 'cli-pod');
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(deleted.stdout.trim(), 'pod "cli-pod" deleted');
    const gone = cli('get', 'pod', 'cli-pod');
    assert.notEqual(gone.status, 0);
    assert.match(gone.stderr, /Error from server \(NotFound\): pods "cli-pod" not found/);
    const left = await docker.listContainers({
      all: true,
      filters: {
        label: [
          'io.kubernetes.pod.name=cli-pod',
          `io.minikubelet.agent=${readFileSync(join(root, 'agent-id'), 'utf8').trim()}`,
        ],
      },
    });
    assert.equal(left.length, 0);
  });

  test('a bad manifest is refused with field paths by apply', () => {
    const file = join(root, 'bad.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bad\nspec:\n  containers:\n  - name: app\n');
    const r = cli('apply', '-f', file);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /spec\.containers\[0\]\.image: Required value/);
  });

  test("real kubectl lists pods through the agent's kubeconfig", (t) => {
    const kubectl = which('kubectl');
    if (!kubectl) {
      // Only when kubectl is truly absent (.ci/run installs it); the reason shows in the TAP output.
      t.skip('kubectl not found on PATH: install kubectl (Debian: kubernetes-client) to run this test');
      return;
    }
    const file = join(root, 'kubectl-pod.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Pod
metadata:
  name: kubectl-pod
spec:
  containers:
  - name: app
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
`,
    );
    const applied = cli('apply', '-f', file);
    assert.equal(applied.status, 0, applied.stderr);

    const cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
    try {
      const r = spawnSync(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', cache, 'get', 'pods', '-A'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, r.stderr);
      const [header, ...rows] = r.stdout.trimEnd().split('\n');
      assert.match(header!, /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/, r.stdout);
      assert.ok(
        rows.some((row) => /^default\s+kubectl-pod\s+[01]\/1\s+\S+\s+0\s+\S+$/.test(row)),
        `no kubectl-pod row in:\n${r.stdout}`,
      );
    } finally {
      rmSync(cache, { recursive: true, force: true });
      cli('delete', 'pod', 'kubectl-pod');
    }
  });
});
