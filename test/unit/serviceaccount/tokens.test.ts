// Bound service-account tokens: the claims kube-apiserver puts in them, the checks its
// authenticator makes, and the kubelet token manager's refresh at 80 % of the lifetime.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ISSUER,
  loadOrCreateSigningKey,
  TokenIssuer,
  type BindingLookup,
} from '../../../src/serviceaccount/token-issuer.js';
import { requiresRefresh, TokenManager } from '../../../src/serviceaccount/token-manager.js';
import { decodeJwtUnverified, keyId, verifyJwt } from '../../../src/util/jwt.js';
import { FakeClock } from '../../fakes/fake-clock.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const issuer = new TokenIssuer(privateKey);
const NOW = Date.parse('2026-01-01T00:00:00Z');
const binding = {
  namespace: 'default',
  serviceAccount: { name: 'default', uid: 'sa-uid' },
  pod: { name: 'web', uid: 'pod-uid' },
  audiences: [],
  expirationSeconds: 3607,
};
const live: BindingLookup = {
  serviceAccountUid: (ns, n) => (ns === 'default' && n === 'default' ? 'sa-uid' : undefined),
  podUid: (ns, n) => (ns === 'default' && n === 'web' ? 'pod-uid' : undefined),
};

describe('token issuer', () => {
  test('claims are those of a kube-apiserver bound token', () => {
    const { token, issuedAt, expiresAt } = issuer.issue(binding, NOW);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
    assert.deepEqual(header, { alg: 'RS256', kid: keyId(privateKey) });
    const c = decodeJwtUnverified(token)!;
    const iat = NOW / 1000;
    assert.deepEqual(
      { ...c, jti: typeof c.jti },
      {
        aud: [ISSUER],
        exp: iat + 3607,
        iat,
        iss: ISSUER,
        jti: 'string',
        'kubernetes.io': {
          namespace: 'default',
          pod: { name: 'web', uid: 'pod-uid' },
          serviceaccount: { name: 'default', uid: 'sa-uid' },
        },
        nbf: iat,
        sub: 'system:serviceaccount:default:default',
      },
    );
    assert.equal(expiresAt - issuedAt, 3607_000);
  });

  test('a valid token authenticates as the ServiceAccount with its groups', () => {
    const { token } = issuer.issue(binding, NOW);
    assert.deepEqual(issuer.authenticate(token, NOW + 1000, live), {
      username: 'system:serviceaccount:default:default',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      namespace: 'default',
      serviceAccount: 'default',
    });
  });

  test('expired, pod gone or replaced, ServiceAccount re-created, other audience, forged: refused', () => {
    const { token } = issuer.issue(binding, NOW);
    assert.equal(issuer.authenticate(token, NOW + 3607_000 + 61_000, live), undefined, 'expired');
    assert.equal(issuer.authenticate(token, NOW, { ...live, podUid: () => undefined }), undefined, 'pod deleted');
    assert.equal(issuer.authenticate(token, NOW, { ...live, podUid: () => 'other' }), undefined, 'pod replaced');
    assert.equal(
      issuer.authenticate(token, NOW, { ...live, serviceAccountUid: () => 'new-uid' }),
      undefined,
      'ServiceAccount re-created',
    );
    const vault = issuer.issue({ ...binding, audiences: ['vault'] }, NOW).token;
    assert.deepEqual(decodeJwtUnverified(vault)?.aud, ['vault']);
    assert.equal(issuer.authenticate(vault, NOW, live), undefined, 'not for the API');
    const other = new TokenIssuer(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
    assert.equal(issuer.authenticate(other.issue(binding, NOW).token, NOW, live), undefined, 'another key');
    const [h, p] = token.split('.');
    const claims = { ...decodeJwtUnverified(token), sub: 'system:serviceaccount:kube-system:default' };
    const tampered = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${token.split('.')[2]}`;
    assert.equal(issuer.authenticate(tampered, NOW, live), undefined, 'tampered payload');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    assert.equal(verifyJwt(none, privateKey), undefined, 'alg none');
    assert.equal(issuer.authenticate('not-a-jwt', NOW, live), undefined);
  });

  test('the signing key is created once, 0600, and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkl-sa-key-'));
    try {
      const a = loadOrCreateSigningKey(dir);
      assert.equal(statSync(join(dir, 'sa.key')).mode & 0o777, 0o600);
      const b = loadOrCreateSigningKey(dir);
      assert.equal(keyId(a), keyId(b));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('token manager', () => {
  const req = { namespace: 'default', serviceAccountName: 'default', pod: binding.pod, expirationSeconds: 3600 };

  test('caches the token until 80 % of its lifetime, then requests a new one', () => {
    const clock = new FakeClock(NOW);
    const m = new TokenManager(issuer, clock, () => 'sa-uid');
    const first = m.getToken(req);
    clock.advance(2879_000); // 79.97 %
    assert.equal(m.getToken(req), first);
    clock.advance(2_000); // past 80 %
    const second = m.getToken(req);
    assert.notEqual(second, first);
    assert.equal(decodeJwtUnverified(second)?.iat, (NOW + 2881_000) / 1000);
  });

  test('one token per audience and pod; a deleted pod drops its tokens', () => {
    const m = new TokenManager(issuer, new FakeClock(NOW), () => 'sa-uid');
    m.getToken(req);
    m.getToken({ ...req, audience: 'vault' });
    m.getToken({ ...req, pod: { name: 'b', uid: 'other' } });
    assert.equal(m.size, 3);
    m.deletePodTokens('pod-uid');
    assert.equal(m.size, 1);
  });

  test('a missing ServiceAccount fails as the kubelet reports it', () => {
    const m = new TokenManager(issuer, new FakeClock(NOW), () => undefined);
    assert.throws(() => m.getToken(req), /^Error: failed to fetch token: serviceaccounts "default" not found$/);
  });

  test('requiresRefresh: 80 % of the lifetime or 24 h', () => {
    const t = { token: '', issuedAt: 0, expiresAt: 100_000 };
    assert.equal(requiresRefresh(t, 80_000), false);
    assert.equal(requiresRefresh(t, 80_001), true);
    const long = { token: '', issuedAt: 0, expiresAt: 10 * 24 * 3600_000 };
    assert.equal(requiresRefresh(long, 24 * 3600_000 + 1), true);
  });
});
