// The kubelet side of the service-account volume: the projected volume admission adds is
// filled with a token from the token manager (refreshed by a later sync), the root CA and
// the namespace; a missing ServiceAccount is a FailedMount; every container gets the
// `kubernetes` service variables, which its own env overrides.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { admitServiceAccount } from '../../../src/apis/core/admit-serviceaccount.js';
import type { DataObject, ValidPod } from '../../../src/apis/core/types.js';
import type { CreateContainerRequest } from '../../../src/runtime/runtime.js';
import type { VolumePayloads } from '../../../src/runtime/projected-volumes.js';
import { TokenIssuer } from '../../../src/serviceaccount/token-issuer.js';
import { TokenManager } from '../../../src/serviceaccount/token-manager.js';
import { decodeJwtUnverified } from '../../../src/util/jwt.js';
import { pod } from '../../fixtures/pods.js';
import { newTestSync } from '../../fakes/sync-harness.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const rootCa: DataObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'kube-root-ca.crt', namespace: 'default' },
  data: { 'ca.crt': CA },
};
const issuer = new TokenIssuer(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);

function admitted(p: ValidPod): ValidPod {
  const sa = { apiVersion: 'v1' as const, kind: 'ServiceAccount' as const, metadata: { name: 'default', uid: 'u' } };
  return admitServiceAccount(
    p,
    () => sa,
    () => 'abcde',
  );
}

function setUp(saExists = true) {
  const h = newTestSync();
  h.deps.objects = (kind, _ns, name) => (kind === 'ConfigMap' && name === 'kube-root-ca.crt' ? rootCa : undefined);
  const tokens = new TokenManager(issuer, h.clock, () => (saExists ? 'sa-uid' : undefined));
  h.deps.serviceAccountToken = (p, req) =>
    tokens.getToken({
      namespace: p.metadata.namespace,
      serviceAccountName: p.spec.serviceAccountName ?? 'default',
      pod: { name: p.metadata.name, uid: p.metadata.uid },
      ...req,
    });
  h.deps.apiService = () => ({ host: '10.244.0.1', port: 10350 });
  return h;
}

const lastPayload = (h: ReturnType<typeof newTestSync>) =>
  (h.runtime.callsOf('setUpPodVolumes').at(-1)!.args[1] as VolumePayloads).get('kube-api-access-abcde')!;

describe('syncPod: the service-account volume', () => {
  test('token, ca.crt and namespace are written (tmpfs); the token is refreshed after 80 % of its life', async () => {
    const h = setUp();
    const p = admitted(pod({ containers: ['a'] }));
    h.admit(p);
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['a']);
    const v = lastPayload(h);
    assert.equal(v.tmpfs, true);
    assert.deepEqual([...v.payload.keys()].sort(), ['ca.crt', 'namespace', 'token']);
    assert.equal(v.payload.get('ca.crt')!.data.toString(), CA);
    assert.equal(v.payload.get('namespace')!.data.toString(), 'default');
    assert.equal(v.payload.get('token')!.mode, 0o644);
    const first = v.payload.get('token')!.data.toString();
    const claims = decodeJwtUnverified(first)!;
    assert.equal(claims.sub, 'system:serviceaccount:default:default');
    assert.equal((claims.exp as number) - (claims.iat as number), 3607);
    assert.deepEqual((claims['kubernetes.io'] as { pod: unknown }).pod, { name: 'web', uid: 'uid-1' });

    h.clock.advance(60_000);
    await h.sync(p);
    assert.equal(lastPayload(h).payload.get('token')!.data.toString(), first, 'same token before 80 %');
    h.clock.advance(2886_000 - 60_000 + 1000);
    await h.sync(p);
    assert.notEqual(lastPayload(h).payload.get('token')!.data.toString(), first, 'a new one after');
  });

  test('a missing ServiceAccount is a FailedMount and starts nothing', async () => {
    const h = setUp(false);
    const p = admitted(pod({ containers: ['a'] }));
    h.admit(p);
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), []);
    const e = h.events.list().find((x) => x.reason === 'FailedMount');
    assert.match(
      e?.message ?? '',
      /MountVolume.SetUp failed for volume "kube-api-access-abcde" : failed to fetch token: serviceaccounts "default" not found/,
    );
  });

  test('every container gets the kubernetes service variables; its own env wins', async () => {
    const h = setUp();
    const p = admitted(pod({ containers: ['a', 'b'] }));
    p.spec.containers[1]!.env = [{ name: 'KUBERNETES_SERVICE_HOST', value: 'mine' }];
    h.admit(p);
    await h.sync(p);
    const envs = h.runtime
      .callsOf('createContainer')
      .map((c) => (c.args[0] as CreateContainerRequest).env)
      .map((env) => Object.fromEntries(env.map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string])));
    assert.equal(envs[0]!.KUBERNETES_SERVICE_HOST, '10.244.0.1');
    assert.equal(envs[0]!.KUBERNETES_SERVICE_PORT, '10350');
    assert.equal(envs[0]!.KUBERNETES_PORT_10350_TCP_ADDR, '10.244.0.1');
    assert.equal(envs[1]!.KUBERNETES_SERVICE_HOST, 'mine');
  });
});
