// ContainerRuntime on a Docker engine (the cri-dockerd role). Wires the per-verb
// modules together. Every short engine call goes through one p-queue, so a burst of
// pod syncs cannot flood the engine; long streams (followed logs, events, a running
// exec's output) are not queued, or they would hold a slot for their whole life.
import type { Readable } from 'node:stream';
import PQueue from 'p-queue';
import type { ValidPod } from '../apis/core/types.js';
import type { Logger } from '../util/logger.js';
import type { DockerClient, RegistryAuth } from './docker-client.js';
import { createContainer, removeContainer, startContainer, stopContainer, type ContainerDeps } from './containers.js';
import { watchEvents } from './events.js';
import { execCommand } from './exec.js';
import { attachInteractive, execInteractive } from './interactive.js';
import type { ContainerStreams, StreamRequest } from '../container/streams.js';
import { imageExists, imageSize, pullImage } from './image.js';
import { agentFilter, DOCKER_TYPE_SANDBOX, LABEL, podUidFilter } from './labels.js';
import { containerLogs } from './logs.js';
import { ensurePodNetwork } from './network.js';
import { Relister, type Run } from './relist.js';
import type {
  ContainerRuntime,
  ContainerStateSummary,
  CreateContainerRequest,
  ExecResult,
  LogOptions,
  PullProgress,
  RuntimeContainer,
  RuntimeEvent,
  SandboxConfig,
  RuntimePodStatus,
  EngineImage,
  EngineInfo,
} from './runtime.js';
import { runSandbox, type SandboxDeps } from './sandbox.js';
import { CniPodNetwork } from './cni/cni-network.js';
import type { PodNetworkDriver } from './cni/driver.js';
import { errorMessage } from '../util/errors.js';
import { PodIpAllocator } from './pod-ip-allocator.js';
import { childPath } from '../util/safe-path.js';
import { forgetFsGroup } from './security-host.js';
import { listPodVolumeOwners, removePodVolumes, setUpPodVolumes } from './volumes.js';
import { cleanSubPaths, podSubPathDirs } from './subpath-mount.js';
import { cleanProjectedVolumes, podProjectedVolumeDirs, type VolumePayloads } from './projected-volumes.js';
import {
  FALLBACK_LOG_LINES,
  fallbackMessage,
  podTerminationLogDirs,
  readTerminationLog,
  removePodTerminationLogs,
  terminationLogPath,
} from './termination-log.js';

export interface DockerRuntimeDeps {
  docker: DockerClient;
  /** Owner label on every container and volume; also the filter of every list and event watch. */
  agentId: string;
  podNetwork: string;
  /** Whether the sandbox joins the networks the Multus annotation names (pod-attachments.ts). */
  podNetworkAttachments?: boolean;
  /** The pod network's subnet when it is created (KubeletOptions.podCidr). */
  podCidr: string;
  /**
   * `cni`: sandboxes get NetworkMode none and the CNI plugins set up the network named
   * podNetwork (cni/cni-network.ts); `docker` (the default here): they join the Docker
   * network podNetwork. The agent chooses (cni/driver.ts); tests of the runtime alone keep docker.
   */
  podNetworkDriver?: PodNetworkDriver;
  cniBinDir?: string;
  /** host-local's dataDir and libcni's cache dir (default /var/lib/cni/…): tests may isolate them. */
  cniDataDir?: string;
  cniCacheDir?: string;
  podInfraImage: string;
  engineConcurrency: number;
  /** Host directory for per-instance files (termination-message logs). */
  stateDir?: string;
  /** Localhost seccomp profiles are read under it (the kubelet's <root-dir>/seccomp). */
  seccompProfileRoot?: string;
  log?: Logger;
  /** The Docker volume of a bound claim (the storage manager's); see VolumeDeps.claimVolume. */
  claimVolume?: (namespace: string, claimName: string) => string | undefined;
}

