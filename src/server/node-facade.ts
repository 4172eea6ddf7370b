// What the HTTP API needs from the node. The server depends only on this interface
// (and apis/core, util), never on sync/ or runtime/; kubelet.ts provides the implementation.
import type { Duplex, Readable } from 'node:stream';
import type { StorageFacade } from './storage-facade.js';
import type { WriteOptions } from './dry-run.js';
import type { ContainerStreams, StreamRequest } from '../container/streams.js';
import type {
  KubeEvent,
  Namespace,
  Node,
  Pod,
  PodLogRequest,
  StoredKind,
  StoredObject,
  WatchEvent,
} from '../apis/core/types.js';

/** One named check of /healthz; `error` set when it fails (e.g. runtime: container runtime is down). */
export interface HealthCheck {
  name: string;
  error?: string;
}

export interface NodeFacade {
  readonly nodeName: string;
  /** Monotonic resourceVersion of the newest change of any object. */
  resourceVersion(): string;

  /** Pods with their current status; namespace undefined = all namespaces. */
  listPods(namespace?: string): Pod[];
  /**
   * The pods that have a running sandbox or container, as the engine reports them
   * (the kubelet's /runningpods/): identity and running containers only.
   */
  runningPods(): Promise<Pod[]>;
  /** Throws KubeletError NotFound. */
  getPod(namespace: string, name: string): Pod;
  /**
   * Decodes, defaults and validates `body` (throws ValidationError / AlreadyExists), then runs it.
   * With `opts.dryRun` every write below (pods, objects) makes its checks and changes nothing.
   */
  createPod(namespace: string, body: unknown, opts?: WriteOptions): Promise<Pod>;
  /**
   * Replaces a pod with `body`, a whole object (PUT, or the result of a PATCH), under
   * the API server's update rules (ValidatePodUpdate): Invalid for a forbidden change,
   * Forbidden for a static pod. A changed container image restarts that container.
   */
  updatePod(namespace: string, name: string, body: unknown, opts?: WriteOptions): Promise<Pod>;
  /**
   * The pods/ephemeralcontainers subresource write: only `body.spec.ephemeralContainers`
   * is taken (add-only, validated as the API server does); the new ones are started by
   * the sync. Invalid for a forbidden change or a static pod.
   */
  updateEphemeralContainers(namespace: string, name: string, body: unknown): Promise<Pod>;
  /**
   * The pods/status subresource (PUT, or a PATCH's result): the client-owned conditions
   * of `body` (readiness gates') are stored and kept; the rest of the status stays the
   * kubelet's. Invalid for a bad condition, Forbidden for a static pod.
   */
  updatePodStatus(namespace: string, name: string, body: unknown): Promise<Pod>;
  /**
   * Starts graceful deletion; returns the pod with deletionTimestamp set.
   * gracePeriodSeconds undefined = the pod's terminationGracePeriodSeconds.
   */
  deletePod(namespace: string, name: string, gracePeriodSeconds?: number, opts?: WriteOptions): Promise<Pod>;
  /** Log stream of a container; throws NotFound / BadRequest with kubelet-style messages. */
  podLogs(namespace: string, name: string, req: PodLogRequest, signal?: AbortSignal): Promise<Readable>;

  /**
   * Start `command` in a running container with live stdio (the exec subresource).
   * container undefined = the pod's only container. Throws NotFound / BadRequest.
   */
  execInContainer(
    namespace: string,
    name: string,
    container: string | undefined,
    command: string[],
    req: StreamRequest,
  ): Promise<ContainerStreams>;
  /** Attach to a running container's main process (the attach subresource). */
  attachToContainer(
    namespace: string,
    name: string,
    container: string | undefined,
    req: StreamRequest,
  ): Promise<ContainerStreams>;
  /**
   * A TCP connection to `port` of a running pod (the portforward subresource). Rejects with
   * the kubelet's message (`error forwarding port 80 to pod …`), which goes on the error stream.
   */
  portForward(namespace: string, name: string, port: number): Promise<Duplex>;

  listEvents(namespace?: string): KubeEvent[];

  /** Secrets and ConfigMaps, stored by the agent. */
  listObjects(kind: StoredKind, namespace?: string): StoredObject[];
  getObject(kind: StoredKind, namespace: string, name: string): StoredObject;
  createObject(kind: StoredKind, namespace: string, body: unknown, opts?: WriteOptions): Promise<StoredObject>;
  /**
   * PUT: validates `body` first, then replaces the stored object, keeping its uid and
   * creationTimestamp. NotFound when absent; Conflict on a stale metadata.resourceVersion.
   * On any error the stored object is unchanged.
   */
  replaceObject(
    kind: StoredKind,
    namespace: string,
    name: string,
    body: unknown,
    opts?: WriteOptions,
  ): Promise<StoredObject>;
  deleteObject(kind: StoredKind, namespace: string, name: string, opts?: WriteOptions): Promise<StoredObject>;

  /** The agent's one Node (cluster-scoped). getNode throws NotFound for any other name. */
  listNodes(): Node[];
  getNode(name: string): Node;
  /**
   * PUT, or a PATCH's result: the user's labels, annotations, taints and unschedulable
   * persist; the status stays the agent's. Conflict on a stale resourceVersion, Invalid per
   * ValidateNodeUpdate.
   */
  updateNode(name: string, body: unknown): Promise<Node>;

  listNamespaces(): Namespace[];
  getNamespace(name: string): Namespace;
  createNamespace(body: unknown, opts?: WriteOptions): Promise<Namespace>;
  /** Labels and annotations only (PUT, PATCH). */
  updateNamespace(name: string, body: unknown, opts?: WriteOptions): Promise<Namespace>;
  /** Phase Terminating at once; its content is deleted and then the namespace (a DELETED event). */
  deleteNamespace(name: string, opts?: WriteOptions): Promise<Namespace>;

  /**
   * Changes after the subscription starts (no replay); the server replays
   * current objects itself when a watch asks for resourceVersion 0/unset.
   */
  watchPods(handler: (e: WatchEvent<Pod>) => void): () => void;
  watchEvents(handler: (e: WatchEvent<KubeEvent>) => void): () => void;
  watchNodes(handler: (e: WatchEvent<Node>) => void): () => void;
  watchNamespaces(handler: (e: WatchEvent<Namespace>) => void): () => void;

  /** PersistentVolumeClaims, PersistentVolumes and StorageClasses (absent: those routes answer NotFound). */
  readonly storage?: StorageFacade;

  /** The node's own health checks for /healthz beyond `ping` (the container runtime's). */
  healthChecks?(): HealthCheck[];
}
