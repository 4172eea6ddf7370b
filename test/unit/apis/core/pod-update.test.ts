// Pod updates as the API server allows them (pkg/apis/core/validation ValidatePodUpdate).
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { admitPod, admitPodUpdate } from '../../../../src/apis/core/admit.js';
import type { Pod, ValidPod } from '../../../../src/apis/core/types.js';
import { ValidationError } from '../../../../src/util/errors.js';

const old: ValidPod = admitPod({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    containers: [{ name: 'app', image: 'busybox:1' }],
    initContainers: [{ name: 'init', image: 'busybox:1' }],
    activeDeadlineSeconds: 100,
    tolerations: [{ key: 'k', operator: 'Exists' }],
  },
});

function update(change: (p: Pod) => void): ValidPod | string {
  const next = structuredClone(old) as Pod;
  change(next);
  try {
    return admitPodUpdate(next, old);
  } catch (e) {
    assert.ok(e instanceof ValidationError, String(e));
    return e.message;
  }
}

test('pod update: images, labels, annotations, a lower deadline and added tolerations are allowed', () => {
  const r = update((p) => {
    p.spec.containers[0]!.image = 'busybox:2';
    p.spec.initContainers![0]!.image = 'busybox:2';
    p.metadata.labels = { tier: 'web' };
    p.metadata.annotations = { note: 'x' };
    p.spec.activeDeadlineSeconds = 50;
    p.spec.tolerations = [...(p.spec.tolerations ?? []), { key: 'j', operator: 'Exists' }];
  });
  assert.ok(typeof r === 'object', String(r));
  assert.equal(r.spec.containers[0]!.image, 'busybox:2');
  assert.equal(r.metadata.uid, old.metadata.uid);
  assert.equal(r.metadata.creationTimestamp, old.metadata.creationTimestamp);
});

test('pod update: everything else is refused with the API server message', () => {
  const cases: [string, (p: Pod) => void, RegExp][] = [
    [
      'restartPolicy',
      (p) => {
        p.spec.restartPolicy = 'Never';
      },
      /^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n {2}core\.PodSpec\{[\s\S]*- \tRestartPolicy: "Always",\n\+ \tRestartPolicy: "Never",/,
    ],
    [
      'a container command',
      (p) => {
        p.spec.containers[0]!.command = ['sh'];
      },
      /pod updates may not change fields other than/,
    ],
    [
      'an added container',
      (p) => {
        p.spec.containers.push({ name: 'b', image: 'x' });
      },
      /spec\.containers: Forbidden: pod updates may not add or remove containers/,
    ],
    [
      'a raised deadline',
      (p) => {
        p.spec.activeDeadlineSeconds = 200;
      },
      /spec\.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value/,
    ],
    [
      'an unset deadline',
      (p) => {
        delete p.spec.activeDeadlineSeconds;
      },
      /must not update from a positive integer to nil value/,
    ],
    [
      'a removed toleration',
      (p) => {
        p.spec.tolerations = [];
      },
      /spec\.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds/,
    ],
    [
      'the uid',
      (p) => {
        p.metadata.uid = 'other';
      },
      /metadata\.uid: Invalid value: "other": field is immutable/,
    ],
    [
      'an empty image',
      (p) => {
        p.spec.containers[0]!.image = '';
      },
      /spec\.containers\[0\]\.image: Required value/,
    ],
  ];
  for (const [what, change, want] of cases) {
    const r = update(change);
    assert.equal(typeof r, 'string', `${what} was accepted`);
    assert.match(r as string, want, what);
  }
});

test('pod update keeps the identity: uid and creationTimestamp of the live pod; another uid is refused', () => {
  const r = update((p) => {
    p.metadata.labels = { env: 'dev' };
  });
  assert.ok(typeof r === 'object', String(r));
  assert.equal(r.metadata.uid, old.metadata.uid);
  assert.equal(r.metadata.creationTimestamp, old.metadata.creationTimestamp);
  const withoutUid = update((p) => {
    delete p.metadata.uid;
  });
  assert.ok(typeof withoutUid === 'object', String(withoutUid));
  assert.equal(withoutUid.metadata.uid, old.metadata.uid);
  assert.match(
    String(
      update((p) => {
        p.metadata.uid = 'other';
      }),
    ),
    /metadata\.uid: Invalid value: "other": field is immutable/,
  );
});
