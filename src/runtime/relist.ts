// Relist (kuberuntime GetPodStatus): list this agent's containers, inspect them and
// convert to RuntimePodStatus. An inspect is a round trip, so the inspect of an exited
// container (immutable from then on: we never restart a container in place) is cached
// by ID, and a running one's while the list keeps saying running. The PLEG's list of
// every container is kept too: a pod whose last sync ended before it was sent, and that
// had no engine event since, is read from it without a list of its own (the kubelet's
// pod workers read the PLEG's podCache, pkg/kubelet/container/cache.go GetNewerThan),
// so an idle resync costs no engine call at all.
import { type ContainerInfo, type ContainerInspectInfo, type DockerClient, isEngineNotFound } from './docker-client.js';
import { agentFilter, LABEL, podUidFilter, readLabels } from './labels.js';
import { parseName } from './naming.js';
import type { RuntimeContainer, RuntimeEvent, RuntimePodStatus, RuntimeSandbox, RuntimeState } from './runtime.js';
import { sandboxIp } from './sandbox.js';

/**
 * The engine applies a container's OOM event separately from its exit; under load
 * an inspect right after the exit can miss OOMKilled. Cache only once it has settled.
 * (dockerd 20.10 never sets the flag at all when containerd's TaskOOM comes after the
 * TaskExit; its `oom` event still comes: see Relister.engineEvent.)
 */
const SETTLE_MS = 3_000;
function settled(finishedAt: string | undefined, now = Date.now()): boolean {
  const t = Date.parse(finishedAt ?? '');
  return Number.isFinite(t) && now - t > SETTLE_MS;
}

export type Run = <T>(fn: () => Promise<T>) => Promise<T>;

const ZERO_TIME = /^0001-01-01T00:00:00/;

/** Docker time → RFC 3339 string, or undefined for Go's zero time. */
export function dockerTime(t: string | undefined): string | undefined {
  return !t || ZERO_TIME.test(t) ? undefined : t;
}

