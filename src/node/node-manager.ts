// The one Node object this agent is: its status refreshed from the engine and the host
// every --node-status-update-frequency (kubelet syncNodeStatus), published on change
// or every 5 minutes (nodeStatusReportFrequency, when only the heartbeat would move),
// and the user's changes (labels, annotations, taints, unschedulable: `kubectl label`,
// `taint`, `cordon`) persisted under the root dir so they survive a restart.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Node, NodeCondition, Taint, WatchEventType } from '../apis/core/types.js';
import { validateNodeUpdate } from '../apis/core/validate-cluster.js';
import { rfc3339, type Clock } from '../util/clock.js';
import { KubeletError, conflictError, ValidationError, errorMessage, notFoundError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { ResourceVersions } from '../util/resource-versions.js';
import type { ContainerRuntime, EngineImage, EngineInfo } from '../runtime/runtime.js';
import { JsonDir } from '../sources/json-dir.js';
import { UNSCHEDULABLE_TAINT } from '../scheduling/taints.js';
import { readHostIdentity, readHostSignals } from './host-signals.js';
import { RUNTIME_DOWN_MESSAGE, type RuntimeHealth } from '../runtime/runtime-health.js';
import {
  allocatable,
  capacity,
  conditionStates,
  goArch,
  nodeAddresses,
  nodeImages,
  nodeInfo,
  withTimes,
} from './node-status.js';

/** kubelet nodeStatusReportFrequency: a status with only a newer heartbeat is posted this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;
/** The kubelet's message when the runtime does not answer (kubelet.go runtimeState). */

export interface NodeManagerDeps {
  nodeName: string;
  rootDir: string;
  runtime: ContainerRuntime;
  clock: Clock;
  rvs: ResourceVersions;
  /** The IP pods see the node at (status.hostIP): the node's InternalIP. */
  hostIP: string;
  podCidr: string;
  maxPods: number;
  /** --system-reserved, parsed (cores, bytes). */
  systemReserved: Record<string, number>;
  kubeletVersion: string;
  updateFrequencyMs: number;
  log: Logger;
  /** The engine's reachability as the PLEG sees it: a change refreshes the node at once. */
  runtimeHealth?: Pick<RuntimeHealth, 'isUp' | 'onChange'>;
}

/** What the user owns on the Node; everything else is the agent's. */
interface NodeRecord {
  uid: string;
  creationTimestamp: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export type NodeListener = (type: WatchEventType, node: Node) => void;

const RECORD_KEY = 'node';

export class NodeManager {
  readonly #d: NodeManagerDeps;
  readonly #dir: JsonDir<NodeRecord>;
  #record: NodeRecord;
  #node: Node;
  #info: EngineInfo | undefined;
  #images: EngineImage[] = [];
  #lastReport = 0;
  #port = 0;
  #runtimeErrors: string[] = [];
  /** The last published node, and its shape without heartbeats (to see whether anything changed). */
  #reported: Node | undefined;
  #published: string | undefined;
  #timer: { cancel(): void } | undefined;
  #stopped = false;
  #unwatchHealth: (() => void) | undefined;
  readonly #listeners = new Set<NodeListener>();

  constructor(d: NodeManagerDeps) {
    this.#d = d;
    this.#dir = new JsonDir(join(d.rootDir, 'node'));
    const stored = this.#dir.readAll((file, err) =>
      d.log.warn({ file, err: errorMessage(err) }, 'cannot read the stored node'),
    )[0];
    this.#record = stored ?? {
      uid: randomUUID(),
      creationTimestamp: rfc3339(d.clock.now()),
      labels: {},
      annotations: {},
    };
    if (!stored) this.#persist(this.#record);
    this.#node = this.#build([], rfc3339(d.clock.now()));
  }

  /** The API port: status.daemonEndpoints.kubeletEndpoint.Port (the server starts after the node). */
  setPort(port: number): void {
    this.#port = port;
    this.#publishIfChanged(true);
  }

  /** First status now, then every updateFrequencyMs. */
  async start(): Promise<void> {
    this.#unwatchHealth = this.#d.runtimeHealth?.onChange(() => void this.refresh());
    await this.refresh();
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#unwatchHealth?.();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = this.#d.clock.setTimeout(() => {
      void this.refresh().finally(() => this.#schedule());
    }, this.#d.updateFrequencyMs);
  }

  /**
   * Gather the engine's facts and the host's signals and publish when anything but the
   * heartbeat changed. An engine that does not answer makes the node NotReady with the
   * kubelet's message; the last known machine info is kept. (Hook for engine-fault
   * handling: a richer runtime health signal would add its errors here.)
   */
  async refresh(): Promise<void> {
    const errors: string[] = [];
    if (this.#d.runtimeHealth?.isUp() === false) errors.push(RUNTIME_DOWN_MESSAGE);
    else {
      try {
        [this.#info, this.#images] = await Promise.all([this.#d.runtime.info(), this.#d.runtime.listImages()]);
      } catch (err) {
        errors.push(RUNTIME_DOWN_MESSAGE);
        this.#d.log.warn({ err: errorMessage(err) }, RUNTIME_DOWN_MESSAGE);
      }
    }
    this.#runtimeErrors = errors;
    this.#publishIfChanged(this.#d.clock.now() - this.#lastReport >= NODE_STATUS_REPORT_MS);
  }

  /** Publish (new resourceVersion) when the node differs from the last published one, heartbeats aside. */
  #publishIfChanged(force: boolean): void {
    this.#node = this.#build(this.#runtimeErrors, rfc3339(this.#d.clock.now()));
    const shape = JSON.stringify(withoutVolatile(this.#node));
    if (!force && shape === this.#published) {
      // Nothing new: keep the last reported heartbeat (and resourceVersion).
      return;
    }
    const type: WatchEventType = this.#published === undefined ? 'ADDED' : 'MODIFIED';
    this.#published = shape;
    this.#lastReport = this.#d.clock.now();
    this.#node.metadata.resourceVersion = this.#d.rvs.next();
    this.#reported = this.#node;
    for (const l of this.#listeners) l(type, this.#node);
  }

  get(name: string): Node {
    if (name !== this.#d.nodeName) throw notFoundError('nodes', name);
    return this.#reported ?? this.#node;
  }

  list(): Node[] {
    return [this.get(this.#d.nodeName)];
  }

  /**
   * PUT, or a PATCH's result: the user's labels, annotations, taints and unschedulable are
   * taken, the status is the agent's (the main resource never writes it). Conflict on a
   * stale resourceVersion; Invalid per ValidateNodeUpdate; nothing changes on error.
   */
  update(name: string, body: unknown): Node {
    const live = this.get(name);
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new KubeletError('BadRequest', 'the object must be a mapping with apiVersion and kind');
    const next = body as Node;
    const rv = next.metadata?.resourceVersion;
    if (rv && rv !== live.metadata.resourceVersion) throw conflictError('nodes', name);
    const candidate = { ...next, metadata: next.metadata ?? {}, spec: next.spec ?? {} } as Node;
    const errs = validateNodeUpdate(candidate, live);
    if (errs.length > 0) throw new ValidationError('Node', name, errs);
    const record: NodeRecord = {
      uid: this.#record.uid,
      creationTimestamp: this.#record.creationTimestamp,
      labels: { ...(candidate.metadata.labels ?? {}) },
      annotations: { ...(candidate.metadata.annotations ?? {}) },
      ...(userTaints(candidate.spec.taints).length ? { taints: userTaints(candidate.spec.taints) } : {}),
      ...(candidate.spec.unschedulable ? { unschedulable: true } : {}),
    };
    this.#persist(record);
    this.#record = record;
    this.#publishIfChanged(true);
    return this.get(name);
  }

  subscribe(l: NodeListener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  #persist(record: NodeRecord): void {
    try {
      this.#dir.write(RECORD_KEY, record);
    } catch (err) {
      throw new KubeletError('Internal', `cannot store nodes "${this.#d.nodeName}"`, { cause: err });
    }
  }

  /** The kubelet's default labels (kubelet_node_status.go initialNode) win over the user's. */
  #labels(): Record<string, string> {
    const arch = goArch();
    return {
      ...this.#record.labels,
      'beta.kubernetes.io/arch': arch,
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': arch,
      'kubernetes.io/hostname': this.#d.nodeName,
      'kubernetes.io/os': 'linux',
    };
  }

  #build(runtimeErrors: string[], now: string): Node {
    const d = this.#d;
    const signals = readHostSignals(d.rootDir, this.#info?.dockerRootDir);
    const info = this.#info ?? EMPTY_INFO;
    const previous: NodeCondition[] = this.#reported?.status.conditions ?? [];
    const r = this.#record;
    // The node lifecycle controller's taint follows spec.unschedulable (doNoScheduleTaintingPass).
    const taints = [...(r.taints ?? []), ...(r.unschedulable ? [UNSCHEDULABLE_TAINT] : [])];
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: d.nodeName,
        uid: r.uid,
        creationTimestamp: r.creationTimestamp,
        resourceVersion: this.#reported?.metadata.resourceVersion ?? '0',
        labels: this.#labels(),
        ...(Object.keys(r.annotations).length > 0 ? { annotations: r.annotations } : {}),
      },
      spec: {
        podCIDR: d.podCidr,
        podCIDRs: [d.podCidr],
        ...(taints.length > 0 ? { taints } : {}),
        ...(r.unschedulable ? { unschedulable: true } : {}),
      },
      status: {
        capacity: capacity(info, signals.nodefs, d.maxPods),
        allocatable: allocatable(info, signals.nodefs, d.maxPods, d.systemReserved),
        conditions: withTimes(conditionStates(signals, runtimeErrors), previous, now),
        addresses: nodeAddresses(d.hostIP, d.nodeName),
        daemonEndpoints: { kubeletEndpoint: { Port: this.#port } },
        nodeInfo: nodeInfo(info, readHostIdentity(), d.kubeletVersion, goArch()),
        images: nodeImages(this.#images),
      },
    };
  }
}

/** The user's taints: the unschedulable one is the controller's, derived from spec.unschedulable. */
function userTaints(taints: Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.key !== UNSCHEDULABLE_TAINT.key);
}

const EMPTY_INFO: EngineInfo = {
  ncpu: 0,
  memTotal: 0,
  serverVersion: '',
  operatingSystem: '',
  kernelVersion: '',
  dockerRootDir: '',
};

/** The node without what changes on every refresh (heartbeats, resourceVersion). */
function withoutVolatile(n: Node): unknown {
  return {
    ...n,
    metadata: { ...n.metadata, resourceVersion: undefined },
    status: {
      ...n.status,
      conditions: n.status.conditions.map((c) => ({ ...c, lastHeartbeatTime: undefined })),
    },
  };
}
