// imagePullSecrets → keyring: types, keys, missing secrets, malformed secrets.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { podKeyring, missingSecretsMessage } from '../../../src/images/pull-secrets.js';
import { admitPod } from '../../../src/apis/core/admit.js';
import type { Secret } from '../../../src/apis/core/types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, type: string, data: Record<string, string>): Secret => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'ns' },
  type,
  data,
});
const pod = (names: string[]) =>
  admitPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'x:1' }], imagePullSecrets: names.map((name) => ({ name })) },
  });

describe('podKeyring', () => {
  const store = new Map<string, Secret>([
    [
      'json',
      secret('json', 'kubernetes.io/dockerconfigjson', {
        '.dockerconfigjson': b64(JSON.stringify({ auths: { 'reg.io': { auth: b64('a:1') } } })),
      }),
    ],
    [
      'cfg',
      secret('cfg', 'kubernetes.io/dockercfg', {
        '.dockercfg': b64(JSON.stringify({ 'https://reg.io/v1/': { username: 'b', password: '2' } })),
      }),
    ],
    [
      'opaque',
      secret('opaque', 'Opaque', {
        '.dockerconfigjson': b64(JSON.stringify({ auths: { 'reg.io': { username: 'x', password: 'x' } } })),
      }),
    ],
    ['wrongkey', secret('wrongkey', 'kubernetes.io/dockerconfigjson', { '.dockercfg': b64('{}') })],
    [
      'broken',
      secret('broken', 'kubernetes.io/dockerconfigjson', {
        '.dockerconfigjson': b64('{"auths": {"reg.io": {"password": "hunter2"'),
      }),
    ],
  ]);
  const find = (ns: string, name: string) => (ns === 'ns' ? store.get(name) : undefined);

  test('both secret types, in the order named; other types and keys ignored', () => {
    const { keyring, missing } = podKeyring(pod(['cfg', 'opaque', 'json', 'wrongkey']), find);
    assert.deepEqual(missing, []);
    assert.deepEqual(keyring.lookup('reg.io/app'), [
      { username: 'b', password: '2' },
      { username: 'a', password: '1' },
    ]);
  });

  test('missing secrets are listed and the others still used', () => {
    const { keyring, missing } = podKeyring(pod(['nope', 'json', 'gone']), find);
    assert.deepEqual(missing, ['nope', 'gone']);
    assert.equal(keyring.lookup('reg.io/app').length, 1);
    assert.equal(
      missingSecretsMessage(missing),
      'Unable to retrieve some image pull secrets (nope, gone); attempting to pull the image may not succeed.',
    );
  });

  test('a malformed secret fails with its name, never its content', () => {
    assert.throws(
      () => podKeyring(pod(['broken']), find),
      (err: Error) => err.message === 'image pull secret "broken" cannot be used: invalid JSON',
    );
  });
});
