// Key normalisation and matching as the kubelet's BasicDockerKeyring does them (table-driven).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import {
  BasicKeyring,
  UnionKeyring,
  isDockerHubImage,
  keyMatches,
  normalizeKey,
  parseDockerConfigText,
  parseEntry,
  type AuthConfig,
} from '../../../src/images/keyring.js';

const cred = (username: string): AuthConfig => ({ username, password: `${username}-pw` });
const users = (xs: AuthConfig[]) => xs.map((x) => x.username);

describe('normalizeKey', () => {
  const cases: [string, string][] = [
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['index.docker.io', 'index.docker.io'],
    ['http://index.docker.io/v1/', 'index.docker.io'],
    ['myreg:5000/team', 'myreg:5000/team'],
    ['https://myreg:5000/v2/', 'myreg:5000'],
    ['https://quay.io/v2/coreos', 'quay.io/coreos'],
    ['registry.example.com/', 'registry.example.com'],
    ['*.example.com', '*.example.com'],
    ['https://user@reg.io/path?x=1', 'reg.io/path'],
  ];
  for (const [input, want] of cases) test(`${input} → ${want}`, () => assert.equal(normalizeKey(input), want));
});

describe('keyMatches (URLsMatch)', () => {
  const cases: [string, string, boolean][] = [
    ['*.example.com', 'reg.example.com/app', true],
    ['*.example.com', 'a.b.example.com/app', false], // label count differs
    ['*.example.com', 'example.com/app', false],
    ['*.*.example.com', 'a.b.example.com/app', true],
    ['myreg:5000', 'myreg:5000/team/app', true],
    ['myreg:5000', 'myreg/team/app', false], // port differs
    ['myreg', 'myreg:5000/app', false],
    ['myreg:5000/team', 'myreg:5000/team/app', true],
    ['myreg:5000/team', 'myreg:5000/other/app', false],
    ['myreg:5000/team', 'myreg:5000/teamster/app', true], // a string prefix, as in the kubelet
    ['reg?.io', 'reg1.io/x', true],
    ['r[a-c]g.io', 'rbg.io/x', true],
    ['r[a-c]g.io', 'rzg.io/x', false],
    ['r[^a-c]g.io', 'rzg.io/x', true],
    ['docker.io', 'docker.io/library/busybox', true],
    ['index.docker.io', 'docker.io/library/busybox', false],
    ['127.0.0.1:5000', '127.0.0.1:5000/private/app', true],
    ['127.0.0.1:5001', '127.0.0.1:5000/private/app', false],
  ];
  for (const [key, repo, want] of cases)
    test(`${key} ${want ? 'matches' : 'does not match'} ${repo}`, () => assert.equal(keyMatches(key, repo), want));

  test('malformed label patterns never match; a dot is literal', () => {
    assert.equal(keyMatches('[abc.example', 'a.example/x'), false);
    assert.equal(keyMatches('a\\.b', 'axb/x'), false);
  });

  test('a pathological wildcard key is matched in linear time', () => {
    // A RegExp translation backtracks exponentially here: minutes per pull attempt.
    const key = '*a*a*a*a*a*a*a*a*b.example';
    const repo = `${'a'.repeat(60)}.example/app`;
    for (let i = 0; i < 1000; i++) assert.equal(keyMatches(key, repo), false);
    assert.equal(keyMatches(key, `${'a'.repeat(60)}b.example/app`), true);
  });
});

describe('isDockerHubImage', () => {
  const cases: [string, boolean][] = [
    ['busybox', true],
    ['library/busybox', true],
    ['docker.io/library/busybox', true],
    ['index.docker.io/user/app', true],
    ['myreg:5000/app', false],
    ['quay.io/x/y', false],
    ['localhost/app', true],
  ];
  for (const [repo, want] of cases) test(`${repo} → ${want}`, () => assert.equal(isDockerHubImage(repo), want));
});

