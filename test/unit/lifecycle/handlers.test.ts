import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runHook, type HookDeps } from '../../../src/lifecycle/handlers.js';
import type { ContainerRuntime, ExecResult } from '../../../src/runtime/runtime.js';
import { pod } from '../../fixtures/pods.js';

function fakeRuntime(result: ExecResult | (() => Promise<ExecResult>), calls: string[][] = []): ContainerRuntime {
  return {
    exec: async (_id: string, cmd: string[]) => {
      calls.push(cmd);
      return typeof result === 'function' ? result() : result;
    },
  } as unknown as ContainerRuntime;
}

const target = () => {
  const p = pod();
  return {
    pod: p,
    container: { ...p.spec.containers[0]!, ports: [{ name: 'http', containerPort: 8080 }] },
    containerId: 'c1',
    podIP: '127.0.0.1',
  };
};
const never = new AbortController().signal;

describe('lifecycle hook handlers', () => {
  test('exec: exit 0 succeeds, the command runs as given', async () => {
    const calls: string[][] = [];
    const deps: HookDeps = { runtime: fakeRuntime({ exitCode: 0, output: '', timedOut: false }, calls) };
    const r = await runHook(deps, target(), { exec: { command: ['sh', '-c', 'echo hi'] } }, never);
    assert.deepEqual(r, { ok: true, message: '' });
    assert.deepEqual(calls, [['sh', '-c', 'echo hi']]);
  });

  test("exec: a non-zero exit fails with the kubelet's message", async () => {
    const deps: HookDeps = { runtime: fakeRuntime({ exitCode: 3, output: 'boom\n', timedOut: false }) };
    const r = await runHook(deps, target(), { exec: { command: ['false'] } }, never);
    assert.equal(r.ok, false);
    assert.equal(
      r.message,
      'Exec lifecycle hook ([false]) for Container "app" in Pod "web_default(uid-1)" failed - error: command \'false\' exited with 3: , message: "boom\\n"',
    );
  });

  test('exec: the signal bounds a hook that does not return', async () => {
    const deps: HookDeps = { runtime: fakeRuntime(() => new Promise(() => {})) };
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    const r = await runHook(deps, target(), { exec: { command: ['sleep', '100'] } }, ac.signal);
    assert.equal(r.ok, false);
    assert.match(r.message, /context deadline exceeded/);
  });

  test('sleep: waits, and reports being cut short', async () => {
    const deps: HookDeps = { runtime: fakeRuntime({ exitCode: 0, output: '', timedOut: false }) };
    assert.equal((await runHook(deps, target(), { sleep: { seconds: 0 } }, never)).ok, true);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 10);
    const cut = await runHook(deps, target(), { sleep: { seconds: 60 } }, ac.signal);
    assert.deepEqual(cut, { ok: false, message: 'container terminated before sleep hook finished' });
  });

  test('tcpSocket is accepted by the API but cannot run', async () => {
    const deps: HookDeps = { runtime: fakeRuntime({ exitCode: 0, output: '', timedOut: false }) };
    const r = await runHook(deps, target(), { tcpSocket: { port: 80 } }, never);
    assert.equal(r.ok, false);
    assert.match(r.message, /invalid handler/);
  });

  test('httpGet: any status succeeds; kube-lifecycle user agent, headers, named port, pod IP', async () => {
    const seen: { url?: string; headers?: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url!, headers: req.headers });
      res.writeHead(500).end('nope');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const deps: HookDeps = { runtime: fakeRuntime({ exitCode: 0, output: '', timedOut: false }) };
      const t = target();
      t.container.ports = [{ name: 'http', containerPort: port }];
      const r = await runHook(
        deps,
        t,
        { httpGet: { path: 'hook', port: 'http', httpHeaders: [{ name: 'X-Test', value: 'yes' }] } },
        never,
      );
      assert.deepEqual(r, { ok: true, message: '' });
      assert.equal(seen[0]!.url, '/hook');
      assert.equal(seen[0]!.headers!['user-agent'], 'kube-lifecycle/1.32');
      assert.equal(seen[0]!.headers!['x-test'], 'yes');
    } finally {
      server.close();
    }
  });

  test('httpGet: a transport error fails', async () => {
    const deps: HookDeps = { runtime: fakeRuntime({ exitCode: 0, output: '', timedOut: false }) };
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const r = await runHook(deps, target(), { httpGet: { port } }, never);
    assert.equal(r.ok, false);
    assert.match(
      r.message,
      /^HTTP lifecycle hook \(\/\) for Container "app" in Pod "web_default\(uid-1\)" failed - error: .*connection refused/,
    );
  });
});