/** Sort key with nanosecond precision (Docker trims trailing zeros, so strings don't compare). */
export function timeKey(t: string | undefined): string {
  if (!t) return '';
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(t);
  if (!m) return t;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}`;
}

/**
 * Engine state → ours. Like dockershim: a container that was never started but has
 * a non-zero exit code is a failed start (ContainerCannotRun), i.e. exited.
 */
export function runtimeState(s: ContainerInspectInfo['State']): RuntimeState {
  if (s.Running) return 'running';
  switch (s.Status) {
    case 'exited':
    case 'dead':
    case 'removing':
      return 'exited';
    case 'created':
      return s.ExitCode !== 0 || s.Error ? 'exited' : 'created';
    case 'paused':
    case 'restarting':
    case 'running':
      return 'running';
    default:
      return 'unknown';
  }
}

/** Where a sandbox's IP comes from: its Docker network endpoint, or the CNI network that set it up. */
export interface SandboxIpSource {
  podNetwork: string;
  hostIP: string | undefined;
  /** The CNI network's record (cni-network.ts ipOf), for sandboxes with NetworkMode none. */
  cniIp?: (sandboxId: string) => string | undefined;
}

function toSandbox(info: ContainerInspectInfo, src: SandboxIpSource): RuntimeSandbox {
  const l = readLabels(info.Config.Labels);
  const state = runtimeState(info.State);
  const sb: RuntimeSandbox = {
    id: info.Id,
    attempt:
      info.Config.Labels?.[LABEL.sandboxAttempt] !== undefined ? l.attempt : (parseName(info.Name)?.attempt ?? 0),
    state,
    createdAt: info.Created,
  };
  const networks = (info.NetworkSettings as { Networks?: Record<string, { IPAddress?: string }> }).Networks;
  // A hostNetwork pod's IP is the node's (kubelet_pods.go generateAPIPodStatus: podIPs = hostIPs).
  const hostNetwork = info.HostConfig?.NetworkMode === 'host';
  const cni = info.Config.Labels?.[LABEL.cniNetwork] !== undefined;
  const ip =
    state !== 'running'
      ? undefined
      : hostNetwork
        ? src.hostIP
        : cni
          ? src.cniIp?.(info.Id)
          : sandboxIp(networks, src.podNetwork);
  if (ip) sb.ip = ip;
  return sb;
}

function toContainer(info: ContainerInspectInfo, digest: string | undefined, oomReported: boolean): RuntimeContainer {
  const l = readLabels(info.Config.Labels);
  const s = info.State;
  const state = runtimeState(s);
  const c: RuntimeContainer = {
    id: info.Id,
    name: l.containerName || parseName(info.Name)?.containerName || info.Name.replace(/^\//, ''),
    type: l.type,
    sandboxId: l.sandboxId,
    restartCount: l.restartCount,
    hash: l.hash,
    state,
    createdAt: info.Created,
    image: l.image ?? info.Config.Image,
    imageId: info.Image,
  };
  const startedAt = dockerTime(s.StartedAt);
  const finishedAt = dockerTime(s.FinishedAt);
  if (startedAt) c.startedAt = startedAt;
  if (finishedAt) c.finishedAt = finishedAt;
  if (state === 'exited') c.exitCode = s.ExitCode;
  if (s.OOMKilled || (state === 'exited' && oomReported)) c.oomKilled = true;
  if (s.Error) c.error = s.Error;
  if (digest) c.imageDigest = digest;
  if (l.terminationMessagePath) c.terminationMessagePath = l.terminationMessagePath;
  if (l.terminationMessagePolicy) c.terminationMessagePolicy = l.terminationMessagePolicy;
  return c;
}

export class Relister {
  readonly #docker: DockerClient;
  readonly #agentId: string;
  readonly #podNetwork: string;
  /** The node's address (the pod network's gateway), known once init() ran: hostNetwork sandboxes report it. */
  hostIP: string | undefined;
  /** Set by the cni driver's init(). */
  cniIp: ((sandboxId: string) => string | undefined) | undefined;
  readonly #run: Run;
  /** Inspect results of exited containers, by ID. */
  readonly #exited = new Map<string, ContainerInspectInfo>();
  /**
   * Inspect results of running containers, by ID, reused while the list still says
   * `running`: a running container's inspect does not change until its state does
   * (which the list shows), so an idle resync costs one list call, not 1 + N inspects.
   */
  readonly #running = new Map<string, ContainerInspectInfo>();
  /** Image ID → first repo digest (or undefined: locally built images have none). */
  readonly #digests = new Map<string, string | undefined>();
  /**
   * The newest list of every container (the PLEG's relist), with the instant its request
   * was sent: a pod's status may be read from it (getPodStatus's listedAfter), as the
   * kubelet's pod workers read the PLEG's podCache instead of calling the runtime.
   */
  #snapshot: { sentAt: number; list: ContainerInfo[] } | undefined;
  /** When an engine event last came for a pod: a snapshot sent before that is not used for it. */
  readonly #eventAt = new Map<string, number>();
  /**
   * Containers the engine sent an `oom` event for. dockerd 20.10 sets State.OOMKilled only
   * when containerd's TaskOOM reaches it before the TaskExit; under load it sometimes comes
   * after (seen on a busy 2-core machine), the flag stays false for good, and only the
   * event tells. Either way the container saw an OOM kill, which is what containerd's CRI
   * reports (its TaskOOM handler sets the reason OOMKilled whenever it arrives). Value:
   * performance.now() of the event. (The shim can also lose the OOM altogether; then
   * nothing tells, and the exit reads as Error 137.)
   */
  readonly #oomReported = new Map<string, number>();

  constructor(docker: DockerClient, agentId: string, podNetwork: string, run: Run) {
    this.#docker = docker;
    this.#agentId = agentId;
    this.#podNetwork = podNetwork;
    this.#run = run;
  }

  async getPodStatus(uid: string, listedAfter?: number): Promise<RuntimePodStatus> {
    const snap = this.#snapshot;
    const usable =
      listedAfter !== undefined &&
      snap !== undefined &&
      snap.sentAt > listedAfter &&
      snap.sentAt > (this.#eventAt.get(uid) ?? Number.NEGATIVE_INFINITY);
    const list = usable
      ? snap.list.filter((c) => c.Labels?.[LABEL.podUid] === uid)
      : await this.#list([agentFilter(this.#agentId), podUidFilter(uid)]);
    const pods = await this.#toPods(list);
    return pods.find((p) => p.uid === uid) ?? { uid, name: '', namespace: '', sandboxes: [], containers: [] };
  }

  async listPods(): Promise<RuntimePodStatus[]> {
    return this.#toPods(await this.listEverything());
  }

  /** One list of every container of this agent; kept as the snapshot pods' statuses may be read from. */
  async listEverything(): Promise<ContainerInfo[]> {
    const sentAt = performance.now();
    const list = await this.#list([agentFilter(this.#agentId)]);
    this.#prune(new Set(list.map((c) => c.Id)), sentAt);
    if (!this.#snapshot || sentAt > this.#snapshot.sentAt) this.#snapshot = { sentAt, list };
    // Events older than the newest snapshot no longer decide anything.
    for (const [uid, at] of this.#eventAt) if (at < this.#snapshot.sentAt) this.#eventAt.delete(uid);
    return list;
  }

  #list(labels: string[]): Promise<ContainerInfo[]> {
    return this.#run(() => this.#docker.listContainers({ label: labels }, true));
  }

  async #toPods(list: ContainerInfo[]): Promise<RuntimePodStatus[]> {
    const infos = (await Promise.all(list.map((c) => this.#inspect(c.Id, c.State)))).filter(
      (i): i is ContainerInspectInfo => i !== undefined,
    );
    const pods = new Map<string, RuntimePodStatus>();
    for (const info of infos) {
      const l = readLabels(info.Config.Labels);
      if (!l.podUid) continue;
      let pod = pods.get(l.podUid);
      if (!pod) {
        pod = { uid: l.podUid, name: l.podName, namespace: l.namespace, sandboxes: [], containers: [] };
        pods.set(l.podUid, pod);
      }
      if (l.isSandbox)
        pod.sandboxes.push(toSandbox(info, { podNetwork: this.#podNetwork, hostIP: this.hostIP, cniIp: this.cniIp }));
      else pod.containers.push(toContainer(info, await this.#digest(info.Image), this.#oomReported.has(info.Id)));
    }
    for (const pod of pods.values()) {
      pod.sandboxes.sort((a, b) => b.attempt - a.attempt || cmp(timeKey(b.createdAt), timeKey(a.createdAt)));
      pod.containers.sort((a, b) => cmp(timeKey(b.createdAt), timeKey(a.createdAt)) || b.restartCount - a.restartCount);
    }
    return [...pods.values()];
  }

  async #inspect(id: string, listState: string): Promise<ContainerInspectInfo | undefined> {
    const cached = this.#exited.get(id);
    if (cached) return cached;
    const running = this.#running.get(id);
    if (running && listState === 'running') return running;
    this.#running.delete(id);
    try {
      const info = await this.#run(() => this.#docker.inspectContainer(id));
      if (listState === 'running' && info.State.Status === 'running') this.#running.set(id, info);
      if ((info.State.Status === 'exited' || info.State.Status === 'dead') && settled(info.State.FinishedAt))
        this.#exited.set(id, info);
      return info;
    } catch (err) {
      if (isEngineNotFound(err)) return undefined; // removed between list and inspect
      throw err;
    }
  }

  async #digest(imageId: string): Promise<string | undefined> {
    if (this.#digests.has(imageId)) return this.#digests.get(imageId);
    let digest: string | undefined;
    try {
      const img = await this.#run(() => this.#docker.inspectImage(imageId));
      digest = img.RepoDigests?.[0];
    } catch (err) {
      if (!isEngineNotFound(err)) throw err;
    }
    this.#digests.set(imageId, digest);
    return digest;
  }

  /** Drop what is kept for containers that no longer exist (an `oom` that came after the list was sent stays). */
  #prune(alive: Set<string>, sentAt: number): void {
    for (const id of this.#exited.keys()) if (!alive.has(id)) this.#exited.delete(id);
    for (const id of this.#running.keys()) if (!alive.has(id)) this.#running.delete(id);
    for (const [id, at] of this.#oomReported) if (at < sentAt && !alive.has(id)) this.#oomReported.delete(id);
  }

  /** Forget a removed container (the per-pod relist cannot tell). */
  forget(id: string): void {
    this.#exited.delete(id);
    this.#running.delete(id);
    this.#oomReported.delete(id);
  }

  /**
   * An engine event for this container: its next relist inspects it afresh. The list
   * can still say `running` just after the `die` event (seen on dockerd 20.10), and the
   * cached running inspect would then hide the exit until some later change.
   */
  invalidate(id: string, podUid?: string): void {
    this.#running.delete(id);
    if (podUid) this.#eventAt.set(podUid, performance.now());
  }

  /** An engine event (events.ts): the container is inspected afresh, and an `oom` is remembered. */
  engineEvent(e: RuntimeEvent): void {
    if (e.action === 'oom') this.#oomReported.set(e.containerId, performance.now());
    this.invalidate(e.containerId, e.podUid);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
