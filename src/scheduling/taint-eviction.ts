// The taint eviction controller for this one node (pkg/controller/tainteviction
// taint_eviction.go, NoExecuteTaintManager): a pod bound here that does not tolerate a
// NoExecute taint of the node is deleted now; one that tolerates them all, after the
// smallest tolerationSeconds, counted from when the controller first saw it so (the
// work's CreatedAt); tolerations without seconds keep it forever. Before the delete it
// gets DisruptionTarget=True (DeletionByTaintManager) and a Normal TaintManagerEviction
// event `Marking for deletion Pod ns/name`; a scheduled deletion the taint's removal
// makes moot is cancelled with `Cancelling deletion of Pod ns/name`. The delete is the
// API's graceful one, with the pod's own grace period. Static pods are left alone: their
// manifest owns them (deleting a mirror pod changes nothing on a real node either).
import type { Node, PodCondition, PodStatus, ValidPod } from '../apis/core/types.js';
import { isStaticPod } from '../apis/core/pod-util.js';
import type { EventSink } from '../events/recorder.js';
import { type Clock, rfc3339 } from '../util/clock.js';
import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { tolerationsOf } from './filters.js';
import { noExecuteVerdict } from './taints.js';

/** The controller's name as its events and conditions carry it (1.32). */
export const TAINT_EVICTION_CONTROLLER = 'taint-eviction-controller';

export const DISRUPTION_TARGET: Omit<PodCondition, 'lastTransitionTime' | 'lastProbeTime'> = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
};

export interface TaintEvictionDeps {
  clock: Clock;
  node: () => Node | undefined;
  /** Every pod of the desired set (the controller picks the API pods bound to the node). */
  pods: () => ValidPod[];
  status: { getStatus(uid: string): PodStatus | undefined; setStatus(uid: string, status: PodStatus): void };
  /** The API's graceful delete (pod's own grace period). */
  deletePod(namespace: string, name: string): void;
  events: EventSink;
  log: Logger;
}

interface Work {
  createdAt: number;
  fireAt: number;
  timer: { cancel(): void };
}

export class TaintEvictionController {
  readonly #work = new Map<string, Work>();
  #queued = false;
  #stopped = false;

  constructor(private readonly d: TaintEvictionDeps) {}

  /**
   * Look at every pod again (the node's taints or the pods changed). Coalesced and run
   * after the current call stack: a change arrives in the middle of the pod source's own
   * bookkeeping, which a deletion must not re-enter (the controller is asynchronous
   * upstream too).
   */
  reconcile(): void {
    if (this.#queued || this.#stopped) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      if (!this.#stopped) this.reconcileNow();
    });
  }

  /** processPodOnNode for each pod, now. */
  reconcileNow(): void {
    const node = this.d.node();
    const pods = this.d.pods().filter((p) => this.#evictable(p, node));
    const live = new Set(pods.map((p) => p.metadata.uid));
    for (const uid of [...this.#work.keys()]) if (!live.has(uid)) this.#cancel(uid);
    for (const pod of pods) this.#process(pod, node!);
  }

  stop(): void {
    this.#stopped = true;
    for (const w of this.#work.values()) w.timer.cancel();
    this.#work.clear();
  }

  #evictable(pod: ValidPod, node: Node | undefined): boolean {
    return (
      node !== undefined &&
      pod.spec.nodeName === node.metadata.name &&
      !isStaticPod(pod) &&
      !pod.metadata.deletionTimestamp
    );
  }

  #process(pod: ValidPod, node: Node): void {
    const uid = pod.metadata.uid;
    const verdict = noExecuteVerdict(node.spec.taints ?? [], tolerationsOf(pod));
    if (verdict.kind === 'never') {
      this.#cancelWithEvent(pod);
      return;
    }
    const now = this.d.clock.now();
    if (verdict.kind === 'now') {
      this.#cancel(uid);
      this.#evict(pod);
      return;
    }
    const existing = this.#work.get(uid);
    const createdAt = existing?.createdAt ?? now;
    const fireAt = createdAt + verdict.seconds * 1000;
    if (existing && existing.fireAt <= fireAt) return;
    if (existing) this.#cancelWithEvent(pod);
    const timer = this.d.clock.setTimeout(
      () => {
        this.#work.delete(uid);
        const current = this.d.pods().find((p) => p.metadata.uid === uid);
        if (current && this.#evictable(current, this.d.node())) this.#evict(current);
      },
      Math.max(0, fireAt - now),
    );
    this.#work.set(uid, { createdAt, fireAt, timer });
  }

  #cancel(uid: string): boolean {
    const w = this.#work.get(uid);
    if (!w) return false;
    w.timer.cancel();
    this.#work.delete(uid);
    return true;
  }

  #cancelWithEvent(pod: ValidPod): void {
    if (!this.#cancel(pod.metadata.uid)) return;
    this.#event(pod, `Cancelling deletion of Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
  }

  #event(pod: ValidPod, message: string): void {
    this.d.events.event(pod, 'Normal', 'TaintManagerEviction', message, undefined, TAINT_EVICTION_CONTROLLER);
  }

  /** deletePodHandler + addConditionAndDeletePod: event, DisruptionTarget, graceful delete. */
  #evict(pod: ValidPod): void {
    const { namespace, name, uid } = pod.metadata;
    this.#event(pod, `Marking for deletion Pod ${namespace}/${name}`);
    const status = this.d.status.getStatus(uid);
    if (status) {
      const others = (status.conditions ?? []).filter((c) => c.type !== DISRUPTION_TARGET.type);
      const condition: PodCondition = {
        ...DISRUPTION_TARGET,
        lastProbeTime: null,
        lastTransitionTime: rfc3339(this.d.clock.now()),
      };
      this.d.status.setStatus(uid, { ...status, conditions: [...others, condition] });
    }
    try {
      this.d.deletePod(namespace, name);
      this.d.log.info({ pod: `${namespace}/${name}` }, 'deleting pod: untolerated NoExecute taint');
    } catch (err) {
      this.d.log.warn({ pod: `${namespace}/${name}`, err: errorMessage(err) }, 'taint eviction failed');
    }
  }
}
