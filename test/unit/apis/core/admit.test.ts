import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { admitObject, admitPod } from '../../../../src/apis/core/admit.js';
import { decodeManifests } from '../../../../src/apis/core/decode.js';
import type { ConfigMap, Secret, ValidPod } from '../../../../src/apis/core/types.js';
import { KubeletError, ValidationError } from '../../../../src/util/errors.js';
import { rawPod } from './helpers.js';

const NOW = Date.UTC(2026, 10, 23, 13, 47, 24, 789);
const opts = { now: NOW, uid: () => 'uid-1' };

function rejects(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof KubeletError);
    assert.equal(err.code, code);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('admitObject: Pods', () => {
  test('a pod is defaulted, validated and given uid, creationTimestamp and Pending status', () => {
    const pod = admitObject(rawPod(), opts) as ValidPod;
    assert.equal(pod.metadata.uid, 'uid-1');
    assert.equal(pod.metadata.creationTimestamp, '2026-11-23T13:47:24Z');
    assert.equal(pod.metadata.namespace, 'default');
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(pod.status, { phase: 'Pending' });
  });

  test('a client-chosen uid is ignored: the server assigns a random UUID', () => {
    for (const uid of ['mine', '../../victim', '..', '']) {
      const got = admitObject(rawPod({}, { uid }), { now: NOW }).metadata.uid!;
      assert.match(got, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, uid);
    }
  });

  test('server-owned metadata in a create request is replaced, as kube-apiserver BeforeCreate does', () => {
    const raw = rawPod(
      {},
      {
        uid: 'u',
        resourceVersion: '42',
        generation: 7,
        creationTimestamp: '2001-01-01T00:00:00Z',
        deletionTimestamp: '2001-01-01T00:00:00Z',
        deletionGracePeriodSeconds: 0,
        managedFields: [{ manager: 'x' }],
      },
    );
    const meta = admitObject(raw, opts).metadata;
    assert.equal(meta.uid, 'uid-1');
    assert.equal(meta.creationTimestamp, '2026-11-23T13:47:24Z');
    for (const k of ['resourceVersion', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const)
      assert.equal(meta[k], undefined, k);
    const secret = admitObject(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', uid: 'x', generation: 3 } },
      opts,
    ).metadata;
    assert.equal(secret.uid, 'uid-1');
    assert.equal(secret.generation, undefined);
  });

  test('the end-to-end path from YAML text', () => {
    const [doc] = decodeManifests(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  creationTimestamp: null\nspec:\n  containers:\n  - name: app\n    image: busybox\n',
    );
    const pod = admitPod(doc!.object, opts);
    assert.equal(pod.spec.containers[0]!.imagePullPolicy, 'Always');
    assert.equal(pod.metadata.creationTimestamp, '2026-11-23T13:47:24Z');
  });

  test('generateName produces a name', () => {
    const raw = rawPod({}, { name: undefined, generateName: 'web-' });
    assert.match(admitObject(raw, opts).metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('namespace: object, else request, else default', () => {
    assert.equal(admitObject(rawPod({}, { namespace: 'a' }), opts).metadata.namespace, 'a');
    assert.equal(admitObject(rawPod(), { ...opts, namespace: 'b' }).metadata.namespace, 'b');
    assert.equal(admitObject(rawPod({}, { namespace: 'c' }), { ...opts, namespace: 'c' }).metadata.namespace, 'c');
  });

  test('namespace mismatch is rejected with the API server text', () => {
    rejects(
      () => admitObject(rawPod({}, { namespace: 'a' }), { namespace: 'b' }),
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  test('unknown fields and validation errors are reported together', () => {
    const raw = rawPod({ containers: [{ name: 'app', imagee: 'busybox' }] });
    assert.throws(
      () => admitObject(raw, opts),
      (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.equal(err.code, 'Invalid');
        assert.equal(
          err.message,
          'Pod "web" is invalid: unknown field "spec.containers[0].imagee", spec.containers[0].image: Required value',
        );
        assert.equal(err.fieldErrors.length, 2);
        return true;
      },
    );
  });

  test('wrongly typed values stop before defaulting', () => {
    rejects(
      () => admitObject(rawPod({ containers: 'app' }), opts),
      'Invalid',
      'Pod "web" is invalid: spec.containers: Invalid value: "app": must be of type array',
    );
  });

  test('the input object is not mutated', () => {
    const raw = rawPod();
    const before = JSON.stringify(raw);
    admitObject(raw, opts);
    assert.equal(JSON.stringify(raw), before);
  });
});

describe('admitObject: kinds', () => {
  const rejected: [string, unknown, RegExp | string][] = [
    [
      'Deployment',
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } },
      'kind "Deployment" is not supported by minikubelet (supported: Pod, Secret, ConfigMap, ServiceAccount)',
    ],
    [
      'Service',
      { apiVersion: 'v1', kind: 'Service' },
      'kind "Service" is not supported by minikubelet (supported: Pod, Secret, ConfigMap, ServiceAccount)',
    ],
    ['missing kind', { apiVersion: 'v1' }, /Kind' is missing/],
    [
      'wrong apiVersion',
      { apiVersion: 'v2', kind: 'Pod' },
      'apiVersion "v2" is not supported for kind "Pod" (supported: v1)',
    ],
    ['missing apiVersion', { kind: 'Pod' }, /apiVersion' is missing/],
    ['not a mapping', ['x'], /must be a mapping/],
  ];
  for (const [name, raw, msg] of rejected)
    test(`rejects ${name}`, () => rejects(() => admitObject(raw, opts), 'BadRequest', msg));

  test('Secret: stringData becomes base64 data, type defaults to Opaque', () => {
    const s = admitObject(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
        data: { a: 'eA==' },
        stringData: { b: 'hello', a: 'y' },
      },
      opts,
    ) as Secret;
    assert.deepEqual(s.data, { a: 'eQ==', b: 'aGVsbG8=' });
    assert.equal(s.stringData, undefined);
    assert.equal(s.type, 'Opaque');
    assert.equal(s.metadata.namespace, 'default');
    assert.equal(s.metadata.uid, 'uid-1');
    assert.equal(s.metadata.creationTimestamp, '2026-11-23T13:47:24Z');
  });

  const badSecrets: [string, Record<string, unknown>, string][] = [
    [
      'bad base64',
      { data: { k: 'not base64!' } },
      'Secret "s" is invalid: data[k]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3',
    ],
    [
      'bad key',
      { data: { 'a/b': 'eA==' } },
      /^Secret "s" is invalid: data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist/.source,
    ],
    [
      'dockerconfigjson key required',
      { type: 'kubernetes.io/dockerconfigjson', data: {} },
      'Secret "s" is invalid: data[.dockerconfigjson]: Required value',
    ],
    [
      'dockerconfigjson must be JSON',
      { type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{oops' } },
      /^Secret "s" is invalid: data\[\.dockerconfigjson\]: Invalid value: "<secret contents redacted>": /.source,
    ],
    [
      'bad name',
      { metadata: { name: 'S' } },
      /^Secret "S" is invalid: metadata\.name: Invalid value: "S": a lowercase RFC 1123 subdomain/.source,
    ],
  ];
  for (const [name, extra, msg] of badSecrets) {
    test(`Secret: ${name}`, () => {
      const raw = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...extra };
      rejects(() => admitObject(raw, opts), 'Invalid', msg.startsWith('^') ? new RegExp(msg) : msg);
    });
  }

  test('ConfigMap: accepted with defaults; bad keys and duplicate binaryData keys rejected', () => {
    const cm = admitObject(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { 'app.conf': 'x=1' } },
      opts,
    ) as ConfigMap;
    assert.equal(cm.metadata.namespace, 'ns');
    assert.deepEqual(cm.data, { 'app.conf': 'x=1' });
    rejects(
      () =>
        admitObject(
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'a' }, binaryData: { k: 'eA==' } },
          opts,
        ),
      'Invalid',
      'ConfigMap "c" is invalid: data[k]: Invalid value: "k": duplicate of key present in binaryData',
    );
  });

  test('admitPod rejects other kinds', () => {
    rejects(
      () => admitPod({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, opts),
      'BadRequest',
      'expected kind Pod, got ConfigMap',
    );
  });
});

describe('admitObject: Object.prototype names are plain names', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    test(`${name} is an unknown field in the pod and in its containers`, () => {
      const raw = JSON.parse(
        `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"${name}":{"polluted":1},` +
          `"containers":[{"name":"app","image":"busybox","${name}":{"polluted":1}}]}}`,
      ) as unknown;
      rejects(
        () => admitObject(raw, opts),
        'Invalid',
        `Pod "web" is invalid: unknown field "spec.${name}", unknown field "spec.containers[0].${name}"`,
      );
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  test('a kind named after an Object.prototype member is not supported', () => {
    rejects(
      () => admitObject({ apiVersion: 'v1', kind: 'constructor' }, opts),
      'BadRequest',
      /kind "constructor" is not supported/,
    );
  });

  test('__proto__ is a valid Secret data key and stays one', () => {
    const raw = JSON.parse(
      '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"__proto__":"x","b":"y"}}',
    ) as unknown;
    const s = admitObject(raw, opts) as Secret;
    assert.deepEqual(Object.keys(s.data!), ['__proto__', 'b']);
    assert.equal(Object.getPrototypeOf(s.data), Object.prototype);
  });
});
