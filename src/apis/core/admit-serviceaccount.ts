// The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount/admission.go
// Admit, mountServiceAccountToken, TokenVolumeSource) for pods created through the API:
// the pod runs as `default` unless it names another ServiceAccount, a missing one refuses
// the pod, and unless automount is off (pod, else ServiceAccount) every init and app
// container gets the projected `kube-api-access-<5 random>` volume read-only at
// /var/run/secrets/kubernetes.io/serviceaccount. Static pods never pass here (a kubelet
// does not run API admission on its manifests), so they get no token, as on a node.
import { KubeletError } from '../../util/errors.js';
import type { Container, ServiceAccount, ValidPod, Volume } from './types.js';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
/** ServiceAccountVolumeName: the prefix of the generated volume's name. */
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
/** DefaultAPITokenMountPath. */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The ConfigMap the root-ca-cert-publisher keeps in every namespace. */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: 1 h + 7 s, so a too-old token is recognisable. */
export const ADMISSION_TOKEN_EXPIRATION_SECONDS = 3607;

/** TokenVolumeSource: exactly what the plugin writes (so `get pod -o yaml` shows the same). */
export function tokenVolumeSource(): NonNullable<Volume['projected']> {
  return {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: ADMISSION_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: ROOT_CA_CONFIGMAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  } as NonNullable<Volume['projected']>;
}

/** The pod field wins, then the ServiceAccount's, then true (admission.go shouldAutomount). */
export function shouldAutomount(sa: ServiceAccount, pod: ValidPod): boolean {
  return pod.spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
}

/**
 * Admits `pod` (mutated in place and returned). `lookup` finds a ServiceAccount of the
 * pod's namespace; `suffix` makes the volume name's 5 random characters (tests fix it).
 */
export function admitServiceAccount(
  pod: ValidPod,
  lookup: (namespace: string, name: string) => ServiceAccount | undefined,
  suffix: () => string,
): ValidPod {
  const spec = pod.spec;
  // v1 conversion: the deprecated field fills an empty serviceAccountName, and mirrors it on output.
  spec.serviceAccountName ||= spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
  spec.serviceAccount = spec.serviceAccountName;
  const ns = pod.metadata.namespace;
  const sa = lookup(ns, spec.serviceAccountName);
  if (!sa) {
    throw new KubeletError(
      'Forbidden',
      `pods "${pod.metadata.name}" is forbidden: error looking up service account ${ns}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
      { resource: 'pods', name: pod.metadata.name },
    );
  }
  if (shouldAutomount(sa, pod)) mountServiceAccountToken(pod, suffix);
  // The ServiceAccount's pull secrets apply when the pod names none.
  if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length)
    spec.imagePullSecrets = sa.imagePullSecrets.map((r) => ({ name: r.name ?? '' }));
  return pod;
}

function mountServiceAccountToken(pod: ValidPod, suffix: () => string): void {
  const spec = pod.spec;
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const name = existing?.name ?? TOKEN_VOLUME_PREFIX + suffix();
  let needed = false;
  // Ephemeral containers are added through a subresource the plugin skips: they get none.
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) if (addMount(c, name)) needed = true;
  if (!existing && needed) spec.volumes = [...(spec.volumes ?? []), { name, projected: tokenVolumeSource() }];
}

/** A container with its own mount at the path keeps it (and gets none). */
function addMount(c: Container, volume: string): boolean {
  if ((c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) return false;
  c.volumeMounts = [...(c.volumeMounts ?? []), { name: volume, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
  return true;
}

/** names.SimpleNameGenerator: 5 characters of the API server's alphabet (no vowels, no 0/1/3). */
export function randomNameSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}
