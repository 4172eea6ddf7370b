// The runtime boundary: what the pod workers may ask of the container engine.
// Mechanics only, no pod policy. The Docker implementation is runtime/docker-runtime.ts;
// unit tests drive sync/ with test/fakes/fake-runtime.ts instead.
import type { Readable } from 'node:stream';
import type { Container, ValidPod, VolumeMount } from '../apis/core/types.js';
import type { ContainerType, RuntimeState } from '../container/helpers.js';
import type { ContainerStreams, StreamRequest } from '../container/streams.js';
import type { VolumePayloads } from './projected-volumes.js';

export type { ContainerType, RuntimeState };

/** One pause (sandbox) container as found in the engine. */
export interface RuntimeSandbox {
  id: string;
  /** 0 for the first sandbox of a pod, +1 each time it is re-created. */
  attempt: number;
  state: RuntimeState;
  /** The pod IP on the pod network (only while running). */
  ip?: string;
  createdAt: string;
}

/** One container instance (of a pod container name) as found in the engine. */
export interface RuntimeContainer {
  id: string;
  /** The Kubernetes container name (spec name). */
  name: string;
  type: ContainerType;
  sandboxId: string;
  /** restartCount of this instance: 0 for the first one. */
  restartCount: number;
  /** Hash of the container spec this instance was created from. */
  hash: string;
  state: RuntimeState;
  /** RFC 3339 times; absent when the engine reports a zero time. */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  oomKilled?: boolean;
  /** Docker's State.Error: why a start failed (e.g. executable not found). */
  error?: string;
  /** The image as written in the spec. */
  image: string;
  /** The image ID the instance runs (`sha256:…`) and its repo digest if any. */
  imageId: string;
  imageDigest?: string;
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  /** For an exited instance: its termination message ('' when none). */
  terminationMessage?: string;
}

/** Everything the engine knows about one pod, newest instances first. */
export interface RuntimePodStatus {
  uid: string;
  name: string;
  namespace: string;
  sandboxes: RuntimeSandbox[];
  containers: RuntimeContainer[];
}

export interface CreateContainerRequest {
  pod: ValidPod;
  container: Container;
  type: ContainerType;
  sandboxId: string;
  restartCount: number;
  /** Extra environment computed by the kubelet (already expanded). */
  env: string[];
  /** Fully expanded command and args (kubelet-side `$(VAR)` expansion done). */
  command?: string[];
  args?: string[];
  /**
   * An ephemeral container's target: the runtime ID of the container whose PID namespace it
   * joins (CRI NamespaceMode_TARGET; cri-dockerd's `PidMode: container:<id>`).
   */
  pidTargetId?: string;
  /** volumeMounts with subPathExpr expanded into subPath (kubelet makeMounts); default: the spec's. */
  volumeMounts?: VolumeMount[];
  /** The OOM score adjust the kubelet computed from the pod's QoS (kuberuntime → CRI LinuxContainerResources). */
  oomScoreAdj?: number;
}

export interface LogOptions {
  follow?: boolean;
  tailLines?: number;
  timestamps?: boolean;
  sinceSeconds?: number;
  sinceTime?: string;
  limitBytes?: number;
}

export interface ExecResult {
  exitCode: number;
  output: string;
  timedOut: boolean;
}

export interface ContainerStateSummary {
  id: string;
  podUid: string;
  /** The engine's state word (`running`, `exited`, `created`, `paused`…). */
  state: string;
  /** True for a pod's pause (sandbox) container. */
  sandbox?: boolean;
}

/** What the kubelet decides about a sandbox (kuberuntime_sandbox.go generatePodSandboxConfig). */
export interface SandboxConfig {
  /** The UTS hostname: the pod's hostname, or its FQDN with setHostnameAsFQDN. */
  kernelHostname: string;
  /** The short hostname and the domain (`<subdomain>.<ns>.svc.<cluster-domain>`, or '') for /etc/hosts. */
  hostname: string;
  hostDomain: string;
  /** The /etc/resolv.conf content (pod-dns.ts). */
  resolvConf: string;
}

/** Something changed for a container of this agent: a hint to re-sync that pod. */
export interface RuntimeEvent {
  podUid: string;
  containerId: string;
  action: string;
}

