// PVC admission as the API server answers it (ValidatePersistentVolumeClaim), the
// VolumeBinding filter's messages and the printers' rows.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { admitClaim } from '../../../src/apis/core/validate-pvc.js';
import type { PersistentVolumeClaim } from '../../../src/apis/core/storage-types.js';
import type { ValidPod } from '../../../src/apis/core/types.js';
import { ValidationError } from '../../../src/util/errors.js';
import { volumeBindingPreFilter } from '../../../src/sources/volume-binding-filter.js';
import { fitErrorMessage } from '../../../src/scheduling/filters.js';

/** The PreFilter's verdict as the pod's PodScheduled condition shows it. */
const volumeBindingRefusal = (pod: ValidPod, lookup: Parameters<typeof volumeBindingPreFilter>[1]) => {
  const f = volumeBindingPreFilter(pod, lookup);
  return f && { reason: 'Unschedulable', message: fitErrorMessage(f, pod) };
};
import { accessModesText, claimRow, storageClassRow, volumeRow } from '../../../src/printers/storage-columns.js';
import { builtInStorageClasses } from '../../../src/storage/storage-class.js';
import { pod } from '../../fixtures/pods.js';

const opts = { namespace: 'default', now: Date.parse('2026-01-01T00:00:00Z'), defaultClass: 'standard' };
const errorsOf = (raw: unknown): string => {
  try {
    admitClaim(raw, opts);
  } catch (e) {
    if (e instanceof ValidationError) return e.message;
    throw e;
  }
  return '';
};

describe('PVC admission', () => {
  test('accessModes and resources.requests.storage are required, values checked', () => {
    assert.equal(
      errorsOf({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'x' }, spec: {} }),
      'PersistentVolumeClaim "x" is invalid: spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value',
    );
    const msg = errorsOf({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'x' },
      spec: {
        accessModes: ['ReadWriteOncePod', 'Sometimes'],
        resources: { requests: { storage: '0' } },
        volumeMode: 'Raw',
      },
    });
    assert.match(
      msg,
      /spec.accessModes: Unsupported value: "Sometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"/,
    );
    assert.match(msg, /spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes/);
    assert.match(msg, /spec.resources\[storage\]: Invalid value: "0": must be greater than zero/);
    assert.match(msg, /spec.volumeMode: Unsupported value: "Raw"/);
  });

  test('wrong JSON types and unknown fields are refused before anything reads them', () => {
    assert.equal(
      errorsOf({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'a', finalizers: 'x' },
        spec: { accessModes: 'RWO', storageClassName: 7, resources: { requests: 'x' }, sizee: 1 },
      }),
      'PersistentVolumeClaim "a" is invalid: metadata.finalizers: Invalid value: "x": must be of type array, spec.accessModes: Invalid value: "RWO": must be of type array, spec.storageClassName: Invalid value: 7: must be of type string, spec.resources.requests: Invalid value: "x": must be of type object, unknown field "spec.sizee"',
    );
  });

  test('a bad name and an explicit class are checked; an explicit class is kept', () => {
    const spec = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };
    assert.match(
      errorsOf({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'Bad_Name' }, spec }),
      /metadata.name: Invalid value: "Bad_Name"/,
    );
    const c = admitClaim(
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'x' },
        spec: { ...spec, storageClassName: '' },
      },
      opts,
    );
    assert.equal(c.spec.storageClassName, '', 'an empty class means "no class", not the default');
  });
});

describe('VolumeBinding filter', () => {
  const claim = (name: string, meta: Partial<PersistentVolumeClaim['metadata']> = {}): PersistentVolumeClaim => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', ...meta },
    spec: {},
  });
  const withVolumes = (volumes: ValidPod['spec']['volumes']): ValidPod => {
    const p = pod({ name: 'web' });
    return { ...p, spec: { ...p.spec, volumes } };
  };
  const tail = '. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';

  test('missing, being deleted, not owned; present claims pass', () => {
    const vols = [{ name: 'd', persistentVolumeClaim: { claimName: 'my-pvc' } }];
    assert.deepEqual(
      volumeBindingRefusal(withVolumes(vols), () => undefined),
      {
        reason: 'Unschedulable',
        message: `0/1 nodes are available: persistentvolumeclaim "my-pvc" not found${tail}`,
      },
    );
    assert.equal(
      volumeBindingRefusal(withVolumes(vols), () => claim('my-pvc', { deletionTimestamp: '2026-01-01T00:00:00Z' }))
        ?.message,
      `0/1 nodes are available: persistentvolumeclaim "my-pvc" is being deleted${tail}`,
    );
    assert.equal(
      volumeBindingRefusal(withVolumes(vols), () => claim('my-pvc')),
      undefined,
    );
    const eph = [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } }];
    assert.equal(
      volumeBindingRefusal(withVolumes(eph), () => claim('web-scratch'))?.message,
      `0/1 nodes are available: PVC default/web-scratch was not created for pod default/web (pod is not owner)${tail}`,
    );
    const owned = claim('web-scratch', { ownerReferences: [{ kind: 'Pod', uid: 'uid-1', controller: true }] });
    assert.equal(
      volumeBindingRefusal(withVolumes(eph), () => owned),
      undefined,
    );
    assert.equal(
      volumeBindingRefusal(withVolumes([{ name: 'e', emptyDir: {} }]), () => undefined),
      undefined,
    );
  });
});

describe('storage printers', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  test('pvc rows: blank capacity/modes until bound, Terminating, <unset> attributes class', () => {
    const c: PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { storageClassName: 'standard', volumeMode: 'Filesystem' },
      status: { phase: 'Pending' },
    };
    assert.deepEqual(claimRow(c, now), ['data', 'Pending', '', '', '', 'standard', '<unset>', '60s', 'Filesystem']);
    const bound: PersistentVolumeClaim = {
      ...c,
      metadata: { ...c.metadata, deletionTimestamp: '2026-01-01T00:00:30Z' },
      spec: { ...c.spec, volumeName: 'pvc-1' },
      status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOncePod', 'ReadWriteOnce'] },
    };
    assert.deepEqual(claimRow(bound, now).slice(0, 5), ['data', 'Terminating', 'pvc-1', '1Gi', 'RWO,RWOP']);
  });

  test('pv and storage class rows', () => {
    assert.equal(accessModesText(['ReadWriteMany', 'ReadOnlyMany']), 'ROX,RWX');
    const row = volumeRow(
      {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: 'pvc-1', creationTimestamp: '2026-01-01T00:00:00Z' },
        spec: {
          capacity: { storage: '1Gi' },
          accessModes: ['ReadWriteOnce'],
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'u' },
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: 'standard',
          volumeMode: 'Filesystem',
        },
        status: { phase: 'Bound' },
      },
      now,
    );
    assert.deepEqual(row, [
      'pvc-1',
      '1Gi',
      'RWO',
      'Delete',
      'Bound',
      'default/data',
      'standard',
      '<unset>',
      '',
      '60s',
      'Filesystem',
    ]);
    const [sc] = builtInStorageClasses('2026-01-01T00:00:00Z');
    assert.deepEqual(storageClassRow(sc!, now), [
      'standard (default)',
      'minikubelet.io/local',
      'Delete',
      'WaitForFirstConsumer',
      true,
      '60s',
    ]);
  });
});
