// ServiceAccount admission (plugin/pkg/admission/serviceaccount/admission.go): the default
// ServiceAccount, the kube-api-access volume exactly as the plugin writes it, the opt-outs,
// and the API server's refusal when the ServiceAccount does not exist.
import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import {
  admitServiceAccount,
  randomNameSuffix,
  TOKEN_MOUNT_PATH,
} from '../../../../src/apis/core/admit-serviceaccount.js';
import type { ServiceAccount, ValidPod } from '../../../../src/apis/core/types.js';
import { KubeletError } from '../../../../src/util/errors.js';
import { validatePod } from '../../../../src/apis/core/validate.js';
import { pod } from '../../../fixtures/pods.js';

const sa = (name: string, extra: Partial<ServiceAccount> = {}): ServiceAccount => ({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  ...extra,
});
const accounts =
  (...list: ServiceAccount[]) =>
  (ns: string, name: string) =>
    list.find((a) => a.metadata.namespace === ns && a.metadata.name === name);
const fixed = () => 'x7k2q';

describe('ServiceAccount admission', () => {
  test('defaults to `default` and mounts kube-api-access-<5> read-only in init and app containers', () => {
    const p = admitServiceAccount(pod({ containers: ['a', 'b'], init: ['i'] }), accounts(sa('default')), fixed);
    assert.equal(p.spec.serviceAccountName, 'default');
    assert.equal(p.spec.serviceAccount, 'default', 'the deprecated field mirrors it');
    assert.deepEqual(p.spec.volumes, [
      {
        name: 'kube-api-access-x7k2q',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            {
              downwardAPI: {
                items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
              },
            },
          ],
        },
      },
    ]);
    for (const c of [...p.spec.initContainers!, ...p.spec.containers])
      assert.deepEqual(c.volumeMounts, [
        { name: 'kube-api-access-x7k2q', readOnly: true, mountPath: TOKEN_MOUNT_PATH },
      ]);
    assert.deepEqual(validatePod(p), [], 'what admission adds passes validation');
  });

  test('a missing ServiceAccount refuses the pod with the API server message', () => {
    const p = pod({ name: 'web' });
    p.spec.serviceAccountName = 'robot';
    assert.throws(
      () => admitServiceAccount(p, accounts(sa('default')), fixed),
      (err: unknown) =>
        err instanceof KubeletError &&
        err.code === 'Forbidden' &&
        err.message ===
          'pods "web" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found',
    );
    assert.throws(
      () => admitServiceAccount(pod(), accounts(), fixed),
      /error looking up service account default\/default: serviceaccount "default" not found/,
    );
  });

  test('the deprecated serviceAccount field names the account when serviceAccountName is empty', () => {
    const p = pod();
    p.spec.serviceAccount = 'robot';
    const out = admitServiceAccount(p, accounts(sa('robot')), fixed);
    assert.equal(out.spec.serviceAccountName, 'robot');
  });

  test('automountServiceAccountToken: false on the pod, or on the ServiceAccount, mounts nothing', () => {
    const p = pod();
    p.spec.automountServiceAccountToken = false;
    assert.equal(admitServiceAccount(p, accounts(sa('default')), fixed).spec.volumes, undefined);
    const q = admitServiceAccount(pod(), accounts(sa('default', { automountServiceAccountToken: false })), fixed);
    assert.equal(q.spec.volumes, undefined);
    assert.equal(q.spec.containers[0]!.volumeMounts, undefined);
  });

  test("the pod's true wins over the ServiceAccount's false", () => {
    const p = pod();
    p.spec.automountServiceAccountToken = true;
    const out = admitServiceAccount(p, accounts(sa('default', { automountServiceAccountToken: false })), fixed);
    assert.equal(out.spec.volumes?.length, 1);
  });

  test('a container with its own mount at the path keeps it; an existing kube-api-access- volume is reused', () => {
    const p: ValidPod = pod({ containers: ['own', 'other'] });
    p.spec.volumes = [{ name: 'mine', emptyDir: {} }];
    p.spec.containers[0]!.volumeMounts = [{ name: 'mine', mountPath: TOKEN_MOUNT_PATH }];
    const out = admitServiceAccount(p, accounts(sa('default')), fixed);
    assert.deepEqual(out.spec.containers[0]!.volumeMounts, [{ name: 'mine', mountPath: TOKEN_MOUNT_PATH }]);
    assert.equal(out.spec.containers[1]!.volumeMounts?.[0]?.name, 'kube-api-access-x7k2q');

    const q = pod();
    q.spec.volumes = [{ name: 'kube-api-access-abcde', emptyDir: {} }];
    const again = admitServiceAccount(q, accounts(sa('default')), fixed);
    assert.equal(again.spec.volumes?.length, 1, 'no second volume');
    assert.equal(again.spec.containers[0]!.volumeMounts?.[0]?.name, 'kube-api-access-abcde');
  });

  test("the ServiceAccount's imagePullSecrets apply only when the pod names none", () => {
    const withPull = sa('default', { imagePullSecrets: [{ name: 'reg' }] });
    assert.deepEqual(admitServiceAccount(pod(), accounts(withPull), fixed).spec.imagePullSecrets, [{ name: 'reg' }]);
    const p = pod();
    p.spec.imagePullSecrets = [{ name: 'own' }];
    assert.deepEqual(admitServiceAccount(p, accounts(withPull), fixed).spec.imagePullSecrets, [{ name: 'own' }]);
  });

  test('the random suffix uses the API server alphabet', () => {
    for (let i = 0; i < 50; i++) assert.match(randomNameSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