export interface ContainerRuntime {
  /** Relist one pod from the engine. */
  /**
   * `listedAfter` (a performance.now() instant, the end of the pod's last sync): the
   * runtime may answer from a list of every container it sent after that instant (the
   * PLEG's relist) instead of a list of its own, unless an engine event came for the pod
   * since that list — the kubelet's podCache.GetNewerThan(uid, lastSyncTime).
   */
  getPodStatus(uid: string, opts?: { listedAfter?: number }): Promise<RuntimePodStatus>;
  /** All pods that have containers of this agent in the engine. */
  listPods(): Promise<RuntimePodStatus[]>;
  /** One cheap list call: every container of this agent with its pod and engine state. */
  listContainerStates(): Promise<ContainerStateSummary[]>;

  /**
   * Create and start a sandbox; returns its ID. Idempotent on name conflict. `config`
   * (the kubelet's PodSandboxConfig: hostname, domain, DNS) also writes the pod's
   * /etc/hosts and /etc/resolv.conf, which every container then mounts.
   * `whenCreated` is called with the sandbox's ID once it exists and before it starts,
   * if that ID is final (no retry can replace the sandbox): the caller may create the
   * pod's containers meanwhile (issue #17, lever 2). It is not called otherwise.
   */
  runSandbox(
    pod: ValidPod,
    attempt: number,
    config?: SandboxConfig,
    whenCreated?: (sandboxId: string) => void,
  ): Promise<string>;
  stopSandbox(id: string, graceSeconds: number): Promise<void>;

  /**
   * Set up the pod's volumes before its sandbox (volume manager SetUp): create emptyDirs,
   * check hostPath types, write configMap/secret/downwardAPI/projected payloads (again
   * on every sync: an update reaches the files atomically). Throws VolumeSetUpError (container/errors.ts) naming the volume.
   */
  setUpPodVolumes(pod: ValidPod, payloads?: VolumePayloads): Promise<void>;
  /** Throws ContainerConfigError when the container's config (e.g. a subPath) is refused. */
  createContainer(req: CreateContainerRequest): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** Send the stop signal, wait up to graceSeconds, then SIGKILL. No-op if already stopped. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  /** Remove one container (sandbox or app); missing is not an error. */
  removeContainer(id: string): Promise<void>;
  /** Remove everything of a pod: containers, sandboxes and pod-scoped volumes. */
  removePod(uid: string): Promise<void>;
  /**
   * Pod UIDs that still hold pod-scoped leftovers of this agent: emptyDir volumes and
   * per-pod directories under the state dir (termination logs, subPath staging).
   * removePod(uid) removes them all; the garbage collector calls it for pods gone.
   */
  listPodLeftovers(): Promise<string[]>;

  /** Is this image present locally? */
  imageExists(image: string): Promise<boolean>;
  pullImage(image: string, onProgress?: (p: PullProgress) => void, signal?: AbortSignal): Promise<void>;
  /** Size in bytes of a local image (the Pulled event's "Image size"), undefined when unknown. */
  imageSize(image: string): Promise<number | undefined>;

  containerLogs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable>;
  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /** An interactive exec (kubectl exec): live stdio, TTY resize, the exit code at the end. */
  execStreams(id: string, command: string[], req: StreamRequest): Promise<ContainerStreams>;
  /** Attach to the container's main process (kubectl attach, run -it). */
  attach(id: string, req: StreamRequest): Promise<ContainerStreams>;

  /** The engine's machine facts and versions (GET /info): the Node's capacity and nodeInfo. */
  info(): Promise<EngineInfo>;
  /** Images present in the engine (the Node's status.images). */
  listImages(): Promise<EngineImage[]>;
  /** Image IDs used by any container of the engine (ours or not), running or not. */
  imageIdsInUse(): Promise<Set<string>>;
  /** Remove an unused image by ID (image GC); the engine refuses one still in use. */
  removeImage(id: string): Promise<void>;

  /** Subscribe to engine events for this agent's containers; returns unsubscribe. */
  watch(onEvent: (e: RuntimeEvent) => void, onError: (err: Error) => void): () => void;
}

export interface PullProgress {
  id?: string;
  status: string;
  current?: number;
  total?: number;
}

/** What the engine says about its machine (docker info). */
export interface EngineInfo {
  ncpu: number;
  /** Bytes. */
  memTotal: number;
  serverVersion: string;
  operatingSystem: string;
  kernelVersion: string;
  /** Where the engine keeps images and containers (the kubelet's imagefs). */
  dockerRootDir: string;
}

export interface EngineImage {
  /** The engine's image ID (`sha256:…`). */
  id: string;
  /** Repo digests and tags (`<none>` entries dropped). */
  names: string[];
  sizeBytes: number;
  /** When the image was created (ms since the epoch). */
  createdMs: number;
}
