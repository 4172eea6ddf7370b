// PodContainer: a pod manifest as a testcontainers-style test resource (issue #16 §2).
// The builder collects the manifests and options; start() applies the Secrets/ConfigMaps,
// then the Pods (with testcontainers' session labels), waits with the strategy, and opens
// a loopback port for each declared container port. The started pod is disposed with
// stop() or `await using` (Symbol.asyncDispose, present in Node 20).
import { readFileSync } from 'node:fs';
import { LABEL_TESTCONTAINERS_SESSION_ID } from 'testcontainers';
import type { Pod, PodStatus, StoredKind } from '../apis/core/types.js';
import type { ApiClient } from '../client/api-client.js';
import { acquireAgent, type AgentLease } from './agent.js';
import { type ExecResult, execInPod } from './exec.js';
import { type PodSource, readManifests, setEnvironment } from './manifests.js';
import { summarizePod } from './pod-summary.js';
import { PodPortMap } from './port-mapping.js';
import { sessionLabels } from './session.js';
import { DEFAULT_STARTUP_TIMEOUT_MS, type PodWaitStrategy, Wait, type WaitContext, waitUntil } from './wait.js';

/** Multus's annotation, which the embedded agent honours (runtime/pod-attachments.ts). */
const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

/** A testcontainers StartedNetwork, or anything with its name. */
export interface NetworkLike {
  getName(): string;
}

export class PodContainer {
  readonly #source: PodSource;
  readonly #env: [string, Record<string, string>][] = [];
  readonly #networks: NetworkLike[] = [];
  #wait: PodWaitStrategy | undefined;
  #timeoutMs: number | undefined;
  #kubeconfig: string | undefined;

  /** A manifest file, YAML/JSON text (several documents allowed), a Pod object or an array of objects. */
  constructor(source: PodSource) {
    this.#source = source;
  }

  /** Sets env vars of a container (replacing same-named ones). */
  withEnvironment(container: string, vars: Record<string, string>): this {
    this.#env.push([container, { ...vars }]);
    return this;
  }
  /** What start() waits for (default Wait.forPodReady()). */
  withWaitStrategy(strategy: PodWaitStrategy): this {
    this.#wait = strategy;
    return this;
  }
  /** The default wait timeout (60 s); a strategy's own withStartupTimeout wins. */
  withStartupTimeout(ms: number): this {
    this.#timeoutMs = ms;
    return this;
  }
  /**
   * Puts the pods on a testcontainers Network too: the pod reaches the network's
   * containers by their aliases (added to the pod's hostAliases) and they reach the pod
   * by its name. Needs the embedded agent (or one started with podNetworkAttachments).
   */
  withNetwork(network: NetworkLike): this {
    this.#networks.push(network);
    return this;
  }
  /** Use a running agent instead of the embedded one. */
  withKubeconfig(path: string): this {
    this.#kubeconfig = path;
    return this;
  }

