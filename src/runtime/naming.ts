// Docker container names carry the pod identity (cri-dockerd core/naming.go):
//   sandbox:   k8s_POD_<pod>_<namespace>_<uid>_<attempt>
//   container: k8s_<container>_<pod>_<namespace>_<uid>_<restartCount>
// plus an optional `_<8 hex>` suffix added when the plain name was taken.
// Changing this format breaks adoption of containers created by older agents.
// Kubernetes names never contain `_` (DNS labels/subdomains), so `_` splits safely.
import { randomBytes } from 'node:crypto';
import type { Container, ValidPod } from '../apis/core/types.js';

const PREFIX = 'k8s';
export const SANDBOX_CONTAINER_NAME = 'POD';

export interface ParsedName {
  containerName: string;
  podName: string;
  namespace: string;
  uid: string;
  attempt: number;
  /** The random suffix of a conflict-renamed container, if any. */
  suffix?: string;
}

function build(container: string, pod: ValidPod, attempt: number): string {
  const m = pod.metadata;
  return [PREFIX, container, m.name, m.namespace, m.uid, String(attempt)].join('_');
}

export function sandboxName(pod: ValidPod, attempt: number): string {
  return build(SANDBOX_CONTAINER_NAME, pod, attempt);
}

export function containerName(pod: ValidPod, container: Container, restartCount: number): string {
  return build(container.name, pod, restartCount);
}

/** The name with a random `_<8 hex>` suffix, used after a name conflict. */
export function randomizedName(name: string): string {
  return `${name}_${randomBytes(4).toString('hex')}`;
}

/** Parse a name made above; Docker reports names with a leading `/`. Undefined if not ours. */
export function parseName(name: string): ParsedName | undefined {
  const parts = name.replace(/^\//, '').split('_');
  if (parts.length !== 6 && parts.length !== 7) return undefined;
  const [prefix, containerName, podName, namespace, uid, attemptText, suffix] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (prefix !== PREFIX || !/^\d+$/.test(attemptText)) return undefined;
  const parsed: ParsedName = { containerName, podName, namespace, uid, attempt: Number(attemptText) };
  if (suffix !== undefined) parsed.suffix = suffix;
  return parsed;
}
