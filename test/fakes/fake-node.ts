// An in-memory NodeFacade for server and client tests: pods, events, secrets and
// configmaps with resourceVersions, watch listeners, and scriptable log streams.
import { type Duplex, PassThrough, type Readable } from 'node:stream';
import type { ContainerStreams, StreamRequest } from '../../src/container/streams.js';
import type { ConfigMap, KubeEvent, Namespace, Node, Pod, PodStatus, Secret } from '../../src/apis/core/types.js';
import type { NodeFacade } from '../../src/server/node-facade.js';
import type { PodLogRequest } from '../../src/apis/core/types.js';
import type { StoredKind, StoredObject, WatchEvent } from '../../src/apis/core/types.js';
import { KubeletError, ValidationError, alreadyExistsError, notFoundError } from '../../src/util/errors.js';

type Listener<T> = (e: WatchEvent<T>) => void;

export interface LogCall {
  namespace: string;
  name: string;
  req: PodLogRequest;
  signal?: AbortSignal;
  stream: PassThrough;
}

const clone = <T>(o: T): T => structuredClone(o);
const key = (ns: string, name: string) => `${ns}/${name}`;

export class FakeNode implements NodeFacade {
  readonly nodeName = 'fake-node';
  #rv = 100;
  #uid = 0;
  readonly pods = new Map<string, Pod>();
  readonly events: KubeEvent[] = [];
  readonly objects = new Map<string, StoredObject>();
  readonly #podListeners = new Set<Listener<Pod>>();
  readonly #eventListeners = new Set<Listener<KubeEvent>>();
  /** Every deletePod call, with the grace period it was given. */
  readonly deleteCalls: { namespace: string; name: string; grace: number | undefined }[] = [];
  /** Every podLogs call; tests write to and end `stream`. */
  readonly logCalls: LogCall[] = [];
  /** Lines a non-follow log request returns (then the stream ends). */
  logText = 'line 1\nline 2\n';
  now = () => '2026-01-01T00:00:00Z';

