// Docker has no annotations, so the kubelet's container annotations become labels
// prefixed `annotation.` (cri-dockerd). State that must survive an agent restart —
// restart count, spec hash, container type, preStop, grace — lives here, so adoption
// is a relist, not a database. Never label env values: they may be secrets.
import { createHash } from 'node:crypto';
import type { Container, ValidPod } from '../apis/core/types.js';
import type { ContainerType } from './runtime.js';
import { SANDBOX_CONTAINER_NAME } from './naming.js';
import { stableStringify } from '../util/stable-json.js';

export const LABEL = {
  podName: 'io.kubernetes.pod.name',
  podNamespace: 'io.kubernetes.pod.namespace',
  podUid: 'io.kubernetes.pod.uid',
  containerName: 'io.kubernetes.container.name',
  dockerType: 'io.kubernetes.docker.type',
  sandboxId: 'io.kubernetes.sandbox.id',
  /** Which agent owns the container: every list and event filter includes it. */
  agent: 'io.minikubelet.agent',
  sandboxAttempt: 'io.minikubelet.sandbox.attempt',
  /** The image as written in the spec (Config.Image may be a resolved form). */
  image: 'io.minikubelet.image',
  hash: 'annotation.io.kubernetes.container.hash',
  restartCount: 'annotation.io.kubernetes.container.restartCount',
  terminationMessagePath: 'annotation.io.kubernetes.container.terminationMessagePath',
  terminationMessagePolicy: 'annotation.io.kubernetes.container.terminationMessagePolicy',
  preStopHandler: 'annotation.io.kubernetes.container.preStopHandler',
  ports: 'annotation.io.kubernetes.container.ports',
  containerType: 'annotation.io.kubernetes.container.type',
  terminationGracePeriod: 'annotation.io.kubernetes.pod.terminationGracePeriod',
  /** On a sandbox whose network the CNI plugins set up: the CNI network's name. */
  cniNetwork: 'io.minikubelet.cni.network',
  /** On the pod network and on emptyDir volumes. */
  network: 'io.minikubelet.network',
} as const;

export const DOCKER_TYPE_SANDBOX = 'podsandbox';
export const DOCKER_TYPE_CONTAINER = 'container';
const ANNOTATION_PREFIX = 'annotation.';
/** kubectl apply's copy of the whole object: large and useless on a container. */
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

export function agentFilter(agentId: string): string {
  return `${LABEL.agent}=${agentId}`;
}
export function podUidFilter(uid: string): string {
  return `${LABEL.podUid}=${uid}`;
}

function podIdentity(pod: ValidPod, agentId: string): Record<string, string> {
  return {
    [LABEL.podName]: pod.metadata.name,
    [LABEL.podNamespace]: pod.metadata.namespace,
    [LABEL.podUid]: pod.metadata.uid,
    [LABEL.agent]: agentId,
  };
}

export function sandboxLabels(pod: ValidPod, agentId: string, attempt: number): Record<string, string> {
  const labels: Record<string, string> = { ...(pod.metadata.labels ?? {}) };
  for (const [k, v] of Object.entries(pod.metadata.annotations ?? {})) {
    if (!SKIPPED_ANNOTATIONS.has(k)) labels[ANNOTATION_PREFIX + k] = v;
  }
  // Our keys last: a pod label can never forge the identity labels.
  return {
    ...labels,
    ...podIdentity(pod, agentId),
    [LABEL.containerName]: SANDBOX_CONTAINER_NAME,
    [LABEL.dockerType]: DOCKER_TYPE_SANDBOX,
    [LABEL.sandboxAttempt]: String(attempt),
  };
}

export interface ContainerLabelInput {
  pod: ValidPod;
  container: Container;
  type: ContainerType;
  sandboxId: string;
  restartCount: number;
  agentId: string;
}

export function containerLabels(i: ContainerLabelInput): Record<string, string> {
  const c = i.container;
  const labels: Record<string, string> = {
    ...podIdentity(i.pod, i.agentId),
    [LABEL.containerName]: c.name,
    [LABEL.dockerType]: DOCKER_TYPE_CONTAINER,
    [LABEL.sandboxId]: i.sandboxId,
    [LABEL.image]: c.image ?? '',
    [LABEL.hash]: containerHash(c),
    [LABEL.restartCount]: String(i.restartCount),
    [LABEL.terminationMessagePath]: c.terminationMessagePath ?? '/dev/termination-log',
    [LABEL.terminationMessagePolicy]: c.terminationMessagePolicy ?? 'File',
    [LABEL.containerType]: i.type,
    [LABEL.terminationGracePeriod]: String(i.pod.spec.terminationGracePeriodSeconds),
  };
  if (c.lifecycle?.preStop) labels[LABEL.preStopHandler] = JSON.stringify(c.lifecycle.preStop);
  if (c.ports?.length) labels[LABEL.ports] = JSON.stringify(c.ports);
  return labels;
}

/** What a runtime container's labels say about it (tolerant of missing labels). */
export interface ContainerLabelInfo {
  podUid: string;
  podName: string;
  namespace: string;
  containerName: string;
  isSandbox: boolean;
  type: ContainerType;
  sandboxId: string;
  restartCount: number;
  attempt: number;
  hash: string;
  image?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
}

function int(v: string | undefined): number {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

export function readLabels(labels: Record<string, string> | undefined): ContainerLabelInfo {
  const l = labels ?? {};
  const info: ContainerLabelInfo = {
    podUid: l[LABEL.podUid] ?? '',
    podName: l[LABEL.podName] ?? '',
    namespace: l[LABEL.podNamespace] ?? '',
    containerName: l[LABEL.containerName] ?? '',
    isSandbox: l[LABEL.dockerType] === DOCKER_TYPE_SANDBOX,
    type: containerType(l[LABEL.containerType]),
    sandboxId: l[LABEL.sandboxId] ?? '',
    restartCount: int(l[LABEL.restartCount]),
    attempt: int(l[LABEL.sandboxAttempt]),
    hash: l[LABEL.hash] ?? '',
  };
  if (l[LABEL.image]) info.image = l[LABEL.image];
  if (l[LABEL.terminationMessagePath]) info.terminationMessagePath = l[LABEL.terminationMessagePath];
  if (l[LABEL.terminationMessagePolicy]) info.terminationMessagePolicy = l[LABEL.terminationMessagePolicy];
  return info;
}

export { stableStringify };

/**
 * Hash of the whole container spec: any change means the running instance no longer
 * matches its spec and must be restarted (kubelet's HashContainer). sha256, first 8 hex.
 */
export function containerHash(c: Container): string {
  return createHash('sha256').update(stableStringify(c)).digest('hex').slice(0, 8);
}

/** The container type annotation; anything else (or none) is a regular container. */
function containerType(v: string | undefined): ContainerType {
  return v === 'init' || v === 'ephemeral' ? v : 'container';
}
