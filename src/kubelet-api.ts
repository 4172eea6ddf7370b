// The agent as its HTTP API sees it: a thin adapter implementing the server's
// NodeFacade. Pods are read from the status manager (desired spec + latest status)
// and changed only through the pod config, the one owner of incoming pods; logs
// come from the runtime; events and Secrets/ConfigMaps from their stores.
// kubelet.ts builds and wires it.
import type { Duplex, Readable } from 'node:stream';
import type { ContainerStreams, StreamRequest } from './container/streams.js';
import { connectToPod } from './runtime/port-forward.js';
import { resolvePodContainer } from './container/resolve.js';
import {
  RESOURCE_OF_KIND,
  type KubeEvent,
  type Namespace,
  type Node,
  type Pod,
  type PodLogRequest,
  type ServiceAccount,
  type StoredKind,
  type StoredObject,
  type ValidPod,
  type WatchEvent,
} from './apis/core/types.js';
import { admitEphemeralContainersUpdate, admitObject, admitPodUpdate } from './apis/core/admit.js';
import { admitPodStatusUpdate, clientConditions, POD_CONDITIONS_BY_KUBELET } from './apis/core/pod-status-update.js';
import { rfc3339 } from './util/clock.js';
import { admitServiceAccount, randomNameSuffix } from './apis/core/admit-serviceaccount.js';
import { KubeletError, notFoundError } from './util/errors.js';
import { isStaticPod } from './apis/core/pod-util.js';
import type { Clock } from './util/clock.js';
import type { HealthCheck, NodeFacade } from './server/node-facade.js';
import type { WriteOptions } from './server/dry-run.js';
import { podQOSClass } from './status/qos.js';
import type { RuntimeHealth } from './runtime/runtime-health.js';
import type { ContainerRuntime, RuntimeContainer, RuntimePodStatus } from './runtime/runtime.js';
import type { EventRecorder } from './events/recorder.js';
import type { StatusManager } from './status/status-manager.js';
import type { StorageFacade } from './server/storage-facade.js';
import type { ObjectStore } from './sources/object-store.js';
import type { PodConfig } from './sources/pod-config.js';
import type { ResourceVersions } from './util/resource-versions.js';
import type { NodeManager } from './node/node-manager.js';
import type { NamespaceStore } from './namespace/namespace-store.js';

export interface KubeletApiDeps {
  nodeName: string;
  clock: Clock;
  rvs: ResourceVersions;
  status: StatusManager;
  podConfig: PodConfig;
  events: EventRecorder;
  objects: ObjectStore;
  runtime: ContainerRuntime;
  nodes: NodeManager;
  namespaces: NamespaceStore;
  /** Whether the engine answers (the runtime check of /healthz). */
  runtimeHealth?: RuntimeHealth;
  /** Claims, volumes and storage classes (the storage manager). */
  storage?: StorageFacade;
}

export class KubeletApi implements NodeFacade {
  constructor(private readonly d: KubeletApiDeps) {}

  /** The kubelet's runtime check: failing, with its reason, while the engine does not answer. */
  healthChecks(): HealthCheck[] {
    const h = this.d.runtimeHealth;
    if (!h) return [];
    return [h.isUp() ? { name: 'runtime' } : { name: 'runtime', error: h.reason() }];
  }

  get storage(): StorageFacade | undefined {
    return this.d.storage;
  }

  get nodeName(): string {
    return this.d.nodeName;
  }
  resourceVersion(): string {
    return this.d.rvs.current();
  }

  listPods(namespace?: string): Pod[] {
    return this.d.status.listPods(namespace);
  }

  async runningPods(): Promise<Pod[]> {
    const pods = await this.d.runtime.listPods();
    return pods
      .filter((p) => p.sandboxes.some((s) => s.state === 'running') || p.containers.some(isRunning))
      .map(toApiPod);
  }

  getPod(namespace: string, name: string): Pod {
    const p = this.d.status.findPod(namespace, name);
    if (!p) throw notFoundError('pods', name);
    return p;
  }

  async createPod(namespace: string, body: unknown, opts: WriteOptions = {}): Promise<Pod> {
    const obj = admitObject(body, { namespace, now: this.d.clock.now() });
    if (obj.kind !== 'Pod') throw new KubeletError('BadRequest', `expected kind Pod, got ${obj.kind}`);
    this.d.namespaces.admitCreate(namespace, 'pods', obj.metadata.name!);
    // Admission order of kube-apiserver: NamespaceLifecycle, then ServiceAccount.
    const pod = admitServiceAccount(
      obj as ValidPod,
      (ns, name) => this.d.objects.find('ServiceAccount', ns, name) as ServiceAccount | undefined,
      randomNameSuffix,
    );
    if (!opts.dryRun) return this.runPod(pod);
    // The pod strategy's PrepareForCreate status (pkg/registry/core/pod/strategy.go).
    const preview = this.d.podConfig.previewApiPod(pod);
    return { ...preview, status: { phase: 'Pending', qosClass: podQOSClass(preview) } };
  }

