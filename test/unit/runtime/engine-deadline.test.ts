// Engine calls under the request deadline (kubelet --runtime-request-timeout): a hung
// engine fails the call with DeadlineExceeded's message instead of stalling its caller;
// a stop waits its grace period on top; streams (events) are never cut by it.
// The engine here is a fake HTTP server on a unix socket that answers when told to.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDockerClient, EngineTimeoutError } from '../../../src/runtime/docker-client.js';
import { after, before, describe, test } from '../../harness/node-test.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;

describe('engine request deadline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-deadline-'));
  const socket = join(dir, 'docker.sock');
  const routes = new Map<string, Route>();
  const held: ServerResponse[] = [];
  let server: Server;

  before(async () => {
    server = createServer((req, res) => {
      const route = [...routes].find(([prefix]) => req.url?.startsWith(prefix))?.[1];
      if (route) route(req, res);
      else held.push(res); // never answered: a hung engine
    });
    await new Promise<void>((r) => server.listen(socket, r));
  });
  after(async () => {
    for (const res of held) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('a unary call the engine never answers fails with the deadline, naming the call', async () => {
    const docker = createDockerClient(`unix://${socket}`, { requestTimeoutMs: 150 });
    const started = Date.now();
    await assert.rejects(docker.inspectContainer('abc'), (err: Error) => {
      assert.ok(err instanceof EngineTimeoutError);
      assert.equal(
        err.message,
        'context deadline exceeded: the container engine did not answer GET /containers/abc/json within 150ms',
      );
      return true;
    });
    assert.ok(Date.now() - started < 5_000, 'the caller was freed at the deadline');
    // A call the lib cannot abort (image inspect) is freed by the race all the same.
    await assert.rejects(docker.inspectImage('busybox'), EngineTimeoutError);
  });

  test('a stop may take its grace period on top of the deadline', async () => {
    routes.set('/containers/slow/stop', (_req, res) => {
      setTimeout(() => res.writeHead(204).end(), 600);
    });
    const docker = createDockerClient(`unix://${socket}`, { requestTimeoutMs: 150 });
    await docker.stopContainer('slow', 2);
    await assert.rejects(docker.stopContainer('slow', 0), EngineTimeoutError);
  });

  test('an answered call is not affected, and a stream outlives the deadline', async () => {
    routes.set('/containers/ok/json', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ Id: 'ok' }));
    });
    routes.set('/events', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"status":"start","id":"x"}\n');
      held.push(res);
    });
    const docker = createDockerClient(`unix://${socket}`, { requestTimeoutMs: 100 });
    assert.equal((await docker.inspectContainer('ok')).Id, 'ok');
    const ac = new AbortController();
    const stream = await docker.events({}, ac.signal);
    let ended = false;
    stream.on('end', () => (ended = true));
    stream.on('error', () => (ended = true));
    const first = await new Promise<string>((r) => stream.once('data', (d: Buffer) => r(d.toString())));
    assert.match(first, /"status":"start"/);
    // Four deadlines later the stream is still open: only unary calls have one.
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(ended, false);
    ac.abort();
  });
});
