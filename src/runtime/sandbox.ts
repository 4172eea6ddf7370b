// RunPodSandbox (cri-dockerd core/sandbox_run.go): the pause container that owns the
// pod's network, IPC and UTS namespaces. App containers join it (containers.ts).
//
// /etc/hosts and /etc/resolv.conf: the kubelet's files, written once the sandbox has
// its IP (pod-network-files.ts) and bind-mounted into every container over the engine's.
import type { ValidPod } from '../apis/core/types.js';
import { podHostname } from '../apis/core/pod-util.js';
import { normalizeSysctl } from '../container/security-context.js';
import type { Logger } from '../util/logger.js';
import { errorMessage } from '../util/errors.js';
import {
  type ContainerCreateOptions,
  type ContainerInspectInfo,
  type DockerClient,
  engineMessage,
  isConflict,
  isEngineNotFound,
} from './docker-client.js';
import { LABEL, sandboxLabels } from './labels.js';
import { sandboxName } from './naming.js';
import { crashPoint } from '../util/crash-point.js';
import { writePodHostsFile, writePodHostsPlaceholder, writePodResolvConf } from './pod-network-files.js';
import type { PodIpAllocator } from './pod-ip-allocator.js';
import { attachPodNetworks } from './pod-attachments.js';
import type { SandboxConfig } from './runtime.js';

export interface SandboxDeps {
  docker: DockerClient;
  agentId: string;
  podNetwork: string;
  podInfraImage: string;
  /** Join the networks of the pod's Multus annotation (pod-attachments.ts). */
  attachNetworks?: boolean;
  /** Where the pod's /etc/hosts and /etc/resolv.conf are written; none = the engine's files. */
  stateDir?: string;
  log?: Logger;
  /**
   * Whether the engine may lower oom_score_adj (needs CAP_SYS_RESOURCE, which an
   * engine inside an unprivileged container lacks: runc then fails the start with
   * "can't get final child's PID from pipe"). Undefined until the first sandbox.
   */
  oomScoreAdj?: { supported?: boolean; probing?: Promise<string> };
  /** Round-robin pod IPs (pod-ip-allocator.ts); without it the engine picks the lowest free one. */
  ipAllocator?: PodIpAllocator;
  /** The cni driver: the sandbox gets NetworkMode none and this network is set up on its netns. */
  cni?: SandboxCniNetwork;
}

/** What the sandbox needs of the CNI pod network (cni/cni-network.ts). */
export interface SandboxCniNetwork {
  readonly name: string;
  ipOf(sandboxId: string): string | undefined;
  setUp(sandboxId: string, pid: number, pod: ValidPod): Promise<string>;
  tearDown(sandboxId: string, netns?: () => Promise<string>): Promise<void>;
}

const SANDBOX_OOM_SCORE_ADJ = -998;

type PortBindings = Record<string, { HostIp: string; HostPort: string }[]>;

/** Every container's hostPort becomes a binding on the sandbox, which owns the network namespace. */
export function sandboxPortBindings(pod: ValidPod): { exposed: Record<string, object>; bindings: PortBindings } {
  const exposed: Record<string, object> = {};
  const bindings: PortBindings = {};
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      // The kubelet binds 0.0.0.0 unless hostIP says otherwise.
      bindings[key] ??= [];
      bindings[key].push({ HostIp: p.hostIP ?? '0.0.0.0', HostPort: String(p.hostPort) });
    }
  }
  return { exposed, bindings };
}

