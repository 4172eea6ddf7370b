// The kubelet's stats provider (pkg/kubelet/stats/provider.go and the summary provider,
// pkg/kubelet/server/stats/summary.go) and, on top of it, what metrics-server derives for
// metrics.k8s.io (pkg/storage/pod.go, node.go): usage of the node and of every running
// container of the pods this node runs, read through the per-period caches.
import type { Node, Pod } from '../apis/core/types.js';
import type {
  ContainerMetrics,
  ContainerStats,
  CPUStats,
  MemoryStats,
  NodeMetrics,
  PodMetrics,
  PodStats,
  Summary,
} from '../apis/stats/types.js';
import { rfc3339 } from '../util/clock.js';
import type { Clock } from '../util/clock.js';
import { goDuration } from '../util/go-duration.js';
import { formatBinarySI as formatBytes, formatNanoCores } from '../apis/stats/quantity.js';
import type { Usage, UsageCache } from './usage-cache.js';
import { exposition, RESOURCE_FAMILIES, type ResourceFamily } from './resource-metrics.js';

export interface StatsProviderDeps {
  nodeName: string;
  clock: Clock;
  /** The pods this node runs, with status (the status manager's view). */
  pods: () => Pod[];
  /** The Node object (labels for NodeMetrics); undefined before it exists. */
  node: () => Node | undefined;
  /** Engine samples per container ID. */
  containers: UsageCache;
  /** /proc samples of the node (one id, `node`). */
  nodeUsage: UsageCache;
  bootTimeMs?: number;
}

/** A running container of a pod: its ID in the engine and when it started. */
interface RunningContainer {
  name: string;
  id: string;
  startedAt: string;
}

interface PodUsage {
  pod: Pod;
  containers: { c: RunningContainer; usage: Usage | undefined }[];
}

/** RFC 3339 with second precision, as metav1.Time marshals. */
const time = (ms: number) => rfc3339(ms);

/** Running containers (init sidecars included), from the pod's status: no engine call. */
export function runningContainers(pod: Pod): RunningContainer[] {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return [];
  const out: RunningContainer[] = [];
  for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const id = s.containerID?.replace(/^[a-z]+:\/\//, '');
    const startedAt = s.state.running?.startedAt;
    if (id && startedAt) out.push({ name: s.name, id, startedAt });
  }
  return out;
}

export function cpuStats(u: Usage): CPUStats {
  return {
    time: time(u.timeMs),
    ...(u.cpu ? { usageNanoCores: u.cpu.nanoCores } : {}),
    usageCoreNanoSeconds: u.cpuNs,
  };
}

export function memoryStats(u: Usage): MemoryStats {
  const m = u.memory;
  return {
    time: time(u.timeMs),
    ...(m.availableBytes !== undefined ? { availableBytes: m.availableBytes } : {}),
    usageBytes: m.usageBytes,
    workingSetBytes: m.workingSetBytes,
    ...(m.rssBytes !== undefined ? { rssBytes: m.rssBytes } : {}),
    ...(m.pageFaults !== undefined ? { pageFaults: m.pageFaults } : {}),
    ...(m.majorPageFaults !== undefined ? { majorPageFaults: m.majorPageFaults } : {}),
  };
}

/**
 * A pod's totals: the sum over its containers (the kubelet reads the pod cgroup, which
 * also holds the pause container's few KiB). The rate only when every container has one.
 */
function podTotals(usages: Usage[]): { cpu: CPUStats; memory: MemoryStats } | undefined {
  if (usages.length === 0) return undefined;
  const t = time(Math.max(...usages.map((u) => u.timeMs)));
  const sum = (f: (u: Usage) => number | undefined) => usages.reduce((a, u) => a + (f(u) ?? 0), 0);
  const allRates = usages.every((u) => u.cpu);
  return {
    cpu: {
      time: t,
      ...(allRates ? { usageNanoCores: sum((u) => u.cpu?.nanoCores) } : {}),
      usageCoreNanoSeconds: sum((u) => u.cpuNs),
    },
    memory: {
      time: t,
      usageBytes: sum((u) => u.memory.usageBytes),
      workingSetBytes: sum((u) => u.memory.workingSetBytes),
      rssBytes: sum((u) => u.memory.rssBytes),
    },
  };
}

export class StatsProvider {
  constructor(private readonly d: StatsProviderDeps) {}

