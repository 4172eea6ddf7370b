// The ephemeral-volume controller's claim for a generic ephemeral volume
// (pkg/controller/volume/ephemeral/controller.go handleVolume): named `<pod>-<volume>`,
// the template's labels and annotations and spec, controlled by the pod so that the
// garbage collector deletes it with the pod.
import { volumeClaimName } from '../apis/core/pod-claims.js';
import type { ValidPod, Volume } from '../apis/core/types.js';

export interface ClaimBody {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: {
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences: unknown[];
  };
  spec: Record<string, unknown>;
}

/** The claim to create for `vol`, or undefined when it is not a generic ephemeral volume. */
export function ephemeralClaimBody(pod: ValidPod, vol: Volume): ClaimBody | undefined {
  const template = vol.ephemeral?.volumeClaimTemplate;
  if (!template) return undefined;
  const { labels, annotations } = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: volumeClaimName(pod, vol)!,
      ...(labels ? { labels } : {}),
      ...(annotations ? { annotations } : {}),
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: pod.metadata.name,
          uid: pod.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: template.spec ?? {},
  };
}