export function sandboxCreateOptions(
  d: SandboxDeps,
  pod: ValidPod,
  attempt: number,
  config?: SandboxConfig,
  ip?: string,
): ContainerCreateOptions {
  const hostNetwork = pod.spec.hostNetwork === true;
  // With CNI the engine publishes nothing: portmap does the hostPorts.
  const cni = !hostNetwork && d.cni !== undefined;
  const { exposed, bindings } = cni ? { exposed: {}, bindings: {} } : sandboxPortBindings(pod);
  const labels = sandboxLabels(pod, d.agentId, attempt);
  if (cni) labels[LABEL.cniNetwork] = d.cni!.name;
  return {
    name: sandboxName(pod, attempt),
    ...(ip && !hostNetwork && !cni
      ? { NetworkingConfig: { EndpointsConfig: { [d.podNetwork]: { IPAMConfig: { IPv4Address: ip } } } } }
      : {}),
    Image: d.podInfraImage,
    // Docker refuses a hostname with host networking (the node's is used).
    ...(hostNetwork ? {} : { Hostname: config?.kernelHostname ?? podHostname(pod) }),
    Labels: labels,
    ExposedPorts: hostNetwork ? {} : exposed,
    HostConfig: {
      NetworkMode: hostNetwork ? 'host' : cni ? 'none' : d.podNetwork,
      // `shareable` so app containers may join with container:<id>; private PID namespace
      // (app containers join it only with shareProcessNamespace).
      IpcMode: pod.spec.hostIPC ? 'host' : 'shareable',
      ...(hostNetwork ? {} : { PortBindings: bindings }),
      ...(d.oomScoreAdj?.supported === false ? {} : { OomScoreAdj: SANDBOX_OOM_SCORE_ADJ }),
      CpuShares: 2,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'json-file', Config: {} },
      ...sandboxSysctls(pod),
    },
  };
}

/**
 * The pod's sysctls go on the sandbox, whose namespaces the containers join
 * (cri-dockerd sandbox_run.go makeSandboxDockerConfig: Sysctls). Admission has
 * already refused those not allowed (sources/pod-admission.ts).
 */
function sandboxSysctls(pod: ValidPod): { Sysctls?: Record<string, string> } {
  const list = pod.spec.securityContext?.sysctls ?? [];
  if (list.length === 0) return {};
  return { Sysctls: Object.fromEntries(list.map((s) => [normalizeSysctl(s.name), s.value])) };
}

/** Told the sandbox's final ID before its start (ContainerRuntime.runSandbox). */
export type WhenCreated = (sandboxId: string) => void;

/**
 * Create and start the sandbox; idempotent when a same-named sandbox is already running.
 * Until the engine's answer on oom_score_adj is known, the first sandbox finds out and
 * the ones started meanwhile wait for it, instead of each failing once and retrying.
 */
export async function runSandbox(
  d: SandboxDeps,
  pod: ValidPod,
  attempt: number,
  config?: SandboxConfig,
  whenCreated?: WhenCreated,
): Promise<string> {
  const files = config && d.stateDir ? { dir: d.stateDir, config } : undefined;
  if (files) {
    writePodResolvConf(files.dir, pod, files.config);
    if (pod.spec.hostNetwork) writePodHostsFile(files.dir, pod, files.config, undefined);
    else if (whenCreated) writePodHostsPlaceholder(files.dir, pod, files.config);
  }
  const t0 = performance.now();
  const id = await runSandboxOomProbed(d, pod, attempt, config, whenCreated);
  if (pod.spec.hostNetwork) return id;
  let ip: string | undefined;
  const t1 = performance.now();
  if (d.cni) ip = await setUpCniNetwork(d, d.cni, pod, id);
  else if (files) ip = sandboxIp((await d.docker.inspectContainer(id)).NetworkSettings?.Networks, d.podNetwork);
  // The per-step cost docs/notes/cni.md quotes (with docker the network attach is inside the start).
  d.log?.debug(
    {
      pod: pod.metadata.name,
      createStartMs: Math.round(t1 - t0),
      ...(d.cni ? { cniAddMs: Math.round(performance.now() - t1) } : {}),
      ip,
    },
    'sandbox network set up',
  );
  if (files) writePodHostsFile(files.dir, pod, files.config, ip);
  return id;
}