describe('BasicKeyring.lookup', () => {
  test('most specific key first, and every match is returned', () => {
    const k = new BasicKeyring().add({
      'quay.io': cred('host'),
      'quay.io/coreos': cred('path'),
      'https://quay.io/v1/': cred('v1'),
    });
    // `https://quay.io/v1/` normalises to the same key as `quay.io`: both credentials, in insertion order.
    assert.deepEqual(users(k.lookup('quay.io/coreos/etcd')), ['path', 'host', 'v1']);
    assert.deepEqual(users(k.lookup('quay.io/other/app')), ['host', 'v1']);
    assert.deepEqual(users(k.lookup('gcr.io/x')), []);
  });

  test('globs and ports', () => {
    const k = new BasicKeyring().add({ '*.example.com': cred('glob'), 'reg.example.com:5000': cred('port') });
    assert.deepEqual(users(k.lookup('a.example.com/app')), ['glob']);
    assert.deepEqual(users(k.lookup('reg.example.com:5000/app')), ['port']);
    assert.deepEqual(users(k.lookup('reg.example.com:6000/app')), []);
  });

  const hubCases: [string, string][] = [
    ['https://index.docker.io/v1/', 'docker.io/library/busybox'],
    ['index.docker.io', 'docker.io/library/busybox'],
    ['docker.io', 'docker.io/library/busybox'],
    ['registry-1.docker.io', 'docker.io/me/app'],
  ];
  for (const [key, repo] of hubCases) {
    test(`Docker Hub alias ${key} serves ${repo}`, () => {
      assert.deepEqual(users(new BasicKeyring().add({ [key]: cred('hub') }).lookup(repo)), ['hub']);
    });
  }

  test('Docker Hub credentials are not sent to other registries', () => {
    const k = new BasicKeyring().add({ 'https://index.docker.io/v1/': cred('hub') });
    assert.deepEqual(users(k.lookup('myreg:5000/app')), []);
    assert.deepEqual(users(k.lookup('quay.io/x/y')), []);
  });

  test('union: the pod keyring before the node keyring', () => {
    const pod = new BasicKeyring().add({ 'reg.io': cred('pod') });
    const node = new BasicKeyring().add({ 'reg.io': cred('node'), 'other.io': cred('other') });
    assert.deepEqual(users(new UnionKeyring([pod, node]).lookup('reg.io/app')), ['pod', 'node']);
  });
});

describe('Docker config parsing', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  test('a non-empty auth is decoded and overrides username/password', () => {
    assert.deepEqual(parseEntry({ username: 'u', password: 'p', auth: b64('real:secret:with:colons') }), {
      username: 'real',
      password: 'secret:with:colons',
    });
    assert.deepEqual(parseEntry({ username: 'u', password: 'p', auth: '' }), { username: 'u', password: 'p' });
    assert.deepEqual(parseEntry({ username: 'u', password: 'p', email: 'e@x' }), {
      username: 'u',
      password: 'p',
      email: 'e@x',
    });
  });

  test('an auth without a colon is rejected without quoting it', () => {
    assert.throws(
      () => parseEntry({ auth: b64('nocolon-secret') }),
      (err: Error) => !err.message.includes('nocolon-secret') && !err.message.includes(b64('nocolon-secret')),
    );
  });

  test('dockerconfigjson has an auths wrapper, dockercfg does not', () => {
    const entry = { 'reg.io': { username: 'u', password: 'p' } };
    assert.deepEqual(parseDockerConfigText(JSON.stringify({ auths: entry }), true), {
      'reg.io': { username: 'u', password: 'p' },
    });
    assert.deepEqual(parseDockerConfigText(JSON.stringify(entry), false), {
      'reg.io': { username: 'u', password: 'p' },
    });
    assert.deepEqual(parseDockerConfigText(JSON.stringify({ credsStore: 'desktop' }), true), {});
  });

  test('invalid JSON: the message does not quote the document', () => {
    assert.throws(
      () => parseDockerConfigText('{"auths": {"r": {"password": "hunter2"', true),
      (err: Error) => err.message === 'invalid JSON',
    );
  });
});