  #next(): string {
    return String(++this.#rv);
  }
  resourceVersion(): string {
    return String(this.#rv);
  }

  get podListenerCount(): number {
    return this.#podListeners.size;
  }

  // ---- pods ----

  listPods(namespace?: string): Pod[] {
    return [...this.pods.values()]
      .filter((p) => namespace === undefined || p.metadata.namespace === namespace)
      .map(clone);
  }

  /** What /runningpods/ answers (tests set it). */
  running: Pod[] = [];
  async runningPods(): Promise<Pod[]> {
    return this.running.map(clone);
  }

  getPod(namespace: string, name: string): Pod {
    const p = this.pods.get(key(namespace, name));
    if (!p) throw notFoundError('pods', name);
    return clone(p);
  }

  async createPod(namespace: string, body: unknown): Promise<Pod> {
    const b = body as Partial<Pod>;
    if (b.kind !== undefined && b.kind !== 'Pod')
      throw new KubeletError('BadRequest', `expected kind Pod, got ${b.kind}`);
    const name = b.metadata?.name ?? '';
    const errs: ConstructorParameters<typeof ValidationError>[2] = [];
    if (!name) errs.push({ path: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' });
    const containers = b.spec?.containers ?? [];
    if (containers.length === 0) errs.push({ path: 'spec.containers', type: 'Required value' });
    containers.forEach((c, i) => {
      if (!c.image) errs.push({ path: `spec.containers[${i}].image`, type: 'Required value' });
    });
    if (errs.length) throw new ValidationError('Pod', name, errs);
    if (this.pods.has(key(namespace, name))) throw alreadyExistsError('pods', name);
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...b.metadata,
        name,
        namespace,
        uid: `uid-${++this.#uid}`,
        creationTimestamp: this.now(),
        resourceVersion: this.#next(),
      },
      spec: {
        nodeName: this.nodeName,
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        ...b.spec,
        containers,
      },
      status: { phase: 'Pending' },
    };
    this.pods.set(key(namespace, name), pod);
    this.#emitPod('ADDED', pod);
    return clone(pod);
  }

  /** Every updatePod call's body, as given. */
  readonly updateCalls: { namespace: string; name: string; body: Pod }[] = [];

  async updateEphemeralContainers(namespace: string, name: string, body: unknown): Promise<Pod> {
    const p = this.pods.get(key(namespace, name));
    if (!p) throw notFoundError('pods', name);
    const ephemeralContainers = clone((body as Pod).spec?.ephemeralContainers ?? []);
    return this.updatePod(namespace, name, { ...p, spec: { ...p.spec, ephemeralContainers } });
  }

  /** Every updatePodStatus call's body, as given. */
  readonly statusCalls: { namespace: string; name: string; body: Pod }[] = [];

  /** Takes the body's status as is (the real node keeps only client-owned conditions). */
  async updatePodStatus(namespace: string, name: string, body: unknown): Promise<Pod> {
    const p = this.pods.get(key(namespace, name));
    if (!p) throw notFoundError('pods', name);
    const b = clone(body as Pod);
    this.statusCalls.push({ namespace, name, body: b });
    const next: Pod = { ...p, metadata: { ...p.metadata, resourceVersion: this.#next() }, status: b.status };
    this.pods.set(key(namespace, name), next);
    this.#emitPod('MODIFIED', next);
    return clone(next);
  }

  async updatePod(namespace: string, name: string, body: unknown): Promise<Pod> {
    const p = this.pods.get(key(namespace, name));
    if (!p) throw notFoundError('pods', name);
    const b = clone(body as Pod);
    this.updateCalls.push({ namespace, name, body: b });
    const next: Pod = { ...b, metadata: { ...b.metadata, resourceVersion: this.#next() }, status: p.status };
    this.pods.set(key(namespace, name), next);
    this.#emitPod('MODIFIED', next);
    return clone(next);
  }

  async deletePod(namespace: string, name: string, gracePeriodSeconds?: number): Promise<Pod> {
    const p = this.pods.get(key(namespace, name));
    if (!p) throw notFoundError('pods', name);
    this.deleteCalls.push({ namespace, name, grace: gracePeriodSeconds });
    const grace = gracePeriodSeconds ?? p.spec.terminationGracePeriodSeconds ?? 30;
    p.metadata.deletionTimestamp ??= this.now();
    p.metadata.deletionGracePeriodSeconds ??= grace;
    p.metadata.resourceVersion = this.#next();
    this.#emitPod('MODIFIED', p);
    const answer = clone(p);
    if (grace === 0) this.removePod(namespace, name);
    return answer;
  }

  /** The pod is really gone: DELETED. */
  removePod(namespace: string, name: string): void {
    const p = this.pods.get(key(namespace, name));
    if (!p) return;
    this.pods.delete(key(namespace, name));
    p.metadata.resourceVersion = this.#next();
    this.#emitPod('DELETED', p);
  }

  /** A status change: MODIFIED. */
  setPodStatus(namespace: string, name: string, status: Partial<PodStatus>): Pod {
    const p = this.pods.get(key(namespace, name));
    if (!p) throw new Error(`no pod ${namespace}/${name}`);
    p.status = { ...(p.status ?? { phase: 'Pending' }), ...status };
    p.metadata.resourceVersion = this.#next();
    this.#emitPod('MODIFIED', p);
    return clone(p);
  }

  async podLogs(namespace: string, name: string, req: PodLogRequest, signal?: AbortSignal): Promise<Readable> {
    const pod = this.getPod(namespace, name);
    const names = pod.spec.containers.map((c) => c.name);
    if (req.container && !names.includes(req.container))
      throw new KubeletError('BadRequest', `container ${req.container} is not valid for pod ${name}`);
    const stream = new PassThrough();
    this.logCalls.push({ namespace, name, req, ...(signal ? { signal } : {}), stream });
    signal?.addEventListener('abort', () => stream.destroy(), { once: true });
    stream.write(this.logText);
    if (!req.follow) stream.end();
    return stream;
  }

  // ---- events ----

  /** Scripted exec/attach/port-forward for streaming tests; unset = BadRequest. */
  onExec?: (command: string[], req: StreamRequest) => ContainerStreams;
  onAttach?: (req: StreamRequest) => ContainerStreams;
  onPortForward?: (port: number) => Duplex;

  async execInContainer(
    namespace: string,
    name: string,
    _container: string | undefined,
    command: string[],
    req: StreamRequest,
  ): Promise<ContainerStreams> {
    this.getPod(namespace, name);
    if (!this.onExec) throw new KubeletError('BadRequest', 'exec is not scripted');
    return this.onExec(command, req);
  }

  async attachToContainer(
    namespace: string,
    name: string,
    _container: string | undefined,
    req: StreamRequest,
  ): Promise<ContainerStreams> {
    this.getPod(namespace, name);
    if (!this.onAttach) throw new KubeletError('BadRequest', 'attach is not scripted');
    return this.onAttach(req);
  }

  async portForward(namespace: string, name: string, port: number): Promise<Duplex> {
    this.getPod(namespace, name);
    if (!this.onPortForward) throw new Error(`error forwarding port ${port} to pod ${name}, uid : not scripted`);
    return this.onPortForward(port);
  }

  listEvents(namespace?: string): KubeEvent[] {
    return this.events.filter((e) => namespace === undefined || e.metadata.namespace === namespace).map(clone);
  }

  addEvent(pod: Pod, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): KubeEvent {
    const ns = pod.metadata.namespace ?? 'default';
    const e: KubeEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${pod.metadata.name}.${(this.events.length + 1).toString(16).padStart(8, '0')}`,
        namespace: ns,
        uid: `ev-${++this.#uid}`,
        resourceVersion: this.#next(),
        creationTimestamp: this.now(),
      },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name: pod.metadata.name!,
        namespace: ns,
        uid: pod.metadata.uid!,
      },
      reason,
      message,
      source: { component: 'kubelet', host: this.nodeName },
      firstTimestamp: this.now(),
      lastTimestamp: this.now(),
      count: 1,
      type,
      eventTime: null,
      reportingComponent: 'kubelet',
      reportingInstance: this.nodeName,
    };
    this.events.push(e);
    for (const l of this.#eventListeners) l({ type: 'ADDED', object: clone(e) });
    return clone(e);
  }

  // ---- secrets / configmaps ----

  listObjects(kind: StoredKind, namespace?: string): StoredObject[] {
    return [...this.objects.values()]
      .filter((o) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace))
      .map(clone);
  }

  getObject(kind: StoredKind, namespace: string, name: string): StoredObject {
    const o = this.objects.get(`${kind}/${key(namespace, name)}`);
    if (!o) throw notFoundError(kind === 'Secret' ? 'secrets' : 'configmaps', name);
    return clone(o);
  }

  async createObject(kind: StoredKind, namespace: string, body: unknown): Promise<StoredObject> {
    const b = body as Partial<Secret | ConfigMap>;
    if (b.kind !== kind) throw new KubeletError('BadRequest', `expected kind ${kind}, got ${String(b.kind)}`);
    const name = b.metadata?.name ?? '';
    if (!name)
      throw new ValidationError(kind, name, [
        { path: 'metadata.name', type: 'Required value', detail: 'name or generateName is required' },
      ]);
    const k = `${kind}/${key(namespace, name)}`;
    if (this.objects.has(k)) throw alreadyExistsError(kind === 'Secret' ? 'secrets' : 'configmaps', name);
    const obj = {
      ...b,
      apiVersion: 'v1',
      kind,
      metadata: {
        ...b.metadata,
        name,
        namespace,
        uid: `uid-${++this.#uid}`,
        creationTimestamp: this.now(),
        resourceVersion: this.#next(),
      },
    } as StoredObject;
    this.objects.set(k, obj);
    return clone(obj);
  }

  async replaceObject(kind: StoredKind, namespace: string, name: string, body: unknown): Promise<StoredObject> {
    const prev = this.getObject(kind, namespace, name);
    const b = body as Partial<Secret | ConfigMap>;
    if (b.kind !== kind) throw new KubeletError('BadRequest', `expected kind ${kind}, got ${String(b.kind)}`);
    const obj = {
      ...b,
      apiVersion: 'v1',
      kind,
      metadata: { ...b.metadata, name, namespace, uid: prev.metadata.uid, resourceVersion: this.#next() },
    } as StoredObject;
    this.objects.set(`${kind}/${key(namespace, name)}`, obj);
    return clone(obj);
  }

  async deleteObject(kind: StoredKind, namespace: string, name: string): Promise<StoredObject> {
    const o = this.getObject(kind, namespace, name);
    this.objects.delete(`${kind}/${key(namespace, name)}`);
    this.#next();
    return o;
  }

  // ---- watches ----

  watchPods(handler: Listener<Pod>): () => void {
    this.#podListeners.add(handler);
    return () => {
      this.#podListeners.delete(handler);
    };
  }

  // ---- the node and namespaces ----

  node: Node = fakeNodeObject(this.nodeName, '1');
  readonly namespaces = new Map<string, Namespace>(
    ['default', 'kube-node-lease', 'kube-public', 'kube-system'].map((n) => [n, fakeNamespace(n, '1')]),
  );
  readonly #nodeListeners = new Set<Listener<Node>>();
  readonly #namespaceListeners = new Set<Listener<Namespace>>();

  listNodes(): Node[] {
    return [clone(this.node)];
  }
  getNode(name: string): Node {
    if (name !== this.nodeName) throw notFoundError('nodes', name);
    return clone(this.node);
  }
  async updateNode(name: string, body: unknown): Promise<Node> {
    this.getNode(name);
    const b = body as Node;
    this.node = {
      ...this.node,
      metadata: { ...this.node.metadata, labels: b.metadata.labels ?? {}, resourceVersion: this.#next() },
      spec: b.spec ?? {},
    };
    for (const l of this.#nodeListeners) l({ type: 'MODIFIED', object: clone(this.node) });
    return clone(this.node);
  }
  listNamespaces(): Namespace[] {
    return [...this.namespaces.values()].map(clone);
  }
  getNamespace(name: string): Namespace {
    const ns = this.namespaces.get(name);
    if (!ns) throw notFoundError('namespaces', name);
    return clone(ns);
  }
  async createNamespace(body: unknown): Promise<Namespace> {
    const name = (body as Namespace).metadata?.name ?? '';
    if (this.namespaces.has(name)) throw alreadyExistsError('namespaces', name);
    const ns = fakeNamespace(name, this.#next());
    this.namespaces.set(name, ns);
    for (const l of this.#namespaceListeners) l({ type: 'ADDED', object: clone(ns) });
    return clone(ns);
  }
  async updateNamespace(name: string, body: unknown): Promise<Namespace> {
    const ns = this.getNamespace(name);
    ns.metadata = { ...ns.metadata, labels: (body as Namespace).metadata.labels ?? {}, resourceVersion: this.#next() };
    this.namespaces.set(name, ns);
    return clone(ns);
  }
  /** Terminating at once; `finishNamespace` plays the controller's end. */
  async deleteNamespace(name: string): Promise<Namespace> {
    const ns = this.getNamespace(name);
    ns.status.phase = 'Terminating';
    ns.metadata.deletionTimestamp = this.now();
    ns.metadata.resourceVersion = this.#next();
    this.namespaces.set(name, ns);
    for (const l of this.#namespaceListeners) l({ type: 'MODIFIED', object: clone(ns) });
    return clone(ns);
  }
  finishNamespace(name: string): void {
    const ns = this.getNamespace(name);
    this.namespaces.delete(name);
    ns.metadata.resourceVersion = this.#next();
    for (const l of this.#namespaceListeners) l({ type: 'DELETED', object: ns });
  }
  watchNodes(handler: Listener<Node>): () => void {
    this.#nodeListeners.add(handler);
    return () => this.#nodeListeners.delete(handler);
  }
  watchNamespaces(handler: Listener<Namespace>): () => void {
    this.#namespaceListeners.add(handler);
    return () => this.#namespaceListeners.delete(handler);
  }

  watchEvents(handler: Listener<KubeEvent>): () => void {
    this.#eventListeners.add(handler);
    return () => {
      this.#eventListeners.delete(handler);
    };
  }

  #emitPod(type: WatchEvent<Pod>['type'], p: Pod): void {
    for (const l of this.#podListeners) l({ type, object: clone(p) });
  }
}

/** A minimal valid pod manifest. */
export function podManifest(name: string, extra: { labels?: Record<string, string>; containers?: string[] } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: (extra.containers ?? ['app']).map((c) => ({ name: c, image: 'busybox' })) },
  };
}

function fakeNamespace(name: string, rv: string): Namespace {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: `ns-${name}`,
      resourceVersion: rv,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/** A Ready node as the node manager builds one (fixed facts). */
export function fakeNodeObject(name: string, rv: string): Node {
  const t = '2026-01-01T00:00:00Z';
  const cond = (type: 'Ready' | 'MemoryPressure', status: 'True' | 'False', reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: 'node-uid',
      resourceVersion: rv,
      creationTimestamp: t,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' },
    },
    spec: { podCIDR: '10.244.0.0/16' },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '8092Mi', pods: '110' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: '10.244.0.1' },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10350 } },
      nodeInfo: {
        machineID: 'm',
        systemUUID: 's',
        bootID: 'b',
        kernelVersion: '6.1.0',
        osImage: 'Fake OS',
        containerRuntimeVersion: 'docker://27.0.0',
        kubeletVersion: 'v1.32.0-minikubelet',
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      images: [],
    },
  };
}