/**
 * ADD on the started sandbox's netns (cri-dockerd sandbox_run.go: after the start,
 * SetUpPod). On failure the sandbox is removed, its network undone, and the error
 * worded as cri-dockerd's, so the kubelet's sync retries with a new sandbox.
 */
async function setUpCniNetwork(d: SandboxDeps, cni: SandboxCniNetwork, pod: ValidPod, id: string): Promise<string> {
  const known = cni.ipOf(id);
  if (known) return known;
  const podRef = `${pod.metadata.namespace}/${pod.metadata.name}`;
  try {
    const pid = (await d.docker.inspectContainer(id)).State.Pid;
    if (!pid) throw new Error('the sandbox is not running');
    return await cni.setUp(id, pid, pod);
  } catch (err) {
    await cni.tearDown(id).catch(() => undefined);
    await d.docker.removeContainer(id, { force: true, v: false }).catch(() => undefined);
    throw new Error(`failed to set up sandbox container "${id}" network for pod "${podRef}": ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

async function runSandboxOomProbed(
  d: SandboxDeps,
  pod: ValidPod,
  attempt: number,
  config: SandboxConfig | undefined,
  whenCreated: WhenCreated | undefined,
): Promise<string> {
  const o = d.oomScoreAdj;
  if (o && o.supported === undefined) {
    if (o.probing !== undefined) {
      await o.probing.catch(() => undefined);
    } else {
      // The probing start may replace the sandbox (retried without the score): no whenCreated.
      o.probing = runSandboxOnce(d, pod, attempt, config, undefined);
      try {
        return await o.probing;
      } finally {
        delete o.probing;
      }
    }
  }
  return runSandboxOnce(d, pod, attempt, config, whenCreated);
}

async function runSandboxOnce(
  d: SandboxDeps,
  pod: ValidPod,
  attempt: number,
  config: SandboxConfig | undefined,
  whenCreated: WhenCreated | undefined,
): Promise<string> {
  const id = await createAndStart(d, pod, attempt, config, whenCreated);
  crashPoint('sandbox-started');
  return id;
}

async function createAndStart(
  d: SandboxDeps,
  pod: ValidPod,
  attempt: number,
  config: SandboxConfig | undefined,
  whenCreated: WhenCreated | undefined,
): Promise<string> {
  for (let tries = 1; ; tries++) {
    const ip = pod.spec.hostNetwork || d.cni ? undefined : await d.ipAllocator?.reserve();
    try {
      // A reserved address may be taken meanwhile and the sandbox replaced: no whenCreated then.
      return await createAndStartWithIp(d, pod, attempt, config, ip, ip === undefined ? whenCreated : undefined);
    } catch (err) {
      // Another agent on the same network took the address between our look at the
      // network and this start: take the next one (the failed container is replaced
      // by createSandbox's name-conflict recovery).
      if (!ip || tries >= IP_TRIES || !/address already in use/i.test(errorMessage(err))) throw err;
      d.log?.debug(
        { ip, pod: `${pod.metadata.namespace}/${pod.metadata.name}` },
        'pod IP taken meanwhile; trying the next',
      );
    } finally {
      d.ipAllocator?.release(ip);
    }
  }
}

/** Sandbox starts tried with a fresh address when the chosen one was taken meanwhile. */
const IP_TRIES = 5;

async function createAndStartWithIp(
  d: SandboxDeps,
  pod: ValidPod,
  attempt: number,
  config: SandboxConfig | undefined,
  ip: string | undefined,
  whenCreated: WhenCreated | undefined,
): Promise<string> {
  const podRef = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const opts = sandboxCreateOptions(d, pod, attempt, config, ip);
  const id = await createSandbox(d, pod, opts, podRef);
  crashPoint('sandbox-created');
  // Before the start, so the pod's containers find every interface from their first instant.
  if (d.attachNetworks) await attachPodNetworks(d.docker, pod, id, podRef);
  // The ID is final unless this start is the engine's first OOM-score probe (retried with a new sandbox).
  const probing = opts.HostConfig?.OomScoreAdj !== undefined && d.oomScoreAdj && d.oomScoreAdj.supported !== true;
  if (whenCreated && !probing) whenCreated(id);
  try {
    await d.docker.startContainer(id);
    if (opts.HostConfig?.OomScoreAdj !== undefined && d.oomScoreAdj) d.oomScoreAdj.supported = true;
    return id;
  } catch (err) {
    // Sandboxes started concurrently before the first outcome is known all try -998;
    // each of them retries without it (not just the first), or they would fail the sync.
    if (opts.HostConfig?.OomScoreAdj === undefined || d.oomScoreAdj?.supported === true || !d.oomScoreAdj) {
      throw new Error(`failed to start sandbox container for pod "${podRef}": ${engineMessage(err)}`, { cause: err });
    }
    // First sandbox of this engine and the start failed: retry once without the OOM
    // score adjustment; if that works, the engine simply may not lower it.
    await d.docker.removeContainer(id, { force: true, v: false }).catch(() => undefined);
    d.oomScoreAdj.supported = false;
    const retry = sandboxCreateOptions(d, pod, attempt, config, ip);
    const id2 = await createSandbox(d, pod, retry, podRef);
    if (d.attachNetworks) await attachPodNetworks(d.docker, pod, id2, podRef);
    try {
      await d.docker.startContainer(id2);
    } catch (err2) {
      delete d.oomScoreAdj.supported; // not the OOM score after all
      throw new Error(`failed to start sandbox container for pod "${podRef}": ${engineMessage(err2)}`, { cause: err2 });
    }
    d.log?.info('engine cannot lower oom_score_adj; sandboxes run without it');
    return id2;
  }
}

async function createSandbox(
  d: SandboxDeps,
  pod: ValidPod,
  opts: ContainerCreateOptions,
  podRef: string,
): Promise<string> {
  try {
    return await d.docker.createContainer(opts);
  } catch (err) {
    if (!isConflict(err))
      throw new Error(`failed to create sandbox container for pod "${podRef}": ${engineMessage(err)}`, { cause: err });
  }
  const reused = await recoverConflict(d, opts.name!, pod);
  if (reused) return reused;
  try {
    return await d.docker.createContainer(opts);
  } catch (err) {
    throw new Error(`failed to create sandbox container for pod "${podRef}": ${engineMessage(err)}`, { cause: err });
  }
}

/**
 * A container with our sandbox name already exists (a crash between create and the
 * next relist). A running one of the same pod is reused; anything else is removed so
 * the caller can create again.
 */
async function recoverConflict(d: SandboxDeps, name: string, pod: ValidPod): Promise<string | undefined> {
  let info: ContainerInspectInfo;
  try {
    info = await d.docker.inspectContainer(name);
  } catch (err) {
    if (isEngineNotFound(err)) return undefined;
    throw err;
  }
  if (info.Config.Labels?.[LABEL.agent] !== d.agentId || info.Config.Labels?.[LABEL.podUid] !== pod.metadata.uid) {
    throw new Error(`sandbox name ${name} is taken by a container this agent does not own (${info.Id.slice(0, 12)})`);
  }
  if (info.State.Running) {
    d.log?.info({ pod: pod.metadata.name, id: info.Id }, 'reusing running sandbox found under our name');
    return info.Id;
  }
  d.log?.info({ pod: pod.metadata.name, id: info.Id }, 'removing stale sandbox found under our name');
  await d.docker.removeContainer(info.Id, { force: true, v: false }).catch((err) => {
    if (!isEngineNotFound(err)) throw err;
  });
  return undefined;
}

/** The sandbox's pod IP, read from its endpoint on the pod network. */
export function sandboxIp(
  networks: Record<string, { IPAddress?: string }> | undefined,
  podNetwork: string,
): string | undefined {
  const ip = networks?.[podNetwork]?.IPAddress;
  return ip ? ip : undefined;
}
