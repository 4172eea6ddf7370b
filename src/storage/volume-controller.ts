// The control plane's storage controllers for a one-node cluster, in one place:
// - the PV controller with a built-in local provisioner (pkg/controller/volume/persistentvolume
//   pv_controller.go; rancher/local-path-provisioner provisioner.go): a WaitForFirstConsumer
//   claim stays Pending until a pod that uses it is scheduled, then a PV `pvc-<claim uid>`
//   is provisioned (its data a Docker volume) and the claim bound to it;
// - pvc-protection (pkg/controller/volume/pvcprotection): a deleted claim that a
//   non-terminated pod uses stays Terminating until no pod uses it;
// - the reclaim of a released PV (reclaim Delete: data and PV removed);
// - the ephemeral-volume controller (pkg/controller/volume/ephemeral) and the garbage
//   collector's share of it: a pod's generic ephemeral claims are created with the pod
//   and deleted once it is gone.
import {
  type PersistentVolume,
  type PersistentVolumeClaim,
  PVC_PROTECTION_FINALIZER,
} from '../apis/core/storage-types.js';
import type { PodStatus, ValidPod, WatchEvent } from '../apis/core/types.js';
import { isPodPhaseTerminal } from '../apis/core/pod-util.js';
import type { PodClaims } from '../sources/pod-config.js';
import { controllingPod, podClaimNames } from '../apis/core/pod-claims.js';
import { admitClaim, admitClaimUpdate } from '../apis/core/validate-pvc.js';
import { rfc3339, type Clock } from '../util/clock.js';
import { alreadyExistsError, conflictError, errorMessage, notFoundError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { ClaimStore } from './claim-store.js';
import { dataVolumeName, provision } from './provisioner.js';
import { ephemeralClaimBody } from './ephemeral.js';
import { builtInStorageClasses, DEFAULT_STORAGE_CLASS, LOCAL_PROVISIONER } from './storage-class.js';
import type { StorageClass } from '../apis/core/storage-types.js';

export const PV_CONTROLLER = 'persistentvolume-controller';

export interface ClaimEventSink {
  objectEvent(
    obj: { kind: string; metadata: { name?: string; namespace?: string; uid?: string } },
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    component: string,
  ): void;
}

export interface VolumeControllerDeps {
  store: ClaimStore;
  clock: Clock;
  nodeName: string;
  events: ClaimEventSink;
  log: Logger;
  /** The pods (not yet terminated: their containers may still run) that use a claim. */
  podsUsing(namespace: string, claim: string): ValidPod[];
  /** Whether a pod (by uid) is still known to the node: owned ephemeral claims go with it. */
  podExists(uid: string): boolean;
  /** Remove a PV's data (its Docker volume); rejects when the engine cannot. */
  removeData(volumeName: string): Promise<void>;
  /** Refuses a create in a missing or Terminating namespace (throws NotFound / Forbidden). */
  admitCreate?: (namespace: string, name: string) => void;
  /** Claims changed in a way that may let a waiting pod be scheduled. */
  onClaimsChanged?: () => void;
}

export class VolumeController {
  readonly #classes: StorageClass[];
  /** PVs whose data removal is under way (an engine call), so it is not started twice. */
  readonly #reclaiming = new Set<string>();

  constructor(private readonly d: VolumeControllerDeps) {
    this.#classes = builtInStorageClasses(rfc3339(d.clock.now()));
  }

  listClaims(namespace?: string): PersistentVolumeClaim[] {
    return this.d.store.claims(namespace);
  }

  listVolumes(): PersistentVolume[] {
    return this.d.store.volumes();
  }

  watchClaims(handler: (e: WatchEvent<PersistentVolumeClaim>) => void): () => void {
    return this.d.store.subscribe((type, o) => {
      if (o.kind === 'PersistentVolumeClaim') handler({ type, object: o });
    });
  }

  watchVolumes(handler: (e: WatchEvent<PersistentVolume>) => void): () => void {
    return this.d.store.subscribe((type, o) => {
      if (o.kind === 'PersistentVolume') handler({ type, object: o });
    });
  }

  /** Whether the pod was placed with its claims (a replayed pod that already runs passes the filter). */
  isPlaced(podUid: string): boolean {
    return this.d.store.isPlaced(podUid);
  }

  /** The Docker volume holding a bound claim's data (the runtime mounts it); undefined when unbound. */
  dataVolumeOf(namespace: string, claim: string): string | undefined {
    const name = this.d.store.claim(namespace, claim)?.spec.volumeName;
    return name && this.d.store.volume(name) ? dataVolumeName(name) : undefined;
  }

  storageClasses(): StorageClass[] {
    return this.#classes;
  }

  storageClass(name: string): StorageClass {
    const sc = this.#classes.find((c) => c.metadata.name === name);
    if (!sc) throw notFoundError('storageclasses.storage.k8s.io', name);
    return sc;
  }

  /** POST: admission, then the PV controller's first look (WaitForFirstConsumer). */
  createClaim(namespace: string, body: unknown, opts: { dryRun?: boolean } = {}): PersistentVolumeClaim {
    const claim = admitClaim(body, { namespace, now: this.d.clock.now(), defaultClass: DEFAULT_STORAGE_CLASS });
    this.d.admitCreate?.(namespace, claim.metadata.name!);
    if (this.d.store.claim(namespace, claim.metadata.name!))
      throw alreadyExistsError('persistentvolumeclaims', claim.metadata.name!);
    if (opts.dryRun) return claim;
    const stored = this.d.store.putClaim(claim);
    this.#announcePending(stored);
    this.d.onClaimsChanged?.();
    return stored;
  }

  /** A manifest's claim: created when absent (true), else left as it is. */
  ensureClaim(namespace: string, raw: unknown): boolean {
    const name = (raw as { metadata?: { name?: string } }).metadata?.name;
    if (name && this.d.store.claim(namespace, name)) return false;
    this.createClaim(namespace, raw);
    return true;
  }

  /** PUT or a PATCH's result. Dropping the last finalizer of a deleted claim finishes its deletion. */
  replaceClaim(
    namespace: string,
    name: string,
    body: unknown,
    resourceVersion?: string,
    opts: { dryRun?: boolean } = {},
  ): PersistentVolumeClaim {
    const old = this.getClaim(namespace, name);
    if (resourceVersion && resourceVersion !== old.metadata.resourceVersion) {
      throw conflictError('persistentvolumeclaims', name);
    }
    const next = admitClaimUpdate(body, old);
    if (opts.dryRun) return next;
    if (
      next.status?.phase === 'Bound' &&
      next.spec.resources?.requests?.storage !== old.spec.resources?.requests?.storage
    )
      this.#resize(next);
    const stored = this.d.store.putClaim(next);
    if (stored.metadata.deletionTimestamp && (stored.metadata.finalizers ?? []).length === 0) this.#remove(stored);
    return stored;
  }

  getClaim(namespace: string, name: string): PersistentVolumeClaim {
    const c = this.d.store.claim(namespace, name);
    if (!c) throw notFoundError('persistentvolumeclaims', name);
    return c;
  }

  /**
   * DELETE: the claim gets its deletionTimestamp (it has the pvc-protection finalizer),
   * and goes at once if no pod uses it, else when the last one terminates.
   */
  deleteClaim(namespace: string, name: string, opts: { dryRun?: boolean } = {}): PersistentVolumeClaim {
    const c = this.getClaim(namespace, name);
    if (opts.dryRun)
      return c.metadata.deletionTimestamp
        ? c
        : { ...c, metadata: { ...c.metadata, deletionTimestamp: rfc3339(this.d.clock.now()) } };
    const deleting = c.metadata.deletionTimestamp
      ? c
      : this.d.store.putClaim({ ...c, metadata: { ...c.metadata, deletionTimestamp: rfc3339(this.d.clock.now()) } });
    return this.#protect(deleting) ?? deleting;
  }

  /** The namespace controller's share: every claim of a Terminating namespace is deleted. */
  deleteClaimsIn(namespace: string): void {
    for (const c of this.d.store.claims(namespace))
      if (!c.metadata.deletionTimestamp) this.deleteClaim(namespace, c.metadata.name!);
  }

  getVolume(name: string): PersistentVolume {
    const v = this.d.store.volume(name);
    if (!v) throw notFoundError('persistentvolumes', name);
    return v;
  }

  /**
   * The scheduler's PreBind for a pod that passed the VolumeBinding filter: each claim it
   * uses and that is still Pending gets the node selected, a PV provisioned, and is bound.
   */
  bindPodClaims(pod: ValidPod): void {
    const names = podClaimNames(pod);
    if (names.length > 0) this.d.store.markPlaced(pod.metadata.uid);
    for (const name of names) {
      const claim = this.d.store.claim(pod.metadata.namespace, name);
      if (!claim || claim.metadata.deletionTimestamp || claim.status?.phase === 'Bound') continue;
      try {
        this.#provisionAndBind(claim);
      } catch (err) {
        this.d.log.warn({ claim: `${pod.metadata.namespace}/${name}`, err: errorMessage(err) }, 'provisioning failed');
        this.d.events.objectEvent(claim, 'Warning', 'ProvisioningFailed', errorMessage(err), PV_CONTROLLER);
      }
    }
  }

  /**
   * The ephemeral-volume controller: a pod's `ephemeral` volumes get their claims
   * `<pod>-<volume>`, owned by the pod. An existing claim of that name is left alone
   * (the scheduler then reports that the pod is not its owner).
   */
  ensureEphemeralClaims(pod: ValidPod): void {
    for (const vol of pod.spec.volumes ?? []) {
      const body = ephemeralClaimBody(pod, vol);
      if (!body || this.d.store.claim(pod.metadata.namespace, body.metadata.name)) continue;
      try {
        this.createClaim(pod.metadata.namespace, body);
      } catch (err) {
        this.d.log.warn({ pod: pod.metadata.name, volume: vol.name, err: errorMessage(err) }, 'ephemeral claim');
      }
    }
  }

  /**
   * A pod terminated: claims waiting on it for their deletion go, and claims owned by
   * pods that no longer exist are deleted (the garbage collector). Also retries a
   * failed data removal.
   */
  podsChanged(): void {
    this.d.store.prunePlaced(this.d.podExists);
    for (const c of this.d.store.claims()) {
      const owner = controllingPod(c.metadata);
      if (owner && !this.d.podExists(owner) && !c.metadata.deletionTimestamp) {
        this.deleteClaim(c.metadata.namespace!, c.metadata.name!);
      } else if (c.metadata.deletionTimestamp) this.#protect(c);
    }
    for (const v of this.d.store.volumes()) {
      if (v.status?.phase === 'Released') this.#reclaim(v);
      else if (v.status?.phase === 'Bound' && !this.#claimOf(v)) this.#release(v);
    }
  }

  /** The claim a PV is bound to, if it still exists (same uid). */
  #claimOf(v: PersistentVolume): PersistentVolumeClaim | undefined {
    const ref = v.spec.claimRef;
    const c = ref ? this.d.store.claim(ref.namespace, ref.name) : undefined;
    return c && c.metadata.uid === ref?.uid ? c : undefined;
  }

  /** pvc-protection: drop the finalizer when no pod uses the claim; returns the claim as stored, or undefined once gone. */
  #protect(c: PersistentVolumeClaim): PersistentVolumeClaim | undefined {
    const users = this.d.podsUsing(c.metadata.namespace!, c.metadata.name!);
    if (users.length > 0) return c;
    const finalizers = (c.metadata.finalizers ?? []).filter((f) => f !== PVC_PROTECTION_FINALIZER);
    if (finalizers.length > 0) {
      return this.d.store.putClaim({ ...c, metadata: { ...c.metadata, finalizers } });
    }
    this.#remove({ ...c, metadata: { ...c.metadata, finalizers: [] } });
    return undefined;
  }

  /** The claim is gone: its PV is Released and, reclaim Delete, removed with its data. */
  #remove(c: PersistentVolumeClaim): void {
    this.d.store.removeClaim(c);
    this.d.onClaimsChanged?.();
    const pv = c.spec.volumeName ? this.d.store.volume(c.spec.volumeName) : undefined;
    if (pv && pv.spec.claimRef?.uid === c.metadata.uid) this.#release(pv);
  }

  /**
   * syncVolume for a bound PV whose claim is gone: Released, then reclaimed. Also what
   * finishes a deletion an agent crash interrupted between the claim and its PV.
   */
  #release(pv: PersistentVolume): void {
    const released = this.d.store.putVolume({
      ...pv,
      status: { phase: 'Released', lastPhaseTransitionTime: rfc3339(this.d.clock.now()) },
    });
    if (released.spec.persistentVolumeReclaimPolicy === 'Delete') this.#reclaim(released);
  }

  #reclaim(pv: PersistentVolume): void {
    const name = pv.metadata.name!;
    if (this.#reclaiming.has(name)) return;
    this.#reclaiming.add(name);
    this.d
      .removeData(dataVolumeName(name))
      .then(() => {
        const current = this.d.store.volume(name);
        if (current) this.d.store.removeVolume(current);
        this.d.log.info({ pv: name }, 'released volume deleted');
      })
      .catch((err: unknown) => {
        // Stays Released; the next pod termination (or agent start) tries again.
        this.d.log.warn({ pv: name, err: errorMessage(err) }, 'cannot delete the released volume');
      })
      .finally(() => this.#reclaiming.delete(name));
  }

  /** Agent start: finish what a previous run left (Released PVs, deleted claims without users). */
  resume(): void {
    this.podsChanged();
  }

  #announcePending(c: PersistentVolumeClaim): void {
    const cls = this.#classes.find((s) => s.metadata.name === c.spec.storageClassName);
    if (!c.spec.storageClassName) return;
    if (!cls) {
      this.d.events.objectEvent(
        c,
        'Warning',
        'ProvisioningFailed',
        `storageclass.storage.k8s.io "${c.spec.storageClassName}" not found`,
        PV_CONTROLLER,
      );
      return;
    }
    this.d.events.objectEvent(
      c,
      'Normal',
      'WaitForFirstConsumer',
      'waiting for first consumer to be created before binding',
      PV_CONTROLLER,
    );
  }

  #provisionAndBind(claim: PersistentVolumeClaim): void {
    const cls = this.#classes.find((s) => s.metadata.name === claim.spec.storageClassName);
    if (!cls) throw new Error(`storageclass.storage.k8s.io "${claim.spec.storageClassName}" not found`);
    const { volume, bound } = provision(claim, cls, this.d.nodeName, rfc3339(this.d.clock.now()));
    this.d.store.putVolume(volume);
    const message = `Successfully provisioned volume ${volume.metadata.name}`;
    this.d.events.objectEvent(claim, 'Normal', 'ProvisioningSucceeded', message, LOCAL_PROVISIONER);
    this.d.store.putClaim(bound);
  }

  /** A bound claim's request grew: the local volume has no size to change, so it is done at once. */
  #resize(next: PersistentVolumeClaim): void {
    const storage = next.spec.resources!.requests!.storage!;
    next.status = { ...next.status, capacity: { storage } };
    const pv = next.spec.volumeName ? this.d.store.volume(next.spec.volumeName) : undefined;
    if (pv) this.d.store.putVolume({ ...pv, spec: { ...pv.spec, capacity: { storage } } });
  }
}

/** The scheduler's view of the node's claims (PodConfig's VolumeBinding filter and PreBind). */
export function claimsFor(c: VolumeController): PodClaims {
  return {
    prepare: (pod) => c.ensureEphemeralClaims(pod),
    lookup: (ns, name) => c.listClaims(ns).find((x) => x.metadata.name === name),
    placed: (uid) => c.isPlaced(uid),
    bind: (pod) => c.bindPodClaims(pod),
  };
}

/**
 * pvcprotection's podUsesPVC: pods placed on the node (a pod the scheduler still holds
 * back has no node and does not count) whose phase is not terminal and that use `claim`.
 */
export function placedPodsUsing(
  pods: ValidPod[],
  claim: string,
  statusOf: (uid: string) => PodStatus | undefined,
): ValidPod[] {
  return pods.filter((p) => {
    const st = statusOf(p.metadata.uid);
    const unscheduled = st?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False');
    return !unscheduled && !isPodPhaseTerminal(st?.phase) && podClaimNames(p).includes(claim);
  });
}
