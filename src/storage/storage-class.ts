// The one StorageClass of the node: `standard`, the default, served by the agent's
// built-in local provisioner (as kind's `standard` and k3s's `local-path`, both
// rancher.io/local-path: WaitForFirstConsumer, reclaim Delete). The agent serves it
// read-only: there is no other provisioner to give a second class to.
import { DEFAULT_CLASS_ANNOTATION, type StorageClass } from '../apis/core/storage-types.js';

export const DEFAULT_STORAGE_CLASS = 'standard';
export const LOCAL_PROVISIONER = 'minikubelet.io/local';

export function builtInStorageClasses(created: string): StorageClass[] {
  return [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        uid: '6b1f2c4e-0d1a-4c8e-9f3b-7a5d2e1c0b9a',
        resourceVersion: '1',
        creationTimestamp: created,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' },
      },
      provisioner: LOCAL_PROVISIONER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
  ];
}
