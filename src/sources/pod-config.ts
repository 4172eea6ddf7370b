// The one owner of incoming pods (pkg/kubelet/config/config.go, PodConfig): it
// merges the file source (static pods from the manifests directory) and the API
// source (pods submitted over HTTP or `run -f`, persisted under the root dir) into
// the desired set held by the pod manager, and hands each change to the pod
// workers as a PodUpdate. Source policy lives here and nowhere else: which pod wins
// a name, that a static pod is not deleted through the API, API-pod replay at start,
// the persisted record of every API pod until its containers are gone, and the
// admission of each new pod: the scheduler's filters against this node (src/scheduling:
// a pod that does not fit waits, Pending, until the node or the pods change), binding
// (spec.nodeName and the `Scheduled` event), then the kubelet's admit handlers
// (pod-admission.ts; for pods that skipped the scheduler, its predicates too).
import type { Node, PodStatus, ValidPod } from '../apis/core/types.js';
import type { PodManager } from '../pod/pod-manager.js';
import {
  API_SOURCE,
  CONFIG_HASH_ANNOTATION,
  CONFIG_SOURCE_ANNOTATION,
  isPodPhaseTerminal,
  CONFIG_SEEN_ANNOTATION,
  isStaticPod,
} from '../apis/core/pod-util.js';
import type { EventSink } from '../events/recorder.js';
import type { Clock } from '../util/clock.js';
import { rfc3339 } from '../util/clock.js';
import { alreadyExistsError, errorMessage, KubeletError, notFoundError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { diffStaticPods } from './static-set.js';
import type { JsonDir } from './json-dir.js';
import {
  appArmorAdmitRefusal,
  hostAppArmorEnabled,
  podCountRefusal,
  rejectedStatus,
  supplementalGroupsPolicyRefusal,
  sysctlAdmitRefusal,
  UNSCHEDULABLE,
  unschedulableStatus,
} from './pod-admission.js';
import { kubeletAdmitRefusal } from '../scheduling/admission.js';
import {
  type Filter,
  fitErrorMessage,
  type PluginName,
  runFilters,
  SCHEDULER_NAME,
  type ScheduleContext,
} from '../scheduling/filters.js';
import type { Labels } from '../scheduling/labels.js';
import { type CrashPoint, crashPoint } from '../util/crash-point.js';
import { type ClaimLookup, volumeBindingPreFilter } from './volume-binding-filter.js';

/** The annotation of a kubelet-created mirror pod; an API pod may not claim it. */
const CONFIG_MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * What a source change means for the workers (kubetypes.PodOperation):
 * ADD a new pod; UPDATE a changed spec; DELETE begins graceful termination
 * (deletionTimestamp set); RECONCILE the spec is unchanged but something it reads
 * (a Secret or ConfigMap) changed, so the pod should sync again soon.
 */
export type PodOperation = 'ADD' | 'UPDATE' | 'DELETE' | 'RECONCILE';

export interface PodUpdate {
  op: PodOperation;
  pod: ValidPod;
  /** DELETE only: the grace period, in seconds, the termination may use. */
  gracePeriodSeconds?: number;
}

export type PodUpdateHandler = (update: PodUpdate) => void;

export interface PodConfigDeps {
  pods: PodManager;
  /** Pods submitted over the API, so a restarted agent finds them. */
  apiPods: JsonDir<ValidPod>;
  nodeName: string;
  clock: Clock;
  log: Logger;
  /** Where updates go (the pod workers); set once at start-up by the composition root. */
  handler: PodUpdateHandler;
  /** --max-pods: how many active pods the node admits (kubelet default 110). */
  maxPods: number;
  /** --allowed-unsafe-sysctls (none by default: only the safe set). */
  allowedUnsafeSysctls?: readonly string[];
  /** Whether this host enforces AppArmor; read from /sys when unset. */
  appArmorEnabled?: boolean;
  /** Pod statuses: read to count active pods, written when a pod is rejected. */
  status: { getStatus(uid: string): PodStatus | undefined; setStatus(uid: string, status: PodStatus): void };
  events: EventSink;
  /**
   * When each static pod (by UID) was first seen, so its creationTimestamp (AGE) and
   * config.seen survive a restart, as a mirror pod's do in the API server.
   */
  staticRecords?: JsonDir<StaticPodRecord>;
  /**
   * The Node the scheduler filters against (labels, taints, unschedulable, allocatable);
   * unset (unit tests) = a plain node of `nodeName` with --max-pods and no other limit.
   */
  node?: () => Node | undefined;
  /** A namespace's labels, for pod (anti-)affinity namespaceSelectors. */
  namespaceLabels?: (namespace: string) => Labels | undefined;
  /** Filters other modules own, by their slot in the scheduler's order (VolumeBinding). */
  extraFilters?: Partial<Record<PluginName, Filter>>;
  /**
   * The node's claims for the VolumeBinding PreFilter (volume-binding-filter.ts): `prepare`
   * creates a pod's ephemeral claims, `lookup` reads a claim, `bind` binds the claims
   * of a pod once it is placed (PreBind).
   */
  claims?: PodClaims;
  /** Test-only observer of named points of a change (STATIC_POD_REPLACEMENT); the crash hook fires there too. */
  point?: (name: string) => void;
}

export interface PodClaims {
  prepare(pod: ValidPod): void;
  lookup: ClaimLookup;
  bind(pod: ValidPod): void;
  /** A pod placed before (replayed after a restart): the scheduler does not see it again. */
  placed(uid: string): boolean;
}

export interface StaticPodRecord {
  uid: string;
  creationTimestamp: string;
  seen?: string;
}

/** The point of a static pod replacement where the old instance has terminated and the new one is not yet added. */
export const STATIC_POD_REPLACEMENT = 'static-pod-replacement' satisfies CrashPoint;

export class PodConfig {
  /** Pods refused at admission: never handed to the workers, so they have no containers. */
  readonly #rejected = new Set<string>();
  /** Pods the scheduler could not place yet, by UID in arrival order: retried when the node or the pods change. */
  readonly #unschedulable = new Map<string, ValidPod>();
  /** Pods whose spec.nodeName names another node: no scheduler or kubelet here runs them (Pending, no events). */
  readonly #elsewhere = new Set<string>();
  /** The file source's last SET, by UID (each as first seen: its config.seen and creationTimestamp stay). */
  #static = new Map<string, ValidPod>();
  /** Static pods waiting for their name to be free, by namespace/name. */
  readonly #waiting = new Map<string, ValidPod>();
  #retrying = false;
  #retryAgain = false;
  /** deleteAllPods was called: nothing new starts. */
  #draining = false;
  /** Whether the file source has sent its first SET since start (static records are pruned then). */
  #sawStaticSet = false;

  constructor(private readonly d: PodConfigDeps) {}

  /** Replay pods submitted before a restart, deletions in progress included. */
  loadApiPods(onLoadError: (file: string, err: unknown) => void): void {
    // Pods already bound here are re-admitted first, oldest first (HandlePodAdditions sorts
    // by creation time); the scheduler then places the ones still waiting, so a waiting pod
    // never takes the resources of one that was running.
    const all = this.d.apiPods.readAll(onLoadError);
    const order = (p: ValidPod) => `${p.spec.nodeName ? 0 : 1}|${p.metadata.creationTimestamp}`;
    all.sort((a, b) => order(a).localeCompare(order(b)));
    for (const pod of all) {
      this.#add(pod);
      if (pod.metadata.deletionTimestamp) this.#dispatchDelete(pod, pod.metadata.deletionGracePeriodSeconds);
    }
  }

  /**
   * The file source's SET: every static pod its directory declares now. Merged by UID
   * against the previous SET (config.go updatePodsFunc): a gone UID is deleted
   * gracefully, a new one added, a changed one updated. An edited file is both (new
   * UID, same name). A static pod never runs beside another pod of its name: it waits
   * until that one has terminated (pod_workers.go allowStaticPodStart), which also
   * covers a file removed and re-added while its pod (same UID) is still terminating.
   */
  setStaticPods(next: ValidPod[]): void {
    if (this.#draining) return;
    // The first SET after a start: records of static pods whose manifest went away meanwhile go.
    if (!this.#sawStaticSet) {
      this.#sawStaticSet = true;
      this.#pruneStaticRecords(new Set(next.map((p) => p.metadata.uid)));
    }
    const diff = diffStaticPods([...this.#static.values()], next);
    const carried = new Map(next.map((p) => [p.metadata.uid, this.#static.get(p.metadata.uid) ?? p]));
    for (const pod of diff.updated) carried.set(pod.metadata.uid, pod);
    this.#static = carried;
    for (const pod of diff.removed) this.#removeStatic(pod);
    for (const pod of diff.updated) this.#updateStatic(pod);
    for (const pod of diff.added) this.#addStatic(pod);
  }

  /**
   * An admitted pod from a client (API or `run -f`): marked as coming from the API
   * source, persisted, then scheduled onto this node (bound: spec.nodeName) and run. As the kubelet's config.go
   * (updatePodsFunc) stamps `kubernetes.io/config.source` with the source a pod came
   * from, a client's own value is overwritten: an API pod cannot declare itself static.
   */
  addApiPod(admitted: ValidPod): ValidPod {
    const pod = this.previewApiPod(admitted);
    this.#persist(pod);
    crashPoint('pod-persisted');
    this.#add(pod);
    // Scheduling is synchronous here: the pod as placed (bound, or waiting unbound).
    return this.d.pods.getPodByUid(pod.metadata.uid) ?? pod;
  }

  /**
   * The pod `addApiPod` would store, with every check it makes (a dry-run create):
   * the source annotation stamped, AlreadyExists for a taken name. Nothing changes.
   */
  previewApiPod(admitted: ValidPod): ValidPod {
    const pod: ValidPod = {
      ...admitted,
      metadata: { ...admitted.metadata, annotations: apiSourceAnnotations(admitted.metadata.annotations) },
      spec: admitted.spec,
    };
    if (this.d.pods.getPodByName(pod.metadata.namespace, pod.metadata.name)) {
      throw alreadyExistsError('pods', pod.metadata.name);
    }
    return pod;
  }

  /** The pod `deleteApiPod` would leave (a dry-run delete): same checks, nothing changes. */
  previewApiPodDelete(namespace: string, name: string, gracePeriodSeconds?: number): ValidPod {
    const pod = this.#apiOwnedPod(namespace, name, 'remove its manifest to delete it');
    if (pod.metadata.deletionTimestamp) return pod;
    return markDeleting(pod, gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds, this.d.clock.now());
  }

  /** The pod `updateApiPod` would store (a dry-run update): same checks, nothing changes. */
  previewApiPodUpdate(namespace: string, name: string, compute: (old: ValidPod) => ValidPod): ValidPod {
    return compute(this.#apiOwnedPod(namespace, name, 'change its manifest to update it'));
  }

  /**
   * Graceful deletion through the API: sets deletionTimestamp (now + grace) and
   * starts termination. gracePeriodSeconds undefined = the pod's own. A second
   * delete while terminating changes nothing.
   */
  deleteApiPod(namespace: string, name: string, gracePeriodSeconds?: number): ValidPod {
    // A static pod belongs to its manifest, not to the API: on a real node, deleting
    // its mirror pod changes nothing (the kubelet re-creates the mirror). Say so plainly.
    const pod = this.#apiOwnedPod(namespace, name, 'remove its manifest to delete it');
    if (pod.metadata.deletionTimestamp) return pod;
    const grace = gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds;
    const deleting = markDeleting(pod, grace, this.d.clock.now());
    this.#persist(deleting);
    this.d.pods.setPod(deleting);
    this.#dispatchDelete(deleting, grace);
    return deleting;
  }

  /**
   * An update through the API (PUT or PATCH): `compute` turns the stored pod into
   * the new one and validates the change (it throws to refuse). A static pod belongs
   * to its manifest and is refused as its deletion is. The workers get an UPDATE:
   * a container whose spec hash changed (a new image) is restarted by the sync.
   */
  updateApiPod(namespace: string, name: string, compute: (old: ValidPod) => ValidPod): ValidPod {
    const next = this.previewApiPodUpdate(namespace, name, compute);
    this.d.apiPods.write(nameKey(next), next);
    this.d.pods.setPod(next);
    // A pod the scheduler could not place has no worker: it is placed, as changed, once it fits.
    if (this.#unschedulable.has(next.metadata.uid)) {
      // A change may make it fit (a toleration added): the scheduler tries it again.
      this.#unschedulable.set(next.metadata.uid, next);
      this.#retryUnschedulable();
    } else if (!this.#rejected.has(next.metadata.uid) && !this.#elsewhere.has(next.metadata.uid)) {
      // A rejected pod, or one bound to another node, has no worker here and must not get one.
      this.d.handler({ op: 'UPDATE', pod: next });
    }
    return next;
  }

  /**
   * A client's write of pods/status (PUT or PATCH): `compute` takes the client-owned
   * conditions into the stored pod (it throws to refuse). They are persisted with the
   * pod, so they outlive a restart, and the workers get an UPDATE: the sync recomputes
   * Ready against the readiness gates. A static pod's status is the kubelet's alone here.
   */
  updateApiPodStatus(namespace: string, name: string, compute: (old: ValidPod) => ValidPod): ValidPod {
    const old = this.#apiOwnedPod(namespace, name, 'its status cannot be set through the API');
    const next = compute(old);
    this.#persist(next);
    this.d.pods.setPod(next);
    if (this.#unschedulable.has(next.metadata.uid)) this.#unschedulable.set(next.metadata.uid, next);
    else this.d.handler({ op: 'UPDATE', pod: next });
    return next;
  }

  /** Every pod of the node, static ones too, terminated gracefully (`run -f` ending, drain). */
  deleteAllPods(): Promise<void> {
    this.#draining = true;
    this.#waiting.clear();
    const uids = this.d.pods.uids();
    const gone = this.#waitForRemoval(uids);
    for (const uid of uids) {
      const pod = this.d.pods.getPodByUid(uid);
      if (pod && !pod.metadata.deletionTimestamp) this.#dispatchDelete(pod, pod.spec.terminationGracePeriodSeconds);
    }
    return gone;
  }

  /** Something pods in `namespace` may read changed (a Secret, a ConfigMap): let them sync again. */
  reconcileNamespace(namespace: string): void {
    for (const pod of this.d.pods.getPods(namespace)) this.d.handler({ op: 'RECONCILE', pod });
  }

  /**
   * The workers finished a pod: its containers are gone. It leaves the desired set
   * and, for an API pod, its persisted record (the status manager's final delete).
   */
  podTerminated(uid: string): void {
    const pod = this.d.pods.getPodByUid(uid);
    if (!pod) return;
    if (!isStaticPod(pod)) this.d.apiPods.remove(nameKey(pod));
    else this.d.staticRecords?.remove(uid);
    this.#rejected.delete(uid);
    this.#unschedulable.delete(uid);
    this.#elsewhere.delete(uid);
    this.d.pods.removePod(uid);
    this.#startWaiting(nameKey(pod));
    this.#retryUnschedulable();
  }

  /**
   * Something the scheduler reads changed (the node's labels, taints, cordon or capacity;
   * a pod finished or went; a namespace's labels): the pods it could not place are tried
   * again, in arrival order (the scheduler's queue moves them back to active then).
   */
  retryUnschedulable(): void {
    this.#retryUnschedulable();
  }

  /** A claim was created or deleted: pods waiting for one are tried again. */
  claimsChanged(): void {
    this.#retryUnschedulable();
  }

  #retryUnschedulable(): void {
    if (this.#draining) return;
    // A retry may cause another (a pod rejected turns Failed): it runs after this one, never inside it.
    if (this.#retrying) {
      this.#retryAgain = true;
      return;
    }
    this.#retrying = true;
    try {
      do {
        this.#retryAgain = false;
        for (const [uid] of [...this.#unschedulable]) {
          const current = this.d.pods.getPodByUid(uid);
          if (!this.#unschedulable.has(uid) || !current || current.metadata.deletionTimestamp) continue;
          this.#unschedulable.delete(uid);
          this.#admit(current);
        }
      } while (this.#retryAgain && !this.#draining);
    } finally {
      this.#retrying = false;
    }
  }

  /** A static pod whose name is held by another pod waits for it (and a UID still terminating, for itself). */
  #addStatic(pod: ValidPod): void {
    const holder = this.d.pods.getPodByName(pod.metadata.namespace, pod.metadata.name);
    if (holder || this.d.pods.getPodByUid(pod.metadata.uid)) {
      this.#waiting.set(nameKey(pod), pod);
      const why =
        holder && isStaticPod(holder) ? 'its previous instance is terminating' : 'a pod with that name exists';
      this.d.log.info({ pod: nameKey(pod), uid: pod.metadata.uid }, `static pod waits to start: ${why}`);
      return;
    }
    this.#add(pod);
  }

  /** Its declaration is gone: a waiting pod is forgotten, a running one terminated with its own grace. */
  #removeStatic(pod: ValidPod): void {
    const key = nameKey(pod);
    if (this.#waiting.get(key)?.metadata.uid === pod.metadata.uid) this.#waiting.delete(key);
    const current = this.d.pods.getPodByUid(pod.metadata.uid);
    if (!current || current.metadata.deletionTimestamp) return;
    const grace = current.spec.terminationGracePeriodSeconds;
    const deleting = markDeleting(current, grace, this.d.clock.now());
    this.d.pods.setPod(deleting);
    this.#dispatchDelete(deleting, grace);
  }

  /** Same UID, new content (a manifest that names its own uid): the workers get an UPDATE. */
  #updateStatic(pod: ValidPod): void {
    const key = nameKey(pod);
    if (this.#waiting.get(key)?.metadata.uid === pod.metadata.uid) {
      this.#waiting.set(key, pod);
      return;
    }
    const current = this.d.pods.getPodByUid(pod.metadata.uid);
    if (!current || current.metadata.deletionTimestamp) return;
    const next: ValidPod = {
      ...pod,
      metadata: { ...pod.metadata, creationTimestamp: current.metadata.creationTimestamp },
    };
    this.d.pods.setPod(next);
    this.d.handler({ op: 'UPDATE', pod: next });
  }

  /**
   * The pod holding a name is gone: a static pod waiting for it starts now. Between the
   * two lies STATIC_POD_REPLACEMENT, the named point of a replacement where the old
   * instance is gone and the new one not yet added (crash-point tests stop there).
   */
  #startWaiting(key: string): void {
    const waiting = this.#waiting.get(key);
    if (!waiting || this.#draining) return;
    this.#waiting.delete(key);
    this.d.point?.(STATIC_POD_REPLACEMENT);
    crashPoint(STATIC_POD_REPLACEMENT);
    this.#addStatic(waiting);
  }

  /** The pod the API may change: NotFound when absent, Forbidden (saying what to do instead) for a static pod. */
  #apiOwnedPod(namespace: string, name: string, instead: string): ValidPod {
    const pod = this.d.pods.getPodByName(namespace, name);
    if (!pod) throw notFoundError('pods', name);
    if (isStaticPod(pod)) {
      throw new KubeletError(
        'Forbidden',
        `pods "${name}" is forbidden: it is a static pod from the manifests directory; ${instead}`,
        { resource: 'pods', name },
      );
    }
    return pod;
  }

  /** HandlePodAdditions: admit, then hand to the workers; a refused pod is rejected instead. */
  #add(added: ValidPod): void {
    const pod = isStaticPod(added) ? this.#staticIdentity(added) : added;
    this.#admit(pod, true);
  }

  /**
   * Schedule (unless the pod skips the scheduler), then the kubelet's admission. A `fresh`
   * pod enters the desired set here, already bound when it fits, so a watcher sees it
   * ADDED once; a retried one is updated when bound.
   */
  #admit(admitted: ValidPod, fresh = false): void {
    let pod = admitted;
    const uid = pod.metadata.uid;
    const claims = this.d.claims;
    claims?.prepare(pod);
    const publish = (p: ValidPod) => {
      if (fresh || p !== admitted) this.d.pods.setPod(p);
    };
    const target = pod.spec.nodeName;
    // A pod bound to another node is that node's kubelet's: it stays Pending here, untouched.
    if (target && target !== this.d.nodeName && !isStaticPod(pod)) {
      publish(pod);
      this.#elsewhere.add(uid);
      this.d.log.info({ pod: nameKey(pod), nodeName: target }, 'pod is bound to another node');
      return;
    }
    // Static pods and pods created with spec.nodeName skip the scheduler (the kubelet's predicates guard them).
    const skipped = isStaticPod(pod) || target === this.d.nodeName;
    if (!skipped && schedulingGated(pod)) {
      // registry/core/pod strategy applySchedulingGatedCondition: no scheduling, no event, until the gates are removed.
      publish(pod);
      this.#unschedulable.set(uid, pod);
      const gated = { reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' };
      this.d.status.setStatus(uid, unschedulableStatus(pod, gated, this.#now()));
      return;
    }
    if (!skipped) {
      // PreFilters (VolumeBinding's) run before every Filter; a pod placed before a restart is not checked again.
      const unfit =
        (claims && !claims.placed(uid) ? volumeBindingPreFilter(pod, claims.lookup) : undefined) ??
        runFilters(pod, this.#scheduleContext(uid), this.d.extraFilters);
      if (unfit) {
        publish(pod);
        this.#unschedulable.set(uid, pod);
        const message = fitErrorMessage(unfit, pod);
        const previous = this.d.status.getStatus(uid)?.conditions?.find((c) => c.type === 'PodScheduled');
        // The scheduler reports again only when the verdict changed (its status patch is a no-op otherwise).
        if (previous?.message === message && previous.reason === UNSCHEDULABLE) return;
        this.d.status.setStatus(uid, unschedulableStatus(pod, { reason: UNSCHEDULABLE, message }, this.#now()));
        this.d.events.event(pod, 'Warning', 'FailedScheduling', message, undefined, SCHEDULER_NAME);
        this.d.log.info({ pod: nameKey(pod), plugin: unfit.plugin }, 'pod does not fit the node');
        return;
      }
      pod = this.#bind(pod);
    }
    publish(pod);
    if (!skipped) {
      const msg = `Successfully assigned ${nameKey(pod)} to ${this.d.nodeName}`;
      this.d.events.event(pod, 'Normal', 'Scheduled', msg, undefined, SCHEDULER_NAME);
    }
    // The kubelet's admit handlers in their order (kubelet.go NewMainKubelet): sysctls,
    // AppArmor, then the predicates (all of them for a pod the scheduler did not check,
    // else the pod count).
    const active = this.#activePods(uid);
    const refusal =
      sysctlAdmitRefusal(pod, this.d.allowedUnsafeSysctls ?? []) ??
      appArmorAdmitRefusal(pod, this.d.appArmorEnabled ?? hostAppArmorEnabled()) ??
      supplementalGroupsPolicyRefusal(pod) ??
      (skipped ? kubeletAdmitRefusal(pod, this.#scheduleContext(uid)) : podCountRefusal(active.length, this.d.maxPods));
    if (!refusal) {
      claims?.bind(pod);
      this.d.handler({ op: 'ADD', pod });
      return;
    }
    this.#rejected.add(uid);
    this.d.status.setStatus(uid, rejectedStatus(pod, refusal));
    this.d.events.event(pod, 'Warning', refusal.reason, refusal.message);
    this.d.log.warn({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, reason: refusal.reason }, 'pod rejected');
  }

  /**
   * The binding (registry/core/pod storage assignPod): spec.nodeName set and persisted. A
   * failed write is only logged (a retry runs inside a node or pod change, which must not
   * throw): the pod runs, and after a restart its unbound record is simply scheduled again.
   */
  #bind(pod: ValidPod): ValidPod {
    const bound: ValidPod = { ...pod, spec: { ...pod.spec, nodeName: this.d.nodeName } };
    try {
      this.d.apiPods.write(nameKey(bound), bound);
    } catch (err) {
      this.d.log.warn({ pod: nameKey(bound), err: errorMessage(err) }, 'cannot store the binding');
    }
    return bound;
  }

  #now(): string {
    return rfc3339(this.d.clock.now());
  }

  #scheduleContext(uid: string): ScheduleContext {
    return {
      node: this.d.node?.() ?? plainNode(this.d.nodeName, this.d.maxPods),
      pods: this.#activePods(uid),
      namespaceLabels: this.d.namespaceLabels ?? (() => undefined),
    };
  }

  /**
   * Pods that count against --max-pods and hold their host ports (kubelet
   * filterOutInactivePods): every desired pod except `except`, rejected or not yet
   * placed ones, and those whose phase is terminal.
   */
  #activePods(except: string): ValidPod[] {
    return this.d.pods.getPods().filter((p) => {
      const uid = p.metadata.uid;
      return (
        uid !== except &&
        !this.#rejected.has(uid) &&
        !this.#unschedulable.has(uid) &&
        !this.#elsewhere.has(uid) &&
        !isPodPhaseTerminal(this.d.status.getStatus(uid)?.phase)
      );
    });
  }

  /** A rejected pod has no containers: a deletion finishes at once, without the workers. */
  #dispatchDelete(pod: ValidPod, grace: number | undefined): void {
    const uid = pod.metadata.uid;
    if (this.#rejected.has(uid) || this.#unschedulable.has(uid) || this.#elsewhere.has(uid)) {
      this.podTerminated(pod.metadata.uid);
      return;
    }
    this.d.handler({ op: 'DELETE', pod, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) });
  }

  /**
   * A static pod seen before (by UID, i.e. the same manifest content) keeps its first
   * creationTimestamp and config.seen; a new one is recorded. A failed write is only
   * logged: the pod runs, its AGE would restart with the agent.
   */
  #staticIdentity(pod: ValidPod): ValidPod {
    const records = this.d.staticRecords;
    if (!records) return pod;
    const uid = pod.metadata.uid;
    const known = records.read(uid);
    if (!known) {
      const seen = pod.metadata.annotations?.[CONFIG_SEEN_ANNOTATION];
      try {
        records.write(uid, { uid, creationTimestamp: pod.metadata.creationTimestamp, ...(seen ? { seen } : {}) });
      } catch (err) {
        this.d.log.warn({ pod: pod.metadata.name, err: errorMessage(err) }, 'cannot record static pod creation time');
      }
      return pod;
    }
    const annotations = { ...(pod.metadata.annotations ?? {}) };
    if (known.seen) annotations[CONFIG_SEEN_ANNOTATION] = known.seen;
    return { ...pod, metadata: { ...pod.metadata, creationTimestamp: known.creationTimestamp, annotations } };
  }

  /** Records of static pods whose manifest is gone (removed while the agent was down). */
  #pruneStaticRecords(present: Set<string>): void {
    const records = this.d.staticRecords;
    if (!records) return;
    for (const r of records.readAll((file, err) =>
      this.d.log.warn({ file, err: errorMessage(err) }, 'cannot read static pod record; set aside'),
    )) {
      if (!present.has(r.uid)) records.remove(r.uid);
    }
  }

  /** The API pod's record; a failed write is reported without its path (that is for the log). */
  #persist(pod: ValidPod): void {
    try {
      this.d.apiPods.write(nameKey(pod), pod);
    } catch (err) {
      throw new KubeletError('Internal', `cannot store pods "${pod.metadata.name}"`, { cause: err });
    }
  }

  #waitForRemoval(uids: string[]): Promise<void> {
    const left = new Set(uids.filter((uid) => this.d.pods.getPodByUid(uid)));
    if (left.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const unsubscribe = this.d.pods.subscribe((change, pod) => {
        if (change !== 'DELETED' || !left.delete(pod.metadata.uid) || left.size > 0) return;
        unsubscribe();
        resolve();
      });
    });
  }
}

function schedulingGated(pod: ValidPod): boolean {
  const gates = (pod.spec as { schedulingGates?: unknown[] }).schedulingGates;
  return Array.isArray(gates) && gates.length > 0;
}

/** The node the scheduler sees when the composition root gives none (unit tests): labels only, --max-pods. */
function plainNode(name: string, maxPods: number): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: { pods: String(maxPods) },
      allocatable: { pods: String(maxPods) },
      conditions: [],
      addresses: [],
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {} as Node['status']['nodeInfo'],
      images: [],
    },
  };
}

function markDeleting(pod: ValidPod, grace: number, now: number): ValidPod {
  return {
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: rfc3339(now + grace * 1000), deletionGracePeriodSeconds: grace },
  };
}

/** The client's annotations, with the source ones the agent owns replaced by `config.source: api`. */
function apiSourceAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  const out = { ...(annotations ?? {}) };
  delete out[CONFIG_HASH_ANNOTATION];
  delete out[CONFIG_MIRROR_ANNOTATION];
  out[CONFIG_SOURCE_ANNOTATION] = API_SOURCE;
  return out;
}

/** namespace/name: the key of a name's waiting static pod, and of an API pod's persisted record. */
function nameKey(pod: ValidPod): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
