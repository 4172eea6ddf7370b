// Issue #16 §3: what a pod shares, proven on the real engine. The app containers join the
// pause container's network and IPC namespaces; Docker gives each its own UTS namespace
// (with a copy of the hostname), PID namespace (unless shareProcessNamespace) and mount
// namespace. Read from the host's /proc, and by exec where /proc is not available; the
// CLI prints both forms (inspect-ns, describe pod's Sandbox section).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, type TestAgent, waitFor } from '../../harness/agent.js';
import type { Pod } from '../../../src/apis/core/types.js';
import { createDockerClient } from '../../../src/runtime/docker-client.js';
import { inspectPodNamespaces, relation } from '../../../src/runtime/pod-namespaces.js';

const BIN = new URL('../../../cmd/minikubelet.js', import.meta.url).pathname;
const LOOP = 'trap "exit 0" TERM; while true; do sleep 1; done';

function pod(name: string, shareProcessNamespace: boolean): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      shareProcessNamespace,
      terminationGracePeriodSeconds: 2,
      containers: [
        { name: 'web', image: BUSYBOX, command: ['httpd', '-f', '-p', '8080'] },
        { name: 'sidecar', image: BUSYBOX, command: ['sh', '-c', LOOP] },
      ],
    },
  };
}

describe('pod namespaces (inspect-ns)', () => {
  let agent: TestAgent;
  const docker = createDockerClient();
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const running = (name: string) =>
    waitFor(
      `${name} running`,
      async () => {
        const p = await agent.client.getPod('default', name);
        return p.status?.containerStatuses?.every((c) => c.state.running) && p.status.podIP ? p : undefined;
      },
      60_000,
    );

  test("net and ipc are the pause container's; uts, pid and mnt are each container's own", async () => {
    await agent.client.createPod('default', pod('ns-plain', false));
    const p = await running('ns-plain');
    const r = (await inspectPodNamespaces({ docker }, p.metadata!.uid!))!;
    assert.ok(r, 'a running sandbox');
    assert.deepEqual(
      r.containers.map((c) => c.name),
      ['sidecar', 'web'],
    );
    for (const c of r.containers) {
      assert.equal(c.source, 'host /proc');
      assert.equal(relation('net', c, r.sandbox, r.host), 'shared', `${c.name} net`);
      assert.equal(relation('ipc', c, r.sandbox, r.host), 'shared', `${c.name} ipc`);
      for (const k of ['uts', 'pid', 'mnt'] as const)
        assert.equal(relation(k, c, r.sandbox, r.host), 'own', `${c.name} ${k}`);
      // One IP and one set of sockets: the web container's listener is seen from the sidecar too.
      assert.deepEqual(c.addresses, [p.status!.podIP]);
      assert.ok(
        c.listening.some((l) => l.port === 8080),
        `${c.name} sees :8080`,
      );
      assert.equal(c.hostname, 'ns-plain');
    }
    assert.deepEqual(r.sandbox.addresses, [p.status!.podIP]);
    assert.ok(r.sandbox.routes.some((x) => x.destination === 'default'));
  });

  test("shareProcessNamespace: the containers join the pause container's PID namespace", async () => {
    await agent.client.createPod('default', pod('ns-shared-pid', true));
    const p = await running('ns-shared-pid');
    const r = (await inspectPodNamespaces({ docker }, p.metadata!.uid!))!;
    for (const c of r.containers) assert.equal(relation('pid', c, r.sandbox, r.host), 'shared', c.name);
  });

  test('by exec where the host /proc does not show the containers: the same identities', async () => {
    const p = await running('ns-plain');
    const fromProc = (await inspectPodNamespaces({ docker }, p.metadata!.uid!))!;
    const empty = mkdtempSync(join(tmpdir(), 'mkl-noproc-'));
    const byExec = (await inspectPodNamespaces({ docker, procRoot: empty }, p.metadata!.uid!))!;
    assert.equal(byExec.sandbox.source, 'unavailable', 'pause has no shell to exec');
    for (const c of byExec.containers) {
      assert.equal(c.source, 'exec');
      const same = fromProc.containers.find((x) => x.name === c.name)!;
      assert.deepEqual(c.namespaces, same.namespaces, c.name);
      assert.equal(c.hostname, 'ns-plain');
      assert.deepEqual(c.addresses, same.addresses);
    }
  });

  test("the CLI: inspect-ns (text and -o json) and describe pod's Sandbox section", async () => {
    await running('ns-plain');
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const [verb, ...rest] = args;
        const child = spawn(process.execPath, [BIN, verb!, '--kubeconfig', agent.kubelet.kubeconfigPath!, ...rest]);
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stdout, stderr }));
      });
    const text = await cli(['inspect-ns', 'ns-plain']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^net +(\d+) +\1 shared +\1 shared$/m);
    assert.match(text.stdout, /^uts +(\d+) +(\d+) own +(\d+) own$/m);
    const json = await cli(['inspect-ns', 'ns-plain', '-o', 'json']);
    const doc = JSON.parse(json.stdout) as { containers: { name: string; sharing: Record<string, string> }[] };
    assert.deepEqual(
      doc.containers.map((c) => [c.name, c.sharing.net, c.sharing.ipc, c.sharing.uts]),
      [
        ['sidecar', 'shared', 'shared', 'own'],
        ['web', 'shared', 'shared', 'own'],
      ],
    );
    const desc = await cli(['describe', 'pod', 'ns-plain']);
    assert.equal(desc.code, 0, desc.stderr);
    assert.match(
      desc.stdout,
      /^Sandbox:\n {2}Pause Container: +docker:\/\/[0-9a-f]{64}\n {2}Image: +minikubelet\.local\/pause:/m,
    );
    assert.match(desc.stdout, /^ {4}web: +net, ipc$/m);
    const pn = agent.kubelet.podNetwork;
    assert.match(desc.stdout, new RegExp(`^ {2}Network: +${pn.name}${pn.driver === 'cni' ? ' \\(CNI\\)' : ''}$`, 'm'));
    const missing = await cli(['inspect-ns', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pods "nope" not found/);
  });
});
