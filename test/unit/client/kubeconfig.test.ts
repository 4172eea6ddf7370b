import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  NO_KUBECONFIG,
  resolveKubeconfig,
  setKubeconfigToken,
  writeKubeconfig,
} from '../../../src/client/kubeconfig.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kc-'));

test('writeKubeconfig: a v1 Config, current-context set, mode 0600', () => {
  const d = dir();
  const p = join(d, 'sub', 'kubeconfig');
  writeKubeconfig(p, { server: 'http://127.0.0.1:1234' });
  assert.equal(statSync(p).mode & 0o777, 0o600);
  const doc = parse(readFileSync(p, 'utf8'));
  assert.equal(doc.apiVersion, 'v1');
  assert.equal(doc.kind, 'Config');
  assert.equal(doc['current-context'], 'minikubelet');
  assert.deepEqual(doc.clusters, [{ name: 'minikubelet', cluster: { server: 'http://127.0.0.1:1234' } }]);
  assert.deepEqual(doc.contexts, [{ name: 'minikubelet', context: { cluster: 'minikubelet', user: 'minikubelet' } }]);
  assert.deepEqual(doc.users, [{ name: 'minikubelet', user: {} }]);
  // Rewriting an existing, looser file tightens it.
  writeFileSync(p, 'x', { mode: 0o644 });
  writeKubeconfig(p, { server: 'http://127.0.0.1:9', name: 'other' });
  assert.equal(statSync(p).mode & 0o777, 0o600);
  assert.equal(parse(readFileSync(p, 'utf8'))['current-context'], 'other');
});

test('resolveKubeconfig: --kubeconfig > $KUBECONFIG > default path', () => {
  const d = dir();
  const flag = join(d, 'flag');
  const env1 = join(d, 'env1');
  const def = join(d, 'default');
  writeKubeconfig(flag, { server: 'http://flag:1' });
  writeKubeconfig(env1, { server: 'http://env:2', namespace: 'team' });
  writeKubeconfig(def, { server: 'http://default:3' });
  const env = { KUBECONFIG: `${join(d, 'missing')}:${env1}` };
  assert.deepEqual(resolveKubeconfig({ kubeconfig: flag, env, defaultPath: def }), {
    server: 'http://flag:1',
    path: flag,
  });
  assert.deepEqual(resolveKubeconfig({ env, defaultPath: def }), {
    server: 'http://env:2',
    namespace: 'team',
    path: env1,
  });
  assert.deepEqual(resolveKubeconfig({ env: {}, defaultPath: def }), { server: 'http://default:3', path: def });
  assert.deepEqual(
    resolveKubeconfig({ env: { KUBECONFIG: join(d, 'missing') }, defaultPath: def }).server,
    'http://default:3',
  );
});

test('resolveKubeconfig: clear errors', () => {
  const d = dir();
  assert.throws(() => resolveKubeconfig({ env: {}, defaultPath: join(d, 'none') }), { message: NO_KUBECONFIG });
  assert.equal(NO_KUBECONFIG, 'no kubeconfig found: start the agent with "minikubelet serve" or pass --kubeconfig');
  assert.throws(() => resolveKubeconfig({ kubeconfig: join(d, 'nope'), env: {} }), /nope: no such file or directory/);
  const noCtx = join(d, 'noctx');
  writeFileSync(noCtx, 'apiVersion: v1\nkind: Config\nclusters: []\n');
  assert.throws(() => resolveKubeconfig({ kubeconfig: noCtx }), /current-context is not set/);
});

test('kubeconfig round trip: certificate-authority-data and token are written and read back', () => {
  const d = dir();
  const p = join(d, 'kubeconfig');
  const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  writeKubeconfig(p, { server: 'https://127.0.0.1:10350', caPem, token: 's3cret' });
  const doc = parse(readFileSync(p, 'utf8'));
  assert.equal(doc.clusters[0].cluster['certificate-authority-data'], Buffer.from(caPem).toString('base64'));
  assert.deepEqual(doc.users, [{ name: 'minikubelet', user: { token: 's3cret' } }]);
  const kc = resolveKubeconfig({ kubeconfig: p });
  assert.equal(kc.server, 'https://127.0.0.1:10350');
  assert.equal(kc.caPem, caPem);
  assert.equal(kc.token, 's3cret');
  assert.equal(kc.insecureSkipTlsVerify, undefined);

  setKubeconfigToken(p, 'n3w');
  assert.equal(resolveKubeconfig({ kubeconfig: p }).token, 'n3w');
  assert.equal(resolveKubeconfig({ kubeconfig: p }).caPem, caPem);
  assert.equal(statSync(p).mode & 0o777, 0o600);
});

test('resolveKubeconfig: certificate-authority and tokenFile relative to the file; insecure-skip-tls-verify', () => {
  const d = dir();
  writeFileSync(join(d, 'ca.pem'), 'CA PEM');
  writeFileSync(join(d, 'tok'), 'from-file\n');
  const p = join(d, 'kubeconfig');
  writeFileSync(
    p,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://h:1", certificate-authority: ca.pem, insecure-skip-tls-verify: true}}]
users: [{name: u, user: {tokenFile: tok}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  const kc = resolveKubeconfig({ kubeconfig: p });
  assert.equal(kc.caPem, 'CA PEM');
  assert.equal(kc.token, 'from-file');
  assert.equal(kc.insecureSkipTlsVerify, true);
});