export class DockerRuntime implements ContainerRuntime {
  readonly #d: DockerRuntimeDeps;
  readonly #queue: PQueue;
  readonly #run: Run;
  readonly #relist: Relister;
  readonly #sandbox: SandboxDeps;
  readonly #containers: ContainerDeps;
  readonly #messages = new Map<string, string>();
  readonly #cni: CniPodNetwork | undefined;

  constructor(deps: DockerRuntimeDeps) {
    this.#d = deps;
    this.#queue = new PQueue({ concurrency: Math.max(1, deps.engineConcurrency) });
    this.#run = <T>(fn: () => Promise<T>) => this.#queue.add(fn) as Promise<T>;
    this.#relist = new Relister(deps.docker, deps.agentId, deps.podNetwork, this.#run);
    const log = deps.log;
    // Whether the engine may lower oom_score_adj: learnt by the first sandbox, read by containers.
    const oomScoreAdj: { supported?: boolean } = {};
    this.#cni =
      deps.podNetworkDriver === 'cni'
        ? new CniPodNetwork({
            name: deps.podNetwork,
            cidr: deps.podCidr,
            binDir: deps.cniBinDir ?? '/usr/lib/cni',
            ...(deps.cniDataDir ? { dataDir: deps.cniDataDir } : {}),
            ...(deps.cniCacheDir ? { cacheDir: deps.cniCacheDir } : {}),
            ...(log ? { log } : {}),
          })
        : undefined;
    this.#sandbox = {
      docker: deps.docker,
      agentId: deps.agentId,
      podNetwork: deps.podNetwork,
      podInfraImage: deps.podInfraImage,
      attachNetworks: deps.podNetworkAttachments === true,
      ...(this.#cni ? { cni: this.#cni } : {}),
      oomScoreAdj,
      ipAllocator: new PodIpAllocator(
        deps.docker,
        deps.podNetwork,
        deps.stateDir ? childPath(deps.stateDir, 'ipam', deps.podNetwork, 'last_reserved_ip') : undefined,
      ),
      ...(deps.stateDir ? { stateDir: deps.stateDir } : {}),
      ...(log ? { log } : {}),
    };
    this.#containers = {
      docker: deps.docker,
      agentId: deps.agentId,
      oomScoreAdj,
      ...(deps.stateDir ? { stateDir: deps.stateDir } : {}),
      ...(deps.seccompProfileRoot ? { seccompProfileRoot: deps.seccompProfileRoot } : {}),
      fsGroupDone: new Set(),
      ...(deps.claimVolume ? { claimVolume: deps.claimVolume } : {}),
      ...(log ? { log } : {}),
    };
  }

  /**
   * Ensure the pod network exists and return its gateway, the node's IP as the pods
   * see it (status.hostIP). Must be called before the first runSandbox: the sandbox
   * joins that network and creation fails if it does not exist.
   */
  async init(): Promise<string> {
    const cni = this.#cni;
    const gateway = cni
      ? await cni.init(() => this.#runningContainerIds())
      : await this.#run(() => ensurePodNetwork(this.#d.docker, this.#d.podNetwork, this.#d.podCidr, this.#d.log));
    this.#relist.hostIP = gateway;
    if (cni) this.#relist.cniIp = (id) => cni.ipOf(id);
    return gateway;
  }

  /** A running container's network namespace path; '' when it no longer runs. */
  async #netnsOf(id: string): Promise<string> {
    const info = await this.#run(() => this.#d.docker.inspectContainer(id)).catch(() => undefined);
    return info?.State.Running && info.State.Pid ? `/proc/${info.State.Pid}/ns/net` : '';
  }

  /** Every running container of the engine (any agent's: the CNI network's state is shared). */
  async #runningContainerIds(): Promise<Set<string>> {
    const list = await this.#run(() => this.#d.docker.listContainers({ status: ['running'] }, false));
    return new Set(list.map((c) => c.Id));
  }

  /**
   * CNI DEL for a sandbox (a no-op for other containers and the docker driver). A failure
   * is logged, not thrown: the removal goes on, and the next agent start releases the IP.
   */
  async #tearDownNetwork(id: string): Promise<void> {
    await this.#cni
      ?.tearDown(id, () => this.#netnsOf(id))
      .catch((err) => {
        this.#d.log?.warn({ sandbox: id.slice(0, 12), err: errorMessage(err) }, 'cannot tear down the pod network');
      });
  }

  async getPodStatus(uid: string, opts?: { listedAfter?: number }): Promise<RuntimePodStatus> {
    const rt = await this.#relist.getPodStatus(uid, opts?.listedAfter);
    await Promise.all(
      rt.containers.map(async (c) => {
        if (c.state === 'exited') c.terminationMessage = await this.#terminationMessage(uid, c);
      }),
    );
    return rt;
  }
  listPods(): Promise<RuntimePodStatus[]> {
    return this.#relist.listPods();
  }

  async info(): Promise<EngineInfo> {
    const i = await this.#run(() => this.#d.docker.info());
    return {
      ncpu: i.NCPU ?? 0,
      memTotal: i.MemTotal ?? 0,
      serverVersion: i.ServerVersion ?? '',
      operatingSystem: i.OperatingSystem ?? '',
      kernelVersion: i.KernelVersion ?? '',
      dockerRootDir: i.DockerRootDir ?? '',
    };
  }

  /** As cri-dockerd's ListImages: every tag and digest of an image are its names. */
  async listImages(): Promise<EngineImage[]> {
    const list = await this.#run(() => this.#d.docker.listImages());
    const real = (n: string) => !n.includes('<none>');
    return list.map((i) => ({
      id: i.Id,
      names: [...(i.RepoDigests ?? []), ...(i.RepoTags ?? [])].filter(real),
      sizeBytes: i.Size,
      createdMs: i.Created * 1000,
    }));
  }

  async imageIdsInUse(): Promise<Set<string>> {
    const all = await this.#run(() => this.#d.docker.listAllContainers());
    return new Set(all.map((c) => c.ImageID));
  }

  removeImage(id: string): Promise<void> {
    return this.#run(() => this.#d.docker.removeImage(id));
  }

  async listContainerStates(): Promise<ContainerStateSummary[]> {
    const list = await this.#relist.listEverything();
    return list.map((c) => ({
      id: c.Id,
      podUid: c.Labels?.[LABEL.podUid] ?? '',
      state: c.State,
      sandbox: c.Labels?.[LABEL.dockerType] === DOCKER_TYPE_SANDBOX,
    }));
  }

  runSandbox(
    pod: ValidPod,
    attempt: number,
    config?: SandboxConfig,
    whenCreated?: (sandboxId: string) => void,
  ): Promise<string> {
    // One queue slot for create+start: a half-made sandbox should not wait behind others.
    return this.#run(() => runSandbox(this.#sandbox, pod, attempt, config, whenCreated));
  }
  /** The network first, as cri-dockerd's StopPodSandbox: the IP is free once the pod stops. */
  async stopSandbox(id: string, graceSeconds: number): Promise<void> {
    await this.#tearDownNetwork(id);
    return this.stopContainer(id, graceSeconds);
  }

  setUpPodVolumes(pod: ValidPod, payloads: VolumePayloads = new Map()): Promise<void> {
    return this.#run(() => setUpPodVolumes(this.#containers, pod, payloads));
  }

  createContainer(req: CreateContainerRequest): Promise<string> {
    return this.#run(() => createContainer(this.#containers, req));
  }
  startContainer(id: string): Promise<void> {
    return this.#run(() => startContainer(this.#containers, id));
  }
  /**
   * Not queued: a stop waits up to the grace period inside the engine, and a pod
   * with many slow containers would otherwise starve every other engine call.
   */
  stopContainer(id: string, graceSeconds: number): Promise<void> {
    return stopContainer(this.#containers, id, graceSeconds);
  }
  async removeContainer(id: string): Promise<void> {
    await this.#tearDownNetwork(id);
    await this.#run(() => removeContainer(this.#containers, id));
    this.#relist.forget(id);
    this.#messages.delete(id);
  }

  async removePod(uid: string): Promise<void> {
    const list = await this.#run(() =>
      this.#d.docker.listContainers({ label: [agentFilter(this.#d.agentId), podUidFilter(uid)] }, true),
    );
    // Containers first (force: running ones are killed), then the volumes they held.
    await Promise.all(list.map((c) => this.removeContainer(c.Id)));
    // subPath staging mounts go before the volumes they hold open (CleanSubPaths).
    if (this.#d.stateDir) await cleanSubPaths(this.#d.stateDir, uid);
    if (this.#d.stateDir) await cleanProjectedVolumes(this.#d.stateDir, uid);
    await this.#run(() => removePodVolumes(this.#d.docker, this.#d.agentId, uid));
    forgetFsGroup(this.#containers, uid);
    if (this.#d.stateDir) removePodTerminationLogs(this.#d.stateDir, uid);
  }

  async listPodLeftovers(): Promise<string[]> {
    const volumes = await this.#run(() => listPodVolumeOwners(this.#d.docker, this.#d.agentId));
    const dirs = this.#d.stateDir
      ? [
          ...podTerminationLogDirs(this.#d.stateDir),
          ...podSubPathDirs(this.#d.stateDir),
          ...podProjectedVolumeDirs(this.#d.stateDir),
        ]
      : [];
    return [...new Set([...volumes, ...dirs])];
  }

  imageExists(image: string): Promise<boolean> {
    return this.#run(() => imageExists(this.#d.docker, image));
  }
  imageSize(image: string): Promise<number | undefined> {
    return this.#run(() => imageSize(this.#d.docker, image));
  }
  /** Not queued (a pull is long; images/ bounds pulls with its own queue). */
  pullImage(
    image: string,
    onProgress?: (p: PullProgress) => void,
    signal?: AbortSignal,
    auth?: RegistryAuth,
  ): Promise<void> {
    return pullImage(this.#d.docker, image, onProgress, signal, auth);
  }

  containerLogs(id: string, opts: LogOptions, signal?: AbortSignal): Promise<Readable> {
    return containerLogs(this.#d.docker, this.#run, id, opts, signal);
  }
  /** Read once per exited instance: its file and logs no longer change. */
  async #terminationMessage(podUid: string, c: RuntimeContainer): Promise<string> {
    const cached = this.#messages.get(c.id);
    if (cached !== undefined) return cached;
    const message = await this.#readTerminationMessage(podUid, c);
    this.#messages.set(c.id, message);
    return message;
  }

  /**
   * The file at terminationMessagePath, or — with FallbackToLogsOnError, a failure and
   * an empty file — the tail of the logs (kuberuntime getTerminationMessage).
   */
  async #readTerminationMessage(podUid: string, c: RuntimeContainer): Promise<string> {
    const fromFile = this.#d.stateDir
      ? readTerminationLog(terminationLogPath(this.#d.stateDir, podUid, c.name, c.restartCount))
      : '';
    if (fromFile || c.terminationMessagePolicy !== 'FallbackToLogsOnError' || c.exitCode === 0) return fromFile;
    const stream = await this.containerLogs(c.id, { tailLines: FALLBACK_LOG_LINES });
    let logs = '';
    for await (const chunk of stream) logs += String(chunk);
    return fallbackMessage(logs);
  }

  exec(id: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    return execCommand(this.#d.docker, this.#run, id, command, timeoutMs);
  }

  execStreams(id: string, command: string[], req: StreamRequest): Promise<ContainerStreams> {
    return execInteractive(this.#d.docker, this.#run, id, command, req);
  }

  attach(id: string, req: StreamRequest): Promise<ContainerStreams> {
    return attachInteractive(this.#d.docker, id, req);
  }

  watch(onEvent: (e: RuntimeEvent) => void, onError: (err: Error) => void): () => void {
    const onEngineEvent = (e: RuntimeEvent) => {
      this.#relist.engineEvent(e);
      onEvent(e);
    };
    return watchEvents(this.#d.docker, this.#d.agentId, onEngineEvent, onError, this.#d.log);
  }

  /** Wait for queued engine calls to finish (for shutdown and tests). */
  async drain(): Promise<void> {
    await this.#queue.onIdle();
  }
}
