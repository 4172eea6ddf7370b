// grpc prober against real grpc-js servers on 127.0.0.1: the kubelet's result mapping
// (pkg/probe/grpc/grpc.go) for each outcome, and the request it sends.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import { grpcProbe } from '../../../src/prober/probers/grpc.js';
import {
  HEALTH_CHECK_PATH,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  type HealthCheckRequest,
  type ServingStatus,
} from '../../../src/prober/probers/grpc-health.js';

type Handler = grpc.handleUnaryCall<HealthCheckRequest, Buffer>;

const healthService = {
  Check: {
    path: HEALTH_CHECK_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: encodeRequest,
    requestDeserialize: decodeRequest,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
} satisfies grpc.ServiceDefinition;

async function listen(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
      err ? reject(err) : resolve(port),
    ),
  );
}

describe('grpc health messages', () => {
  test('round-trip with the protocol field numbers', () => {
    // service = 1 (string): tag 0x0a, length, bytes.
    assert.deepEqual([...encodeRequest({ service: 'db' })], [0x0a, 2, 0x64, 0x62]);
    assert.deepEqual(decodeRequest(encodeRequest({ service: '' })), { service: '' });
    // status = 1 (enum): NOT_SERVING = 2; UNKNOWN (0) is the default, sent as nothing.
    assert.deepEqual([...encodeResponse('NOT_SERVING')], [0x08, 2]);
    assert.deepEqual(decodeResponse(Buffer.alloc(0)), { status: 'UNKNOWN' });
    assert.deepEqual(decodeResponse(Buffer.from([0x08, 9])), { status: '9' });
  });
});

describe('grpc prober', () => {
  let server: grpc.Server;
  let port: number;
  let bare: grpc.Server;
  let barePort: number;
  const seen: Array<{ service: string; ua: string }> = [];
  const status = new Map<string, ServingStatus>([
    ['', 'SERVING'],
    ['down', 'NOT_SERVING'],
    ['unknown-state', 'UNKNOWN'],
  ]);

  before(async () => {
    server = new grpc.Server();
    const check: Handler = (call, cb) => {
      const service = call.request.service;
      seen.push({ service, ua: String(call.metadata.get('user-agent')[0] ?? '') });
      if (service === 'slow') {
        setTimeout(() => cb(null, encodeResponse('SERVING')), 1500);
        return;
      }
      const s = status.get(service);
      // What grpc-go's health server answers for a service it does not know.
      if (!s) cb({ code: grpc.status.NOT_FOUND, details: 'unknown service' });
      else cb(null, encodeResponse(s));
    };
    server.addService(healthService, { Check: check });
    port = await listen(server);
    // A gRPC server without the Health service.
    bare = new grpc.Server();
    barePort = await listen(bare);
  });
  after(() => {
    server.forceShutdown();
    bare.forceShutdown();
  });

  test('SERVING is a success; the request names the service and the kube-probe user agent', async () => {
    assert.deepEqual(await grpcProbe('127.0.0.1', port, '', 1000), { result: 'success', output: 'service healthy' });
    const last = seen.at(-1)!;
    assert.equal(last.service, '');
    assert.match(last.ua, /^kube-probe\/1\.32 /);
  });

  test('another status is a failure naming it', async () => {
    assert.deepEqual(await grpcProbe('127.0.0.1', port, 'down', 1000), {
      result: 'failure',
      output: 'service unhealthy (responded with "NOT_SERVING")',
    });
    assert.equal(seen.at(-1)!.service, 'down');
    assert.deepEqual(await grpcProbe('127.0.0.1', port, 'unknown-state', 1000), {
      result: 'failure',
      output: 'service unhealthy (responded with "UNKNOWN")',
    });
  });

  test('an RPC error is a failure with grpc-go status text', async () => {
    assert.deepEqual(await grpcProbe('127.0.0.1', port, 'nope', 1000), {
      result: 'failure',
      output: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service',
    });
  });

  test('a server without the Health service', async () => {
    const o = await grpcProbe('127.0.0.1', barePort, '', 1000);
    assert.equal(o.result, 'failure');
    assert.match(
      o.output,
      /^error: this server does not implement the grpc health protocol \(grpc\.health\.v1\.Health\): .+/,
    );
  });

  test('an RPC past the deadline', async () => {
    assert.deepEqual(await grpcProbe('127.0.0.1', port, 'slow', 1000), {
      result: 'failure',
      output: 'timeout: health rpc did not complete within 1s',
    });
  });

  test('a closed port fails with the connect message after the whole timeout', async () => {
    const tcp: TcpServer = createTcpServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const closed = (tcp.address() as AddressInfo).port;
    await new Promise<void>((r) => tcp.close(() => r()));
    const t0 = Date.now();
    assert.deepEqual(await grpcProbe('127.0.0.1', closed, '', 700), {
      result: 'failure',
      output: `timeout: failed to connect service "127.0.0.1:${closed}" within 700ms: context deadline exceeded`,
    });
    // Refused connections are retried until the deadline (WithBlock), not failed at once.
    assert.ok(Date.now() - t0 >= 650, `returned after ${Date.now() - t0} ms`);
  });

  test('a peer that accepts TCP but never speaks HTTP/2 times out in connect', async () => {
    const sockets: import('node:net').Socket[] = [];
    const silent = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const p = (silent.address() as AddressInfo).port;
    try {
      const o = await grpcProbe('127.0.0.1', p, '', 500);
      assert.equal(o.result, 'failure');
      assert.match(o.output, /^timeout: (failed to connect service "127\.0\.0\.1:\d+" within 500ms|health rpc)/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  test('IPv6 targets are bracketed as net.JoinHostPort does', async () => {
    const o = await grpcProbe('::1', 1, '', 200);
    assert.equal(o.result, 'failure');
    assert.match(o.output, /"\[::1\]:1"/);
  });

  test('each probe closes its channel: no connection is left to the server', async () => {
    const before = await connections(server);
    for (let i = 0; i < 5; i++) await grpcProbe('127.0.0.1', port, '', 1000);
    // A closed client's transport goes away; allow the server a moment to see the FIN.
    let open = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 50 && open > before; i++) {
      await new Promise((r) => setTimeout(r, 20));
      open = await connections(server);
    }
    assert.ok(open <= before, `${open} connections still open (was ${before})`);
  });
});

/** Open HTTP/2 sessions on the server (channelz would be heavier; grpc-js keeps them in a map). */
async function connections(server: grpc.Server): Promise<number> {
  const internal = server as unknown as { sessions?: Map<unknown, unknown> };
  if (!internal.sessions) throw new Error('grpc-js Server no longer exposes its sessions map');
  return internal.sessions.size;
}