  /** Run an admitted pod submitted by a client (API or `run -f`); it is bound to this node. */
  runPod(admitted: ValidPod): Pod {
    const pod = this.d.podConfig.addApiPod(admitted);
    return this.getPod(pod.metadata.namespace, pod.metadata.name);
  }

  async updatePod(namespace: string, name: string, body: unknown, opts: WriteOptions = {}): Promise<Pod> {
    const now = this.d.clock.now();
    const compute = (old: ValidPod) => admitPodUpdate(body, old, { now });
    if (opts.dryRun) return this.#withStatus(this.d.podConfig.previewApiPodUpdate(namespace, name, compute));
    this.d.podConfig.updateApiPod(namespace, name, compute);
    return this.getPod(namespace, name);
  }

  /** A dry run's pod as the API would show it: the preview with the live status. */
  #withStatus(pod: ValidPod): Pod {
    return { ...pod, status: this.getPod(pod.metadata.namespace, pod.metadata.name).status };
  }

  async updateEphemeralContainers(namespace: string, name: string, body: unknown): Promise<Pod> {
    const now = this.d.clock.now();
    // A static pod is refused with the API server's validation error, before the pod config's own refusal.
    const current = this.getPod(namespace, name) as ValidPod;
    if (isStaticPod(current)) admitEphemeralContainersUpdate(body, current, { now });
    this.d.podConfig.updateApiPod(namespace, name, (old) => admitEphemeralContainersUpdate(body, old, { now }));
    return this.getPod(namespace, name);
  }

  async updatePodStatus(namespace: string, name: string, body: unknown): Promise<Pod> {
    const now = rfc3339(this.d.clock.now());
    const pod = this.d.podConfig.updateApiPodStatus(namespace, name, (old) => admitPodStatusUpdate(body, old, now));
    // Publish the client's conditions at once, so the answer and watchers show them; the
    // sync the update wakes then recomputes Ready from the readiness gates.
    const uid = pod.metadata.uid;
    const current = this.d.status.getStatus(uid);
    if (current) {
      const kubelets = (current.conditions ?? []).filter((c) => POD_CONDITIONS_BY_KUBELET.includes(c.type));
      this.d.status.setStatus(uid, {
        ...current,
        conditions: [...clientConditions(pod.status?.conditions), ...kubelets],
      });
    }
    return this.getPod(namespace, name);
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds?: number, opts: WriteOptions = {}): Promise<Pod> {
    if (opts.dryRun) return this.#withStatus(this.d.podConfig.previewApiPodDelete(namespace, name, gracePeriodSeconds));
    const pod = this.d.podConfig.deleteApiPod(namespace, name, gracePeriodSeconds);
    // A pod with nothing to stop (rejected at admission) is gone already: answer with its last state.
    return this.d.status.findPod(pod.metadata.namespace, pod.metadata.name) ?? pod;
  }

  async podLogs(namespace: string, name: string, req: PodLogRequest, signal?: AbortSignal): Promise<Readable> {
    const pod = this.getPod(namespace, name);
    const container = resolvePodContainer(pod, req.container);
    const rt = await this.d.runtime.getPodStatus(pod.metadata.uid!);
    const instances = rt.containers.filter((c) => c.name === container);
    // --previous reads the instance the status shows as lastState (kubelet
    // validateContainerLogStatus): in a crash-loop back-off that is the newest dead one,
    // the only one garbage collection keeps.
    const inst = req.previous ? lastTerminated(pod, container, instances) : instances[0];
    if (!inst) {
      if (req.previous)
        throw new KubeletError('BadRequest', `previous terminated container "${container}" in pod "${name}" not found`);
      const waiting =
        [
          ...(pod.status?.initContainerStatuses ?? []),
          ...(pod.status?.containerStatuses ?? []),
          ...(pod.status?.ephemeralContainerStatuses ?? []),
        ].find((s) => s.name === container)?.state.waiting?.reason ?? 'ContainerCreating';
      throw new KubeletError('BadRequest', `container "${container}" in pod "${name}" is waiting to start: ${waiting}`);
    }
    const { container: _c, previous: _p, ...opts } = req;
    return this.d.runtime.containerLogs(inst.id, opts, signal);
  }

  async execInContainer(
    namespace: string,
    name: string,
    container: string | undefined,
    command: string[],
    req: StreamRequest,
  ): Promise<ContainerStreams> {
    if (command.length === 0) throw new KubeletError('BadRequest', 'you must specify at least 1 command');
    const id = await this.#runningContainer(namespace, name, container, 'exec into');
    return this.d.runtime.execStreams(id, command, req);
  }

  async attachToContainer(
    namespace: string,
    name: string,
    container: string | undefined,
    req: StreamRequest,
  ): Promise<ContainerStreams> {
    const id = await this.#runningContainer(namespace, name, container, 'attach to');
    return this.d.runtime.attach(id, req);
  }

  async portForward(namespace: string, name: string, port: number): Promise<Duplex> {
    const pod = this.getPod(namespace, name);
    if (pod.status?.phase !== 'Running')
      throw new KubeletError('BadRequest', `pod ${name} is not running (phase ${pod.status?.phase ?? 'Unknown'})`);
    const rt = await this.d.runtime.getPodStatus(pod.metadata.uid!);
    const sandbox = rt.sandboxes.find((s) => s.state === 'running');
    return connectToPod(pod, sandbox?.id ?? pod.metadata.uid!, port);
  }

  /**
   * The running instance of a container, as the API server and kubelet check it before
   * streaming (pkg/registry/core/pod/strategy.go streamLocation, kubelet GetExec/GetAttach).
   */
  async #runningContainer(
    namespace: string,
    name: string,
    requested: string | undefined,
    verb: string,
  ): Promise<string> {
    const pod = this.getPod(namespace, name);
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed')
      throw new KubeletError('BadRequest', `cannot ${verb} a container in a completed pod; current phase is ${phase}`);
    const container = resolvePodContainer(pod, requested);
    const rt = await this.d.runtime.getPodStatus(pod.metadata.uid!);
    const inst = rt.containers.find((c) => c.name === container && c.state === 'running');
    if (!inst) throw new KubeletError('BadRequest', `container not found ("${container}")`);
    return inst.id;
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

  async createObject(
    kind: StoredKind,
    namespace: string,
    body: unknown,
    opts: WriteOptions = {},
  ): Promise<StoredObject> {
    const obj = admitObject(body, { namespace, now: this.d.clock.now() });
    if (obj.kind !== kind) throw new KubeletError('BadRequest', `expected kind ${kind}, got ${obj.kind}`);
    this.d.namespaces.admitCreate(namespace, RESOURCE_OF_KIND[kind], obj.metadata.name!);
    return this.d.objects.put(obj as StoredObject, { replace: false, dryRun: opts.dryRun === true });
  }

  async replaceObject(
    kind: StoredKind,
    namespace: string,
    _name: string,
    body: unknown,
    opts: WriteOptions = {},
  ): Promise<StoredObject> {
    // The precondition is the client's; every other server field is the store's.
    const rv = (body as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
    const obj = admitObject(body, { namespace, now: this.d.clock.now() });
    if (obj.kind !== kind) throw new KubeletError('BadRequest', `expected kind ${kind}, got ${obj.kind}`);
    return this.d.objects.update(obj as StoredObject, typeof rv === 'string' ? rv : undefined, {
      dryRun: opts.dryRun === true,
    });
  }

  async deleteObject(
    kind: StoredKind,
    namespace: string,
    name: string,
    opts: WriteOptions = {},
  ): Promise<StoredObject> {
    if (opts.dryRun) return this.d.objects.get(kind, namespace, name);
    return this.d.objects.delete(kind, namespace, name);
  }

  listNodes(): Node[] {
    return this.d.nodes.list();
  }
  getNode(name: string): Node {
    return this.d.nodes.get(name);
  }
  async updateNode(name: string, body: unknown): Promise<Node> {
    return this.d.nodes.update(name, body);
  }

  listNamespaces(): Namespace[] {
    return this.d.namespaces.list();
  }
  getNamespace(name: string): Namespace {
    return this.d.namespaces.get(name);
  }
  async createNamespace(body: unknown, opts: WriteOptions = {}): Promise<Namespace> {
    return this.d.namespaces.create(body, opts);
  }
  async updateNamespace(name: string, body: unknown, opts: WriteOptions = {}): Promise<Namespace> {
    return this.d.namespaces.update(name, body, opts);
  }
  async deleteNamespace(name: string, opts: WriteOptions = {}): Promise<Namespace> {
    return this.d.namespaces.beginDelete(name, opts);
  }

  watchNodes(handler: (e: WatchEvent<Node>) => void): () => void {
    return this.d.nodes.subscribe((type, object) => handler({ type, object }));
  }
  watchNamespaces(handler: (e: WatchEvent<Namespace>) => void): () => void {
    return this.d.namespaces.subscribe((type, object) => handler({ type, object }));
  }

  watchPods(handler: (e: WatchEvent<Pod>) => void): () => void {
    return this.d.status.subscribe((type, object) => handler({ type, object }));
  }

  watchEvents(handler: (e: WatchEvent<KubeEvent>) => void): () => void {
    return this.d.events.subscribe((type, object) => handler({ type, object }));
  }
}

/** The instance a container status names as lastState.terminated, if the engine still has it. */
function lastTerminated(pod: Pod, container: string, instances: RuntimeContainer[]): RuntimeContainer | undefined {
  const st = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ].find((s) => s.name === container);
  const id = st?.lastState.terminated?.containerID?.replace(/^[a-z]+:\/\//, '');
  return id ? instances.find((c) => c.id === id) : undefined;
}

const isRunning = (c: { state: string }) => c.state === 'running';

/**
 * A pod as the engine runs it (pkg/kubelet/container/runtime.go Pod.ToAPIPod): identity
 * and the running containers' names and images, nothing from the spec or status.
 */
function toApiPod(p: RuntimePodStatus): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: p.namespace, uid: p.uid, creationTimestamp: null },
    spec: { containers: p.containers.filter(isRunning).map((c) => ({ name: c.name, image: c.image, resources: {} })) },
  };
}
