// Container garbage collection (pkg/kubelet/kuberuntime/kuberuntime_gc.go containerGC).
// The choice of what to remove is pure (this file's plan functions, table-tested); the
// engine calls are in pruneOldInstances (a pod's own worker, inside its sync, so a GC
// never races the sync) and container-gc-loop.ts (the periodic pass over pods that no
// worker owns any more).
import type { ContainerRuntime, RuntimePodStatus } from '../runtime/runtime.js';
import { timeKey } from '../runtime/relist.js';
import type { Logger } from '../util/logger.js';

/** kubecontainer.GCPolicy (the kubelet's flags --maximum-dead-containers-per-container, --minimum-container-ttl-duration). */
export interface GcPolicy {
  /** Dead instances kept per (pod, container name); -1 = no limit. kubelet default 1. */
  maxPerPodContainer: number;
  /** A dead container younger than this (from its creation) is never removed. kubelet default 0. */
  minAgeMs: number;
}

export const DEFAULT_GC_POLICY: GcPolicy = { maxPerPodContainer: 1, minAgeMs: 0 };

/**
 * evictContainers + evictSandboxes for a pod the node still wants: per container name,
 * the newest `maxPerPodContainer` dead instances stay (the newest is the container's
 * lastState, what `logs --previous` reads, and for an init container the proof it
 * completed); running ones are never evictable. A sandbox goes once it is not running
 * and no remaining container belongs to it, except the newest such one
 * (removeOldestNSandboxes(len-1)). Returns the engine IDs to remove, oldest first.
 */
export function evictableInPod(
  rt: RuntimePodStatus,
  policy: GcPolicy,
  now: number,
  unsettled: ReadonlySet<string> = new Set(),
): string[] {
  const newestGcTime = now - policy.minAgeMs;
  const units = new Map<string, { id: string; created: string }[]>();
  for (const c of rt.containers) {
    if (c.state === 'running' || unsettled.has(c.id) || Date.parse(c.createdAt) > newestGcTime) continue;
    const unit = units.get(c.name) ?? [];
    unit.push({ id: c.id, created: timeKey(c.createdAt) });
    units.set(c.name, unit);
  }
  const doomed: string[] = [];
  if (policy.maxPerPodContainer >= 0) {
    for (const unit of units.values()) {
      unit.sort((a, b) => (a.created < b.created ? 1 : a.created > b.created ? -1 : 0));
      doomed.push(...unit.slice(policy.maxPerPodContainer).map((u) => u.id));
    }
  }
  const gone = new Set(doomed);
  // rt.sandboxes is newest first (attempt, then creation time).
  const inactive = rt.sandboxes.filter(
    (s) => s.state !== 'running' && !rt.containers.some((c) => c.sandboxId === s.id && !gone.has(c.id)),
  );
  return [...doomed.reverse(), ...inactive.slice(1).map((s) => s.id)];
}

/** Who owns a pod UID right now: its worker (busy or not) or the desired set. */
export interface PodOwnership {
  hasWorker(uid: string): boolean;
  isDesired(uid: string): boolean;
}

/**
 * The periodic pass's choice: pods in the engine (or leaving volumes and per-pod
 * directories behind) that neither a worker nor the desired set knows. Those are
 * removed whole (evictContainers for deleted pods, plus the kubelet's orphaned pod
 * directory and volume cleanup). Known pods are never touched here: their worker
 * prunes them inside its own sync.
 */
export function unknownPods(pods: RuntimePodStatus[], leftovers: string[], owner: PodOwnership): string[] {
  const uids = new Set([...pods.map((p) => p.uid), ...leftovers]);
  return [...uids].filter((uid) => uid !== '' && !owner.hasWorker(uid) && !owner.isDesired(uid)).sort();
}

/**
 * The instances of `after` that a sync which began with `before` has not yet seen dead:
 * created during the sync, or running at its start and dead now. They do not count
 * toward the dead kept per container until the next sync: the kubelet's GC runs on its
 * own period (a minute), so the instance a container had before its latest death stays
 * its lastState until a sync has seen that death (and put the container in back-off,
 * which shows the latest death as lastState instead).
 */
export function unsettledInstances(before: RuntimePodStatus, after: RuntimePodStatus): Set<string> {
  const deadBefore = new Set(before.containers.filter((c) => c.state !== 'running').map((c) => c.id));
  return new Set(after.containers.filter((c) => c.state !== 'running' && !deadBefore.has(c.id)).map((c) => c.id));
}

/** A pod's worker, after a sync: remove what evictableInPod chose. Returns whether anything went. */
export async function pruneOldInstances(
  runtime: ContainerRuntime,
  rt: RuntimePodStatus,
  policy: GcPolicy,
  now: number,
  unsettled?: ReadonlySet<string>,
): Promise<boolean> {
  const doomed = evictableInPod(rt, policy, now, unsettled);
  // Containers before the sandboxes they may still name (the plan lists them in that order).
  for (const id of doomed) await runtime.removeContainer(id);
  return doomed.length > 0;
}

/**
 * Remove everything of a pod nobody knows: running containers are stopped first with a
 * short grace (the pod spec is gone, so its own grace period is too), then containers,
 * sandboxes, emptyDir volumes and per-pod directories go (runtime.removePod).
 */
export async function removeUnknownPod(
  runtime: ContainerRuntime,
  log: Logger,
  uid: string,
  rt?: RuntimePodStatus,
): Promise<void> {
  log.info(
    { pod: rt ? `${rt.namespace}/${rt.name}` : undefined, uid },
    'removing what is left of a pod no source knows',
  );
  const running = rt?.containers.filter((c) => c.state === 'running') ?? [];
  await Promise.all(running.map((c) => runtime.stopContainer(c.id, ORPHAN_GRACE_SECONDS)));
  await runtime.removePod(uid);
}

/** Grace for containers of a pod whose spec is gone (the kubelet kills orphans with its minimum, 2 s). */
const ORPHAN_GRACE_SECONDS = 2;
