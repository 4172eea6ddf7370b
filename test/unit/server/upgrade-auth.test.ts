// exec, attach and port-forward arrive as protocol upgrades, which bypass the request
// handler: the same admission must run before any upgrade, or they would skip the token.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startApiServer, type ApiServer } from '../../../src/server/api-server.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeNode } from '../../fakes/fake-node.js';
import { after, before, test } from '../../harness/node-test.js';

let server: ApiServer;
const SA_USER = 'system:serviceaccount:default:default';
before(async () => {
  server = await startApiServer({
    node: new FakeNode(),
    listen: '127.0.0.1:0',
    log: silentLogger(),
    checkToken: (t) =>
      t === 'good-token' ||
      (t === 'sa-token'
        ? { username: SA_USER, groups: ['system:authenticated'], serviceAccountNamespace: 'default' }
        : false),
  });
});
after(() => server.close());

/** Sends a raw upgrade request and resolves with the status line of the answer. */
function upgrade(path: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(server.port, '127.0.0.1');
    let got = '';
    sock.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) {
        resolve(got.slice(0, got.indexOf('\r\n')));
        sock.destroy();
      }
    });
    sock.on('error', reject);
    const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, 'Connection: Upgrade'];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    sock.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

const WS = {
  Upgrade: 'websocket',
  'Sec-WebSocket-Version': '13',
  'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
};
const EXEC = '/api/v1/namespaces/default/pods/web/exec?command=sh&stdout=true';

test('an exec upgrade without a token is 401, with a wrong one too', async () => {
  assert.match(await upgrade(EXEC, WS), /^HTTP\/1\.1 401 /);
  assert.match(await upgrade(EXEC, { ...WS, Authorization: 'Bearer wrong' }), /^HTTP\/1\.1 401 /);
  assert.match(
    await upgrade('/api/v1/namespaces/default/pods/web/portforward', {
      Upgrade: 'SPDY/3.1',
      'X-Stream-Protocol-Version': 'portforward.k8s.io',
    }),
    /^HTTP\/1\.1 401 /,
  );
});

test('a foreign Origin is refused before the upgrade, even with the token', async () => {
  const line = await upgrade(EXEC, { ...WS, Authorization: 'Bearer good-token', Origin: 'https://evil.example' });
  assert.match(line, /^HTTP\/1\.1 403 /);
});

test('with the token the upgrade reaches the exec handler (the fake node has no such pod)', async () => {
  const line = await upgrade(EXEC, { ...WS, Authorization: 'Bearer good-token' });
  assert.doesNotMatch(line, /^HTTP\/1\.1 (401|403) /);
});

test('a ServiceAccount token may not exec, attach or port-forward, even in its own namespace (create on the subresource)', async () => {
  const sa = { Authorization: 'Bearer sa-token' };
  assert.match(await upgrade(EXEC, { ...WS, ...sa }), /^HTTP\/1\.1 403 /);
  assert.match(
    await upgrade('/api/v1/namespaces/default/pods/web/attach?stdout=true', { ...WS, ...sa }),
    /^HTTP\/1\.1 403 /,
  );
  assert.match(
    await upgrade('/api/v1/namespaces/default/pods/web/portforward', {
      ...sa,
      Upgrade: 'SPDY/3.1',
      'X-Stream-Protocol-Version': 'portforward.k8s.io',
    }),
    /^HTTP\/1\.1 403 /,
  );
});

test('a ServiceAccount token reads its namespace; writes and other namespaces get the Forbidden Status', async () => {
  const base = `http://127.0.0.1:${server.port}`;
  const headers = { authorization: 'Bearer sa-token' };
  const list = await fetch(`${base}/api/v1/namespaces/default/pods`, { headers });
  assert.equal(list.status, 200);
  const other = await fetch(`${base}/api/v1/namespaces/other/pods`, { headers });
  assert.equal(other.status, 403);
  assert.deepEqual(await other.json(), {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `pods is forbidden: User "${SA_USER}" cannot list resource "pods" in API group "" in the namespace "other"`,
    reason: 'Forbidden',
    details: { kind: 'pods' },
    code: 403,
  });
  const del = await fetch(`${base}/api/v1/namespaces/default/pods/web`, { method: 'DELETE', headers });
  assert.equal(del.status, 403);
  const body = (await del.json()) as { message: string; details: unknown };
  assert.equal(
    body.message,
    `pods "web" is forbidden: User "${SA_USER}" cannot delete resource "pods" in API group "" in the namespace "default"`,
  );
  assert.deepEqual(body.details, { name: 'web', kind: 'pods' });
});
