import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { admitRequest, isLoopbackHost, isLoopbackOrigin, type AuthnPolicy } from '../../../src/server/authn.js';

const TOKEN = 'good-token';
const tls: AuthnPolicy = { plainHttp: false, checkToken: (t) => t === TOKEN };
const plain: AuthnPolicy = { plainHttp: true, checkToken: (t) => t === TOKEN };
const auth = { authorization: `Bearer ${TOKEN}` };
const json = { 'content-type': 'application/json', 'content-length': '2' };

const cases: [string, AuthnPolicy, string, string, IncomingHttpHeaders, string | undefined][] = [
  // name, policy, method, path, headers, expected error code (undefined = admitted)
  ['no token', tls, 'GET', '/api/v1/pods', {}, 'Unauthorized'],
  ['wrong token', tls, 'GET', '/api/v1/pods', { authorization: 'Bearer nope' }, 'Unauthorized'],
  ['basic auth is not a token', tls, 'GET', '/api/v1/pods', { authorization: `Basic ${TOKEN}` }, 'Unauthorized'],
  ['good token', tls, 'GET', '/api/v1/pods', { ...auth }, undefined],
  ['healthz needs no token', tls, 'GET', '/healthz', {}, undefined],
  ['livez and readyz neither', tls, 'GET', '/readyz', {}, undefined],
  ['a POST to healthz still does', tls, 'POST', '/healthz', { ...json }, 'Unauthorized'],
  ['version needs a token', tls, 'GET', '/version', {}, 'Unauthorized'],
  ['foreign Origin', tls, 'GET', '/api/v1/pods', { ...auth, origin: 'https://evil.example' }, 'Forbidden'],
  ['null Origin', tls, 'GET', '/api/v1/pods', { ...auth, origin: 'null' }, 'Forbidden'],
  ['loopback Origin', tls, 'GET', '/api/v1/pods', { ...auth, origin: 'http://localhost:3000' }, undefined],
  [
    'POST text/plain',
    tls,
    'POST',
    '/api/v1/namespaces/default/pods',
    { ...auth, ...json, 'content-type': 'text/plain' },
    'UnsupportedMediaType',
  ],
  [
    'POST form',
    tls,
    'POST',
    '/x',
    { ...auth, ...json, 'content-type': 'application/x-www-form-urlencoded' },
    'UnsupportedMediaType',
  ],
  [
    'POST multipart',
    tls,
    'POST',
    '/x',
    { ...auth, ...json, 'content-type': 'multipart/form-data; boundary=x' },
    'UnsupportedMediaType',
  ],
  ['POST without Content-Type', tls, 'POST', '/x', { ...auth, 'content-length': '2' }, 'UnsupportedMediaType'],
  ['POST JSON', tls, 'POST', '/x', { ...auth, ...json }, undefined],
  ['PUT YAML', tls, 'PUT', '/x', { ...auth, ...json, 'content-type': 'application/yaml' }, undefined],
  ['DELETE without a body', tls, 'DELETE', '/x', { ...auth }, undefined],
  ['DELETE with an untyped body', tls, 'DELETE', '/x', { ...auth, 'content-length': '5' }, 'UnsupportedMediaType'],
  ['plain: loopback Host', plain, 'GET', '/api/v1/pods', { ...auth, host: '127.0.0.1:10350' }, undefined],
  ['plain: [::1] Host', plain, 'GET', '/api/v1/pods', { ...auth, host: '[::1]:10350' }, undefined],
  ['plain: rebinding Host', plain, 'GET', '/api/v1/pods', { ...auth, host: 'evil.example:10350' }, 'Forbidden'],
  ['plain: Host checked before the health exemption', plain, 'GET', '/healthz', { host: 'evil.example' }, 'Forbidden'],
  ['plain: no Host', plain, 'GET', '/api/v1/pods', { ...auth }, 'Forbidden'],
  ['plain: the token is still required', plain, 'GET', '/api/v1/pods', { host: 'localhost:1' }, 'Unauthorized'],
  ['tls: any Host', tls, 'GET', '/api/v1/pods', { ...auth, host: 'my-node.lan:10350' }, undefined],
];

test('admitRequest: host, origin, token and content-type decisions', () => {
  for (const [name, policy, method, path, headers, want] of cases) {
    assert.equal(admitRequest({ method, path, headers }, policy)?.code, want, name);
  }
});

test('admitRequest: a 401 says only "Unauthorized"', () => {
  const err = admitRequest({ method: 'GET', path: '/api/v1/pods', headers: { authorization: 'Bearer x' } }, tls);
  assert.equal(err?.message, 'Unauthorized');
});

test('loopback names and origins', () => {
  for (const h of ['localhost', 'LOCALHOST:80', '127.0.0.1', '127.0.0.1:1', '[::1]', '[::1]:443'])
    assert.ok(isLoopbackHost(h), h);
  for (const h of ['', '127.0.0.1.nip.io', 'localhost.evil', '::1', '10.0.0.1:80', 'evil:127.0.0.1'])
    assert.ok(!isLoopbackHost(h), h);
  for (const o of ['http://localhost', 'https://127.0.0.1:8443', 'http://[::1]:3000'])
    assert.ok(isLoopbackOrigin(o), o);
  for (const o of ['null', 'file://', 'https://localhost.evil', 'chrome-extension://x', 'http://127.0.0.2'])
    assert.ok(!isLoopbackOrigin(o), o);
});
