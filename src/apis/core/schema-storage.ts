// The decoder's schema of PersistentVolumeClaim and PersistentVolume (k8s.io/api/core/v1
// types.go), the fields minikubelet reads: strict decoding of claim bodies and the
// OpenAPI documents (kubectl explain pvc/pv) are generated from it.
import { objectReference } from './schema-cluster.js';
import { A, map, OBJECT_META, obj, Q, S, strings } from './schema.js';

const claimSpec = obj('PersistentVolumeClaimSpec', {
  accessModes: strings,
  resources: obj('VolumeResourceRequirements', { requests: map(Q), limits: map(Q) }),
  storageClassName: S,
  volumeName: S,
  volumeMode: S,
  selector: A,
  dataSource: A,
  dataSourceRef: A,
  volumeAttributesClassName: S,
});

export const PVC_SCHEMA = obj('PersistentVolumeClaim', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  spec: claimSpec,
  status: obj('PersistentVolumeClaimStatus', { phase: S, accessModes: strings, capacity: map(Q) }),
});

export const PV_SCHEMA = obj('PersistentVolume', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  spec: obj('PersistentVolumeSpec', {
    capacity: map(Q),
    accessModes: strings,
    claimRef: objectReference,
    persistentVolumeReclaimPolicy: S,
    storageClassName: S,
    volumeMode: S,
    local: obj('LocalVolumeSource', { path: S }),
    nodeAffinity: A,
  }),
  status: obj('PersistentVolumeStatus', { phase: S, lastPhaseTransitionTime: S }),
});
