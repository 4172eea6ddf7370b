// `minikubelet serve` as a user stops it: SIGTERM leaves the pods running (like a
// kubelet) and a restarted agent adopts the same containers; --drain-on-exit deletes
// every pod gracefully first (preStop and the TERM trap both ran); a second signal
// during a slow drain exits at once with 130.
import { after, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, docker, removeAgentContainers, waitFor, removeAgentRoot } from '../harness/agent.js';
import { ApiClient } from '../../src/client/api-client.js';
import { resolveKubeconfig } from '../../src/client/kubeconfig.js';
import type { Container } from '../../src/apis/core/types.js';

const BIN = new URL('../../cmd/minikubelet.js', import.meta.url).pathname;

interface Served {
  child: ChildProcess;
  log: () => string;
  exit: Promise<number | null>;
  client: ApiClient;
}

async function serve(root: string, extra: string[] = []): Promise<Served> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--root-dir', root, '--listen', '127.0.0.1:0', '--node-name', 'e2e-shutdown', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout!.on('data', (d: Buffer) => {
    text += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    text += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(`serve started (log: ${text.slice(-500)})`, () => text.includes('minikubelet is running'), 60_000);
  const client = ApiClient.fromKubeconfig(resolveKubeconfig({ kubeconfig: join(root, 'kubeconfig') }));
  return { child, log: () => text, exit, client };
}

const app = (command: string, over: Partial<Container> = {}): Container => ({
  name: 'app',
  image: BUSYBOX,
  command: ['sh', '-c', command],
  ...over,
});

async function runPod(s: Served, name: string, spec: Record<string, unknown>): Promise<string> {
  await s.client.createPod('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
  const p = await waitFor(
    `${name} Running`,
    async () => {
      const x = await s.client.getPod('default', name);
      return x.status?.containerStatuses?.every((c) => c.ready) && x.status.phase === 'Running' ? x : undefined;
    },
    60_000,
  );
  return p.metadata.uid!;
}

const podContainers = (uid: string) =>
  docker.listContainers({ all: true, filters: { label: [`io.kubernetes.pod.uid=${uid}`] } });

describe('serve: shutdown on signals', () => {
  const roots: string[] = [];
  const newRoot = () => {
    const r = mkdtempSync(join(tmpdir(), 'mkl-e2e-stop-'));
    roots.push(r);
    return r;
  };
  after(async () => {
    for (const r of roots) {
      if (existsSync(join(r, 'agent-id')))
        await removeAgentContainers(readFileSync(join(r, 'agent-id'), 'utf8').trim());
      await removeAgentRoot(r);
    }
  });

  test('SIGTERM: exit 0, the pod keeps running, and a restarted serve adopts the same containers', async () => {
    const root = newRoot();
    const first = await serve(root);
    const uid = await runPod(first, 'keeper', {
      containers: [app('trap "exit 0" TERM; while true; do sleep 1; done')],
    });
    const before = (await podContainers(uid)).map((c) => `${c.Id}:${c.State}`).sort();
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0, first.log().slice(-1000));
    assert.match(first.log(), /stopping the agent; pods keep running/);
    assert.match(first.log(), /agent stopped/);
    await first.client.close();
    const afterStop = (await podContainers(uid)).map((c) => `${c.Id}:${c.State}`).sort();
    assert.deepEqual(afterStop, before, 'nothing stopped, removed or created');
    assert.ok(afterStop.every((c) => c.endsWith(':running')));

    const second = await serve(root);
    const p = await waitFor('adopted pod Running', async () => {
      const x = await second.client.getPod('default', 'keeper');
      return x.status?.phase === 'Running' && x.status.containerStatuses?.[0]?.ready ? x : undefined;
    });
    assert.equal(p.metadata.uid, uid);
    assert.equal(p.status!.containerStatuses![0]!.restartCount, 0);
    assert.deepEqual(
      (await podContainers(uid)).map((c) => `${c.Id}:${c.State}`).sort(),
      before,
      'the same container IDs',
    );
    second.child.kill('SIGINT');
    assert.equal(await second.exit, 0);
    await second.client.close();
  });

  test('--drain-on-exit: SIGTERM deletes every pod gracefully (preStop, then TERM), then exits 0', async () => {
    const root = newRoot();
    const out = mkdtempSync(join(tmpdir(), 'mkl-e2e-drain-out-'));
    roots.push(out);
    chmodSync(out, 0o777);
    const s = await serve(root, ['--drain-on-exit']);
    const uid = await runPod(s, 'drained', {
      terminationGracePeriodSeconds: 20,
      volumes: [{ name: 'out', hostPath: { path: out, type: 'Directory' } }],
      containers: [
        app('trap "echo term > /out/term; exit 0" TERM; while true; do sleep 1; done', {
          volumeMounts: [{ name: 'out', mountPath: '/out' }],
          lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop > /out/prestop'] } } },
        }),
      ],
    });
    s.child.kill('SIGTERM');
    assert.equal(await s.exit, 0, s.log().slice(-1000));
    assert.match(s.log(), /deleting every pod gracefully/);
    assert.equal(readFileSync(join(out, 'prestop'), 'utf8'), 'prestop\n', 'preStop ran');
    assert.equal(readFileSync(join(out, 'term'), 'utf8'), 'term\n', 'the container got TERM and exited on it');
    assert.deepEqual(await podContainers(uid), [], 'the pod is gone from the engine');
    await s.client.close();
  });

  test('a second SIGINT during a slow drain exits at once with 130', async () => {
    const root = newRoot();
    const s = await serve(root, ['--drain-on-exit']);
    const uid = await runPod(s, 'stubborn', {
      terminationGracePeriodSeconds: 120,
      containers: [app("trap '' TERM; while true; do sleep 1; done")],
    });
    s.child.kill('SIGINT');
    await waitFor('drain under way', () => /deleting every pod gracefully/.test(s.log()), 30_000);
    s.child.kill('SIGINT');
    assert.equal(await s.exit, 130, s.log().slice(-1000));
    assert.match(s.log(), /second signal during shutdown: exiting at once/);
    assert.ok((await podContainers(uid)).length > 0, 'the drain was cut short (the test cleans up by label)');
    await s.client.close();
  });
});
