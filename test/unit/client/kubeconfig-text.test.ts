import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { parse, stringify } from 'yaml';
import { kubeconfigText } from '../../../src/client/kubeconfig.js';
import { isPlainScalar, kubeconfigYaml } from '../../../src/client/kubeconfig-text.js';
import { randomBytes } from 'node:crypto';

const CA =
  '-----BEGIN CERTIFICATE-----\nMIIBdTCCARugAwIBAgIQB7rjj5rxpFzSpgr2rQAOiTAKBggqhkjOPQQDAjAZ\n-----END CERTIFICATE-----\n';

test('the kubeconfig the agent writes is byte for byte what yaml would write', () => {
  const cases = [
    { server: 'https://127.0.0.1:43561', caPem: CA, token: 'mkl.AbC-_x9' },
    { server: 'https://[::1]:6443', token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' },
    { server: 'http://localhost:10250', name: 'my-node', namespace: 'team-a' },
    { server: 'https://10.0.0.1:443', caPem: CA },
  ];
  for (const c of cases) {
    const text = kubeconfigText(c);
    const config = parse(text) as Record<string, unknown>;
    assert.equal(text, stringify(config), JSON.stringify(c));
    assert.equal((config.clusters as { cluster: { server: string } }[])[0]!.cluster.server, c.server);
  }
});

test('values a plain scalar cannot hold are written by yaml itself, still read back exactly', () => {
  for (const token of ['123', 'true', 'a: b', 'with space', '#hash', 'No', 'x:', '0x1F', '.inf']) {
    const text = kubeconfigText({ server: 'https://127.0.0.1:1', token });
    const back = parse(text) as { users: { user: { token: string } }[] };
    assert.equal(back.users[0]!.user.token, token);
    assert.equal(text, stringify(back));
  }
});

test('the emitter handles nested mappings, sequences of mappings and empty mappings as yaml does', () => {
  const doc = { a: 'x', b: { c: 'y', d: {} }, e: [{ f: 'z', g: { h: 'w' } }, { i: 'v' }], j: {} };
  assert.equal(kubeconfigYaml(doc), stringify(doc));
  // Outside the subset (a number, an empty sequence): yaml's own output.
  assert.equal(kubeconfigYaml({ n: 1 as unknown as string }), stringify({ n: 1 }));
  assert.equal(kubeconfigYaml({ l: [] }), stringify({ l: [] }));
});

test('every API token (32 random bytes, base64url) takes the plain path, whatever its first character, as yaml writes it', () => {
  for (let i = 0; i < 5000; i++) {
    const token = randomBytes(32).toString('base64url');
    assert.ok(isPlainScalar(token), token);
    assert.equal(kubeconfigYaml({ token }), stringify({ token }), token);
  }
});

test('strings that start with a digit, - or _ are plain only where yaml leaves them unquoted', () => {
  const edges = [
    '9abc',
    '-abc',
    '_abc',
    '1_000',
    '12:30',
    '2001-12-14',
    '1.5e3x',
    '-',
    '-1',
    '1e5',
    '0x1F',
    '0o17',
    '.5',
    '1.',
    '-0',
    '10',
  ];
  for (const s of edges) {
    const ours = isPlainScalar(s);
    const yamls = stringify({ k: s }) === `k: ${s}\n`;
    assert.equal(ours && !yamls, false, `${s}: we would write it plain, yaml quotes it`);
    assert.equal(kubeconfigYaml({ k: s }), stringify({ k: s }), s);
  }
  assert.ok(isPlainScalar('9abc') && isPlainScalar('-abc') && isPlainScalar('_abc'));
});
