// Ephemeral containers as the API server admits them: refused on create, added only
// through the subresource write (admitEphemeralContainersUpdate), add-only, with the
// fields that make a container part of the pod's service forbidden.
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { admitEphemeralContainersUpdate, admitPod, admitPodUpdate } from '../../../../src/apis/core/admit.js';
import type { EphemeralContainer, Pod, ValidPod } from '../../../../src/apis/core/types.js';
import { ValidationError } from '../../../../src/util/errors.js';
import { CONFIG_SOURCE_ANNOTATION } from '../../../../src/apis/core/pod-util.js';

const old: ValidPod = admitPod({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    containers: [{ name: 'app', image: 'busybox:1' }],
    initContainers: [{ name: 'init', image: 'busybox:1' }],
  },
});

/** What kubectl debug sends (the patched pod), with `ecs` as the list. */
function withEphemeral(base: Pod, ecs: Partial<EphemeralContainer>[]): Pod {
  const next = structuredClone(base);
  next.spec.ephemeralContainers = ecs as EphemeralContainer[];
  return next;
}

function write(base: ValidPod, ecs: Partial<EphemeralContainer>[]): ValidPod | string {
  try {
    return admitEphemeralContainersUpdate(withEphemeral(base, ecs), base);
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.message;
  }
}

const debuggerEc = {
  name: 'debugger-abcde',
  image: 'busybox:1',
  stdin: true,
  tty: true,
  targetContainerName: 'app',
  terminationMessagePolicy: 'File' as const,
  resources: {},
};

test('ephemeral: refused on create with the API server message', () => {
  assert.throws(
    () =>
      admitPod({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: { containers: [{ name: 'app', image: 'busybox:1' }], ephemeralContainers: [{ name: 'd', image: 'b' }] },
      }),
    (e: unknown) =>
      e instanceof ValidationError &&
      e.message === 'Pod "web" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create',
  );
});

test("ephemeral: kubectl debug's entry is added and defaulted; the rest of the request is ignored", () => {
  const req = withEphemeral(old, [debuggerEc]);
  req.spec.containers[0]!.image = 'changed:2';
  req.metadata.labels = { dropped: 'yes' };
  const r = admitEphemeralContainersUpdate(req, old);
  assert.equal(r.spec.containers[0]!.image, 'busybox:1');
  assert.equal(r.metadata.labels, undefined);
  assert.equal(r.metadata.uid, old.metadata.uid);
  const ec = r.spec.ephemeralContainers![0]!;
  assert.equal(ec.imagePullPolicy, 'IfNotPresent');
  assert.equal(ec.terminationMessagePath, '/dev/termination-log');
  assert.equal(ec.targetContainerName, 'app');
});

test('ephemeral: an added one may not be removed or changed', () => {
  const once = write(old, [debuggerEc]);
  assert.ok(typeof once === 'object', String(once));
  assert.equal(
    write(once, []),
    'Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger-abcde" may not be removed',
  );
  assert.equal(
    write(once, [{ ...debuggerEc, image: 'other:1' }]),
    'Pod "web" is invalid: spec.ephemeralContainers[debugger-abcde]: Forbidden: existing ephemeral containers "debugger-abcde" may not be changed',
  );
  const twice = write(once, [debuggerEc, { name: 'second', image: 'busybox:1' }]);
  assert.ok(typeof twice === 'object', String(twice));
  assert.deepEqual(
    twice.spec.ephemeralContainers!.map((c) => c.name),
    ['debugger-abcde', 'second'],
  );
});

test('ephemeral: names unique across every container; the target must exist', () => {
  assert.equal(
    write(old, [{ name: 'app', image: 'b' }]),
    'Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "app"',
  );
  assert.equal(
    write(old, [{ name: 'init', image: 'b' }]),
    'Pod "web" is invalid: spec.ephemeralContainers[0].name: Duplicate value: "init"',
  );
  assert.equal(
    write(old, [{ name: 'd', image: 'b', targetContainerName: 'nope' }]),
    'Pod "web" is invalid: spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
  );
  assert.ok(typeof write(old, [{ name: 'd', image: 'b', targetContainerName: 'init' }]) === 'object');
});

test('ephemeral: service fields cannot be set for an Ephemeral Container', () => {
  const msg = write(old, [
    {
      name: 'd',
      image: 'b',
      ports: [{ containerPort: 80 }],
      readinessProbe: { exec: { command: ['true'] } },
      lifecycle: { preStop: { exec: { command: ['true'] } } },
      resources: { limits: { cpu: '1' } },
      volumeMounts: [{ name: 'v', mountPath: '/x', subPath: 'a' }],
    },
  ]);
  assert.equal(typeof msg, 'string');
  for (const f of ['ports', 'resources', 'lifecycle', 'readinessProbe', 'volumeMounts[0].subPath'])
    assert.ok(
      (msg as string).includes(`spec.ephemeralContainers[0].${f}: Forbidden: cannot be set for an Ephemeral Container`),
      `${f}: ${msg}`,
    );
  // The mount names an unknown volume too: the allowed part is validated like any container.
  assert.match(msg as string, /spec\.ephemeralContainers\[0\]\.volumeMounts\[0\]\.name: Not found: "v"/);
});

test('ephemeral: a static pod is refused with the API server message', () => {
  const fromFile = structuredClone(old);
  fromFile.metadata.annotations = { [CONFIG_SOURCE_ANNOTATION]: 'file' };
  assert.equal(
    write(fromFile, [debuggerEc]),
    'Pod "web" is invalid: []: Forbidden: static pods do not support ephemeral containers',
  );
});

test('ephemeral: the main resource cannot add them (a forbidden spec change)', () => {
  assert.throws(
    () => admitPodUpdate(withEphemeral(old, [debuggerEc]), old),
    (e: unknown) => e instanceof ValidationError && /pod updates may not change fields/.test(e.message),
  );
  // …but a PUT that carries the existing ones unchanged is fine.
  const added = write(old, [debuggerEc]) as ValidPod;
  const put = structuredClone(added) as Pod;
  put.metadata.labels = { a: 'b' };
  assert.equal(admitPodUpdate(put, added).metadata.labels?.a, 'b');
});