  async start(): Promise<StartedPodContainer> {
    const m = readManifests(this.#source);
    for (const [c, vars] of this.#env) setEnvironment(m.pods, c, vars);
    const lease = await acquireAgent(this.#kubeconfig);
    const created: { kind: StoredKind | 'Pod'; ns: string; name: string }[] = [];
    const started: StartedPodContainer[] = [];
    try {
      const labels = await sessionLabels();
      const aliases = await networkHostAliases(lease, this.#networks);
      for (const o of m.objects) {
        const ns = namespaceOf(o);
        const r = await lease.client.applyObject(ns, o);
        if (r.action === 'created') created.push({ kind: r.kind as StoredKind, ns, name: r.metadata.name ?? '' });
      }
      for (const pod of m.pods) decoratePod(pod, labels, this.#networks, aliases);
      for (const pod of m.pods) {
        const ns = namespaceOf(pod);
        const p = await lease.client.createPod(ns, pod);
        created.push({ kind: 'Pod', ns, name: p.metadata.name ?? '' });
        started.push(new StartedPodContainer(lease.client, ns, p, this.#wait ?? Wait.forPodReady(), this.#timeoutMs));
      }
      for (const s of started) await s.waitForStrategy();
      for (const s of started) await s.openPorts();
    } catch (err) {
      await Promise.all(started.map((s) => s.closePorts()));
      await deleteCreated(lease.client, created);
      await lease.release();
      throw err;
    }
    const [first, ...rest] = started;
    first!.adopt(lease, created, rest);
    return first!;
  }
}

export class StartedPodContainer implements AsyncDisposable {
  #pod: Pod;
  #ports: PodPortMap | undefined;
  #lease: AgentLease | undefined;
  #created: { kind: StoredKind | 'Pod'; ns: string; name: string }[] = [];
  #others: StartedPodContainer[] = [];
  #stopped = false;

  /** @internal */
  constructor(
    readonly client: ApiClient,
    readonly namespace: string,
    pod: Pod,
    readonly waitStrategy: PodWaitStrategy,
    readonly defaultTimeoutMs: number | undefined,
  ) {
    this.#pod = pod;
  }

  get name(): string {
    return this.#pod.metadata.name ?? '';
  }
  /** The pod as last read (start, refresh, a wait). */
  get pod(): Pod {
    return this.#pod;
  }
  get status(): PodStatus | undefined {
    return this.#pod.status;
  }
  /** The pod IP (on the agent's pod network). */
  get ip(): string | undefined {
    return this.#pod.status?.podIP;
  }
  /** The other Pods of the same manifests (stopped with this one). */
  get otherPods(): readonly StartedPodContainer[] {
    return this.#others;
  }

  /** Reads the pod again. */
  async refresh(): Promise<Pod> {
    this.#pod = await this.client.getPod(this.namespace, this.name);
    return this.#pod;
  }

  /** Where getMappedPort's ports listen (loopback). */
  getHost(): string {
    return '127.0.0.1';
  }
  /** The loopback port forwarded to a container port the pod declares. */
  getMappedPort(containerPort: number): number {
    if (!this.#ports) throw new Error('PodContainer: the pod has no forwarded ports (not started, or stopped)');
    return this.#ports.get(containerPort);
  }

  async logs(container: string, opts: { previous?: boolean } = {}): Promise<string> {
    const s = await this.client.podLogs(this.namespace, this.name, { container, ...opts });
    let text = '';
    for await (const chunk of s) text += String(chunk);
    return text;
  }

  exec(container: string, command: string[]): Promise<ExecResult> {
    return execInPod(this.client, this.namespace, this.name, container, command);
  }

  /** Copies a local file to `target` in the container (via exec and `cat`: the image needs sh, as kubectl cp needs tar). */
  copyFileToContainer(source: string, target: string, container: string): Promise<void> {
    return this.copyContentToContainer(readFileSync(source), target, container);
  }
  async copyContentToContainer(content: string | Buffer, target: string, container: string): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    const r = await execInPod(
      this.client,
      this.namespace,
      this.name,
      container,
      ['sh', '-c', 'cat > "$1"', 'sh', target],
      data,
    );
    if (r.exitCode !== 0) throw new Error(`PodContainer: copy to ${container}:${target} failed: ${r.stderr.trim()}`);
  }

  /**
   * Kills the container on the engine, as when its process dies: the agent restarts it
   * per restartPolicy (restartCount + 1). Resolves when it runs again and the wait
   * strategy holds again.
   */
  async restartContainer(container: string): Promise<void> {
    const before = containerStatus(await this.refresh(), container);
    const id = before?.containerID?.replace(/^docker:\/\//, '');
    if (!before || !id) throw new Error(`PodContainer: container "${container}" of pod ${this.name} has not started`);
    const docker = this.#lease?.docker;
    if (!docker) throw new Error('PodContainer: not started');
    await docker.stopContainer(id, 0);
    await waitUntil(
      Wait.forPredicate(`container "${container}" to restart`, (pod) => {
        const s = containerStatus(pod, container);
        return (s?.restartCount ?? 0) > before.restartCount && s?.state.running !== undefined;
      }),
      this.#context(),
      this.#waitOptions(this.defaultTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS),
    );
    await this.waitForStrategy();
  }

  /** Deletes the pod(s) and the Secrets/ConfigMaps start() created, and waits until they are gone. */
  async stop(opts: { timeout?: number } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const all = [this, ...this.#others];
    await Promise.all(all.map((s) => s.closePorts()));
    const lease = this.#lease;
    if (!lease) return;
    try {
      await deleteCreated(this.client, this.#created, opts.timeout ?? 0);
      // The agent's GC would remove the dead containers later; "stop" means now.
      if (lease.embedded)
        await removePodContainers(
          lease,
          all.map((s) => s.pod.metadata.uid ?? ''),
        );
    } finally {
      await lease.release();
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** @internal */
  adopt(
    lease: AgentLease,
    created: { kind: StoredKind | 'Pod'; ns: string; name: string }[],
    others: StartedPodContainer[],
  ): void {
    this.#lease = lease;
    this.#created = created;
    this.#others = others;
  }

  /** @internal Waits with the strategy; the pod as it then is. */
  async waitForStrategy(): Promise<void> {
    const timeoutMs = this.waitStrategy.timeoutMs ?? this.defaultTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    await waitUntil(this.waitStrategy, this.#context(), this.#waitOptions(timeoutMs));
    await this.refresh();
  }

  /** @internal */
  async openPorts(): Promise<void> {
    const ports = [...(this.#pod.spec.initContainers ?? []), ...this.#pod.spec.containers]
      .flatMap((c) => c.ports ?? [])
      .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
      .map((p) => p.containerPort);
    this.#ports = await PodPortMap.open(this.client, this.namespace, this.name, ports);
  }
  /** @internal */
  async closePorts(): Promise<void> {
    const p = this.#ports;
    this.#ports = undefined;
    await p?.close();
  }

  #context(): WaitContext {
    return {
      pod: () => this.refresh(),
      logs: (c) => this.logs(c),
    };
  }
  #waitOptions(timeoutMs: number) {
    return {
      timeoutMs,
      podRef: `${this.namespace}/${this.name}`,
      describe: async () => {
        const pod = await this.refresh();
        const events = (await this.client.listEvents(this.namespace)).filter(
          (e) => e.involvedObject.uid === pod.metadata.uid,
        );
        return summarizePod(pod, events);
      },
    };
  }
}

function namespaceOf(o: unknown): string {
  return (o as { metadata?: { namespace?: string } }).metadata?.namespace ?? 'default';
}

function containerStatus(pod: Pod, name: string) {
  const s = pod.status;
  return [...(s?.initContainerStatuses ?? []), ...(s?.containerStatuses ?? [])].find((c) => c.name === name);
}

/** Session labels on the pod (a kubeconfig agent puts them on the sandbox), networks and aliases. */
function decoratePod(
  pod: Pod,
  labels: Record<string, string>,
  networks: NetworkLike[],
  aliases: { ip: string; hostnames: string[] }[],
): void {
  pod.metadata ??= { name: '' } as Pod['metadata'];
  pod.metadata.labels = {
    ...pod.metadata.labels,
    'org.testcontainers': 'true',
    [LABEL_TESTCONTAINERS_SESSION_ID]: labels[LABEL_TESTCONTAINERS_SESSION_ID] ?? '',
  };
  if (networks.length === 0) return;
  const existing = pod.metadata.annotations?.[NETWORKS_ANNOTATION];
  pod.metadata.annotations = {
    ...pod.metadata.annotations,
    [NETWORKS_ANNOTATION]: [existing, ...networks.map((n) => n.getName())].filter(Boolean).join(','),
  };
  if (aliases.length) pod.spec.hostAliases = [...(pod.spec.hostAliases ?? []), ...aliases];
}

/** The network aliases of the containers already on the networks, as hostAliases (the pod's resolv.conf is the node's, not Docker's DNS). */
async function networkHostAliases(
  lease: AgentLease,
  networks: NetworkLike[],
): Promise<{ ip: string; hostnames: string[] }[]> {
  const out: { ip: string; hostnames: string[] }[] = [];
  for (const n of networks) {
    const net = await lease.docker.inspectNetwork(n.getName());
    for (const id of Object.keys(net.Containers ?? {})) {
      const info = await lease.docker.inspectContainer(id).catch(() => undefined);
      const ep = info?.NetworkSettings.Networks[n.getName()] as { Aliases?: string[]; IPAddress?: string } | undefined;
      // Docker adds the short container id as an alias; only the names given count.
      const names = [...new Set((ep?.Aliases ?? []).filter((a) => !id.startsWith(a)))];
      if (ep?.IPAddress && names.length) out.push({ ip: ep.IPAddress, hostnames: names });
    }
  }
  return out;
}

async function deleteCreated(
  client: ApiClient,
  created: { kind: StoredKind | 'Pod'; ns: string; name: string }[],
  graceSeconds = 0,
): Promise<void> {
  const pods = created.filter((c) => c.kind === 'Pod');
  await Promise.all(
    pods.map(async (p) => {
      await client.deletePod(p.ns, p.name, graceSeconds).catch(() => undefined);
      await client.waitForPodGone(p.ns, p.name, graceSeconds * 1000 + 60_000);
    }),
  );
  for (const o of created.filter((c) => c.kind !== 'Pod')) {
    await client.deleteObject(o.kind as StoredKind, o.ns, o.name).catch(() => undefined);
  }
}

async function removePodContainers(lease: AgentLease, uids: string[]): Promise<void> {
  for (const uid of uids.filter(Boolean)) {
    const list = await lease.docker.listContainers({ label: [`io.kubernetes.pod.uid=${uid}`] });
    await Promise.all(
      list.map((c) => lease.docker.removeContainer(c.Id, { force: true, v: true }).catch(() => undefined)),
    );
  }
}
