// The agent as its HTTP API sees it: a thin adapter implementing the server's
// NodeFacade. Pods are read from the status manager (desired spec + latest status)
// and changed only through the pod config, the one owner of incoming pods; logs
// come from the runtime; events and Secrets/ConfigMaps from their stores.
// kubelet.ts builds and wires it.
import type { Readable } from 'node:stream';
import type {
  KubeEvent,
  Pod,
  PodLogRequest,
  StoredKind,
  StoredObject,
  ValidPod,
  WatchEvent,
} from './apis/core/types.js';
import { admitObject, admitPodUpdate } from './apis/core/admit.js';
import { KubeletError, notFoundError } from './util/errors.js';
import type { Clock } from './util/clock.js';
import type { NodeFacade } from './server/node-facade.js';
import type { ContainerRuntime } from './runtime/runtime.js';
import type { EventRecorder } from './events/recorder.js';
import type { StatusManager } from './status/status-manager.js';
import type { ObjectStore } from './sources/object-store.js';
import type { PodConfig } from './sources/pod-config.js';
import type { ResourceVersions } from './util/resource-versions.js';

export interface KubeletApiDeps {
  nodeName: string;
  clock: Clock;
  rvs: ResourceVersions;
  status: StatusManager;
  podConfig: PodConfig;
  events: EventRecorder;
  objects: ObjectStore;
  runtime: ContainerRuntime;
}

export class KubeletApi implements NodeFacade {
  constructor(private readonly d: KubeletApiDeps) {}

  get nodeName(): string {
    return this.d.nodeName;
  }
  resourceVersion(): string {
    return this.d.rvs.current();
  }

  listPods(namespace?: string): Pod[] {
    return this.d.status.listPods(namespace);
  }

  getPod(namespace: string, name: string): Pod {
    const p = this.d.status.findPod(namespace, name);
    if (!p) throw notFoundError('pods', name);
    return p;
  }

  async createPod(namespace: string, body: unknown): Promise<Pod> {
    const obj = admitObject(body, { namespace, now: this.d.clock.now() });
    if (obj.kind !== 'Pod') throw new KubeletError('BadRequest', `expected kind Pod, got ${obj.kind}`);
    return this.runPod(obj as ValidPod);
  }

  /** Run an admitted pod submitted by a client (API or `run -f`); it is bound to this node. */
  runPod(admitted: ValidPod): Pod {
    const pod = this.d.podConfig.addApiPod(admitted);
    return this.getPod(pod.metadata.namespace, pod.metadata.name);
  }

  async updatePod(namespace: string, name: string, body: unknown): Promise<Pod> {
    const now = this.d.clock.now();
    this.d.podConfig.updateApiPod(namespace, name, (old) => admitPodUpdate(body, old, { now }));
    return this.getPod(namespace, name);
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds?: number): Promise<Pod> {
    const pod = this.d.podConfig.deleteApiPod(namespace, name, gracePeriodSeconds);
    return this.getPod(pod.metadata.namespace, pod.metadata.name);
  }

  async podLogs(namespace: string, name: string, req: PodLogRequest, signal?: AbortSignal): Promise<Readable> {
    const pod = this.getPod(namespace, name);
    const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers].map((c) => c.name);
    const container = req.container ?? (pod.spec.containers.length === 1 ? pod.spec.containers[0]!.name : undefined);
    if (!container) {
      throw new KubeletError(
        'BadRequest',
        `a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`,
      );
    }
    if (!all.includes(container))
      throw new KubeletError('BadRequest', `container ${container} is not valid for pod ${name}`);
    const rt = await this.d.runtime.getPodStatus(pod.metadata.uid!);
    const instances = rt.containers.filter((c) => c.name === container);
    const inst = req.previous ? instances[1] : instances[0];
    if (!inst) {
      if (req.previous)
        throw new KubeletError('BadRequest', `previous terminated container "${container}" in pod "${name}" not found`);
      const waiting =
        [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].find(
          (s) => s.name === container,
        )?.state.waiting?.reason ?? 'ContainerCreating';
      throw new KubeletError('BadRequest', `container "${container}" in pod "${name}" is waiting to start: ${waiting}`);
    }
    const { container: _c, previous: _p, ...opts } = req;
    return this.d.runtime.containerLogs(inst.id, opts, signal);
  }

  listEvents(namespace?: string): KubeEvent[] {
    return this.d.events.list(namespace);
  }

  listObjects(kind: StoredKind, namespace?: string): StoredObject[] {
    return this.d.objects.list(kind, namespace);
  }
  getObject(kind: StoredKind, namespace: string, name: string): StoredObject {
    return this.d.objects.get(kind, namespace, name);
  }

  async createObject(kind: StoredKind, namespace: string, body: unknown): Promise<StoredObject> {
    const obj = admitObject(body, { namespace, now: this.d.clock.now() });
    if (obj.kind !== kind) throw new KubeletError('BadRequest', `expected kind ${kind}, got ${obj.kind}`);
    return this.d.objects.put(obj as StoredObject, { replace: false });
  }

  async updateObject(kind: StoredKind, namespace: string, name: string, body: unknown): Promise<StoredObject> {
    const old = this.d.objects.get(kind, namespace, name);
    const meta = (body as { metadata?: object }).metadata;
    const carried = {
      ...(body as object),
      metadata: { ...meta, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp },
    };
    const obj = admitObject(carried, { namespace, now: this.d.clock.now() });
    if (obj.kind !== kind) throw new KubeletError('BadRequest', `expected kind ${kind}, got ${obj.kind}`);
    return this.d.objects.put(obj as StoredObject, { replace: true });
  }

  async deleteObject(kind: StoredKind, namespace: string, name: string): Promise<StoredObject> {
    return this.d.objects.delete(kind, namespace, name);
  }

  watchPods(handler: (e: WatchEvent<Pod>) => void): () => void {
    return this.d.status.subscribe((type, object) => handler({ type, object }));
  }

  watchEvents(handler: (e: WatchEvent<KubeEvent>) => void): () => void {
    return this.d.events.subscribe((type, object) => handler({ type, object }));
  }
}
