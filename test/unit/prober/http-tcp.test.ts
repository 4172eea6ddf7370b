// http and tcp probers against real servers on 127.0.0.1:0.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import {
  httpProbe,
  httpGetAction,
  buildHttpGetRequest,
  LIFECYCLE_USER_AGENT,
} from '../../../src/prober/probers/http.js';
import { tcpProbe } from '../../../src/prober/probers/tcp.js';
import type { Container } from '../../../src/apis/core/types.js';

const app = (ports: Container['ports'] = []): Container => ({ name: 'app', image: 'x', ports });

describe('httpGet prober', () => {
  let server: Server;
  let port: number;
  const seen: IncomingMessage[] = [];
  before(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      const url = new URL(req.url!, 'http://x');
      switch (url.pathname) {
        case '/ok':
          res.end('fine');
          break;
        case '/missing':
          res.statusCode = 404;
          res.end('no');
          break;
        case '/moved':
          res.writeHead(302, { location: '/ok' }).end();
          break;
        case '/elsewhere':
          res.writeHead(302, { location: `http://localhost:${port}/ok` }).end('moved away');
          break;
        case '/loop':
          res.writeHead(302, { location: '/loop' }).end();
          break;
        case '/big':
          res.end(Buffer.alloc(100 * 1024, 'a'));
          break;
        case '/hang':
          break; // never answers
        default:
          res.end('root');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  const last = () => seen[seen.length - 1]!;
  const probe = (path: string, extra: object = {}, timeout = 1) =>
    httpProbe({ port, path, ...extra }, app(), '127.0.0.1', timeout);

  test('200 → success with the body as output', async () => {
    assert.deepEqual(await probe('/ok'), { result: 'success', output: 'fine' });
  });

  test('≥ 400 → failure with the status code', async () => {
    assert.deepEqual(await probe('/missing'), { result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
  });

  test('same-host redirects are followed', async () => {
    const n = seen.length;
    assert.deepEqual(await probe('/moved'), { result: 'success', output: 'fine' });
    assert.deepEqual(
      seen.slice(n).map((r) => r.url),
      ['/moved', '/ok'],
    );
  });

  test('a redirect to another host is not followed: warning (= success) with the body', async () => {
    const n = seen.length;
    assert.deepEqual(await probe('/elsewhere'), {
      result: 'warning',
      output: 'Probe terminated redirects, Response body: moved away',
    });
    assert.equal(seen.length - n, 1);
  });

  test('more than 10 redirects → failure', async () => {
    const n = seen.length;
    // A generous timeout: eleven round trips on a loaded machine must not hit the deadline first.
    const r = await probe('/loop', {}, 10);
    assert.equal(r.result, 'failure');
    assert.equal(r.output, `Get "http://127.0.0.1:${port}/loop": stopped after 10 redirects`);
    assert.equal(seen.length - n, 11);
  });

  test('default headers, custom headers, Host header, keep-alive off', async () => {
    await probe('/ok', {
      httpHeaders: [
        { name: 'X-Probe', value: 'one' },
        { name: 'Host', value: 'example.test' },
      ],
    });
    const h = last().headers;
    assert.equal(h['user-agent'], 'kube-probe/1.32');
    assert.equal(h.accept, '*/*');
    assert.equal(h['x-probe'], 'one');
    assert.equal(h.host, 'example.test');
    assert.equal(h.connection, 'close');
  });

  test('User-Agent can be overridden; an empty Accept removes it', async () => {
    await probe('/ok', {
      httpHeaders: [
        { name: 'user-agent', value: 'mine' },
        { name: 'Accept', value: '' },
      ],
    });
    assert.equal(last().headers['user-agent'], 'mine');
    assert.equal(last().headers.accept, undefined);
  });

  test('named ports resolve from the container ports', async () => {
    const r = await httpProbe(
      { port: 'web', path: '/ok' },
      app([{ name: 'web', containerPort: port }]),
      '127.0.0.1',
      1,
    );
    assert.equal(r.result, 'success');
    assert.throws(() => buildHttpGetRequest({ port: 'nope' }, app(), '127.0.0.1', 'x'), /port nope not found/);
  });

  test('the body is read up to 10 KiB', async () => {
    const r = await probe('/big');
    assert.equal(r.result, 'success');
    assert.equal(r.output.length, 10 * 1024);
  });

  test("timeout → failure with Go's wording", async () => {
    const r = await probe('/hang');
    assert.deepEqual(r, {
      result: 'failure',
      output: `Get "http://127.0.0.1:${port}/hang": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
  });

  test("connection refused → failure with Go's dial error", async () => {
    const closed = await freePort();
    const r = await httpProbe({ port: closed, path: '/' }, app(), '127.0.0.1', 1);
    assert.deepEqual(r, {
      result: 'failure',
      output: `Get "http://127.0.0.1:${closed}/": dial tcp 127.0.0.1:${closed}: connect: connection refused`,
    });
  });

  test('no connection is left open after probes', async () => {
    await probe('/ok');
    await probe('/big');
    const open = await new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
    // '/hang' is the only request the server never finishes; everything else is closed.
    assert.ok(open <= 1, `open connections: ${open}`);
  });

  test('httpGetAction for hooks: any status is a response, any redirect followed', async () => {
    const { url, headers } = buildHttpGetRequest({ port, path: '/missing' }, app(), '127.0.0.1', LIFECYCLE_USER_AGENT);
    const res = await httpGetAction({ url, headers, timeoutMs: 1000, redirects: 'any' });
    assert.equal(res.statusCode, 404);
    assert.equal(last().headers['user-agent'], 'kube-lifecycle/1.32');
    const { url: u2, headers: h2 } = buildHttpGetRequest(
      { port, path: '/elsewhere' },
      app(),
      '127.0.0.1',
      LIFECYCLE_USER_AGENT,
    );
    assert.equal((await httpGetAction({ url: u2, headers: h2, timeoutMs: 1000, redirects: 'any' })).statusCode, 200);
  });
});

describe('tcpSocket prober', () => {
  test('an open port → success, and the connection is closed at once', async () => {
    const server = createTcpServer((s) => s.on('error', () => undefined));
    // The server's side of the probe's connection closes only once the prober closed its side.
    const closed = new Promise<void>((r) => server.once('connection', (s) => s.once('close', () => r())));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    assert.deepEqual(await tcpProbe('127.0.0.1', port, 1000), { result: 'success', output: '' });
    await closed;
    const open = await new Promise<number>((r) => server.getConnections((_e, n) => r(n)));
    assert.equal(open, 0);
    server.close();
  });

  test("a closed port → failure with Go's dial error", async () => {
    const port = await freePort();
    assert.deepEqual(await tcpProbe('127.0.0.1', port, 1000), {
      result: 'failure',
      output: `dial tcp 127.0.0.1:${port}: connect: connection refused`,
    });
  });
});

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
