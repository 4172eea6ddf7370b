import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateCredentials, rotateToken, TokenFile } from '../../../src/server/credentials.js';
import { servingSans } from '../../../src/server/sans.js';

const SANS = servingSans('127.0.0.1');

test('servingSans: loopback always, the listen host, extra names; a wildcard adds the host', () => {
  assert.deepEqual(servingSans('127.0.0.1'), { dns: ['localhost'], ips: ['127.0.0.1', '::1'] });
  assert.deepEqual(servingSans('192.168.7.2', ['node.lan', '[fd00::1]', 'NODE.lan', '10.0.0.9']), {
    dns: ['localhost', 'node.lan'],
    ips: ['10.0.0.9', '127.0.0.1', '192.168.7.2', '::1', 'fd00::1'],
  });
  assert.deepEqual(servingSans('0.0.0.0', [], { hostname: 'box', addresses: ['172.17.0.1'] }), {
    dns: ['box', 'localhost'],
    ips: ['127.0.0.1', '172.17.0.1', '::1'],
  });
  assert.deepEqual(servingSans('my-host').dns, ['localhost', 'my-host']);
});

test('credentials: created 0600 in a 0700 dir, the cert covers the SANs and chains to the CA', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'mkl-pki-')), 'pki');
  const c = await loadOrCreateCredentials(dir, servingSans('127.0.0.1', ['node.lan']));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const f of readdirSync(dir)) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  const cert = new X509Certificate(c.certPem);
  const ca = new X509Certificate(c.caPem);
  assert.ok(cert.verify(ca.publicKey));
  assert.ok(cert.checkIP('127.0.0.1') && cert.checkIP('::1'));
  assert.equal(cert.checkHost('localhost'), 'localhost');
  assert.equal(cert.checkHost('node.lan'), 'node.lan');
  assert.equal(cert.checkHost('evil.example'), undefined);
  assert.ok(ca.ca && !cert.ca);
  assert.match(c.token, /^[A-Za-z0-9_-]{43}$/);
});

test('credentials: reused as they are; new SANs give a new serving cert from the same CA', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-pki-'));
  const a = await loadOrCreateCredentials(dir, SANS);
  const b = await loadOrCreateCredentials(dir, SANS);
  assert.deepEqual(b, a);
  const c = await loadOrCreateCredentials(dir, servingSans('127.0.0.1', ['other.lan']));
  assert.equal(c.caPem, a.caPem);
  assert.equal(c.token, a.token);
  assert.notEqual(c.certPem, a.certPem);
  assert.equal(new X509Certificate(c.certPem).checkHost('other.lan'), 'other.lan');
});

test('credentials: a serving cert near expiry is renewed at start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-pki-'));
  const old = await loadOrCreateCredentials(dir, SANS, new Date(Date.now() - 340 * 24 * 3600 * 1000));
  const now = await loadOrCreateCredentials(dir, SANS);
  assert.equal(now.caPem, old.caPem);
  assert.notEqual(now.certPem, old.certPem);
  assert.ok(new Date(new X509Certificate(now.certPem).validTo).getTime() > Date.now() + 300 * 24 * 3600 * 1000);
});

test('TokenFile: matches only the current token, and sees a rotation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-pki-'));
  const { token } = await loadOrCreateCredentials(dir, SANS);
  const tokens = new TokenFile(dir);
  assert.ok(tokens.matches(token));
  assert.ok(!tokens.matches(`${token}x`));
  assert.ok(!tokens.matches(''));
  const next = rotateToken(dir);
  assert.notEqual(next, token);
  assert.ok(tokens.matches(next));
  assert.ok(!tokens.matches(token));
  assert.ok(!new TokenFile(join(dir, 'missing')).matches(''));
});