  /** GET /stats/summary: the node, and every pod with a running container. */
  async summary(): Promise<Summary> {
    const [nodeUsage, pods] = await Promise.all([this.d.nodeUsage.get('node'), this.#podUsage()]);
    const podStats: PodStats[] = [];
    for (const { pod, containers } of pods) {
      const measured = containers.filter((x): x is { c: RunningContainer; usage: Usage } => x.usage !== undefined);
      const cs: ContainerStats[] = containers.map(({ c, usage }) => ({
        name: c.name,
        startTime: c.startedAt,
        ...(usage ? { cpu: cpuStats(usage), memory: memoryStats(usage) } : {}),
      }));
      const totals = podTotals(measured.map((x) => x.usage));
      podStats.push({
        podRef: { name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid! },
        startTime: pod.status?.startTime ?? pod.metadata.creationTimestamp ?? time(this.d.clock.now()),
        containers: cs,
        ...(totals ?? {}),
      });
    }
    return {
      node: {
        nodeName: this.d.nodeName,
        startTime: time(this.d.bootTimeMs ?? 0),
        ...(nodeUsage ? { cpu: cpuStats(nodeUsage), memory: memoryStats(nodeUsage) } : {}),
      },
      pods: podStats,
    };
  }

  /** metrics.k8s.io NodeMetrics: present once the node has a CPU rate. */
  async nodeMetrics(): Promise<NodeMetrics[]> {
    const u = await this.d.nodeUsage.get('node');
    if (!u?.cpu) return [];
    const labels = this.d.node()?.metadata.labels;
    return [
      {
        kind: 'NodeMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: { name: this.d.nodeName, creationTimestamp: time(this.d.clock.now()), ...(labels ? { labels } : {}) },
        timestamp: time(u.timeMs),
        window: goDuration(u.cpu.windowMs),
        usage: { cpu: formatNanoCores(u.cpu.nanoCores), memory: formatBytes(u.memory.workingSetBytes) },
      },
    ];
  }

  /**
   * metrics.k8s.io PodMetrics: as metrics-server, a pod appears only when every running
   * container has a CPU rate; timestamp and window are its earliest container's.
   */
  async podMetrics(): Promise<PodMetrics[]> {
    const out: PodMetrics[] = [];
    const now = time(this.d.clock.now());
    for (const { pod, containers } of await this.#podUsage()) {
      if (containers.length === 0 || containers.some((x) => !x.usage?.cpu)) continue;
      const rated = containers as { c: RunningContainer; usage: Usage & { cpu: NonNullable<Usage['cpu']> } }[];
      const earliest = rated.reduce((a, b) => (b.usage.timeMs < a.usage.timeMs ? b : a));
      const cms: ContainerMetrics[] = rated.map(({ c, usage }) => ({
        name: c.name,
        usage: { cpu: formatNanoCores(usage.cpu.nanoCores), memory: formatBytes(usage.memory.workingSetBytes) },
      }));
      const labels = pod.metadata.labels;
      out.push({
        kind: 'PodMetrics',
        apiVersion: 'metrics.k8s.io/v1beta1',
        metadata: {
          name: pod.metadata.name!,
          namespace: pod.metadata.namespace!,
          creationTimestamp: now,
          ...(labels ? { labels } : {}),
        },
        timestamp: time(earliest.usage.timeMs),
        window: goDuration(earliest.usage.cpu.windowMs),
        containers: cms,
      });
    }
    return out;
  }

  /**
   * GET /metrics/resource: the cumulative figures as Prometheus text, as the kubelet's
   * resource metrics collector writes them from its summary provider.
   */
  async resourceMetrics(): Promise<string> {
    const [nodeUsage, pods] = await Promise.all([this.d.nodeUsage.get('node'), this.#podUsage()]);
    const fam = (k: keyof typeof RESOURCE_FAMILIES): ResourceFamily => {
      const [name, help, type] = RESOURCE_FAMILIES[k];
      return { name, help, type, samples: [] };
    };
    const f = {
      containerCpu: fam('containerCpu'),
      containerMemory: fam('containerMemory'),
      containerStart: fam('containerStart'),
      nodeCpu: fam('nodeCpu'),
      nodeMemory: fam('nodeMemory'),
      podCpu: fam('podCpu'),
      podMemory: fam('podMemory'),
      resourceScrapeError: fam('resourceScrapeError'),
    };
    if (nodeUsage) {
      f.nodeCpu.samples.push({ value: nodeUsage.cpuNs / 1e9, timeMs: nodeUsage.timeMs });
      f.nodeMemory.samples.push({ value: nodeUsage.memory.workingSetBytes, timeMs: nodeUsage.timeMs });
    }
    let missing = nodeUsage ? 0 : 1;
    for (const { pod, containers } of pods) {
      const ref = { namespace: pod.metadata.namespace!, pod: pod.metadata.name! };
      for (const { c, usage } of containers) {
        const labels = { ...ref, container: c.name };
        f.containerStart.samples.push({ labels, value: Date.parse(c.startedAt) / 1000 });
        if (!usage) {
          missing = 1;
          continue;
        }
        f.containerCpu.samples.push({ labels, value: usage.cpuNs / 1e9, timeMs: usage.timeMs });
        f.containerMemory.samples.push({ labels, value: usage.memory.workingSetBytes, timeMs: usage.timeMs });
      }
      const measured = containers.flatMap((x) => (x.usage ? [x.usage] : []));
      if (measured.length === 0) continue;
      const timeMs = Math.max(...measured.map((u) => u.timeMs));
      const sum = (g: (u: Usage) => number) => measured.reduce((a, u) => a + g(u), 0);
      f.podCpu.samples.push({ labels: ref, value: sum((u) => u.cpuNs) / 1e9, timeMs });
      f.podMemory.samples.push({ labels: ref, value: sum((u) => u.memory.workingSetBytes), timeMs });
    }
    f.resourceScrapeError.samples.push({ value: missing });
    return exposition(Object.values(f));
  }

  /** Every pod with running containers and their (cached) usage; forgets containers gone. */
  async #podUsage(): Promise<PodUsage[]> {
    const pods = this.d
      .pods()
      .map((pod) => ({ pod, running: runningContainers(pod) }))
      .filter((p) => p.running.length > 0);
    this.d.containers.retain(new Set(pods.flatMap((p) => p.running.map((c) => c.id))));
    return Promise.all(
      pods.map(async ({ pod, running }) => ({
        pod,
        containers: await Promise.all(running.map(async (c) => ({ c, usage: await this.d.containers.get(c.id) }))),
      })),
    );
  }
}
