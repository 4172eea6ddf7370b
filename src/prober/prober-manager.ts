// The prober manager (pkg/kubelet/prober/prober_manager.go): keeps one ProbeWorker per
// (pod, container, probe type) in step with the pods and their container instances,
// and turns the results into what the sync needs:
//   - readiness/startup maps for status generation (ready, started);
//   - liveness/startup failures for computePodActions (kill, restart per policy);
//   - a wake-up of the pod worker whenever a result that matters changes.
// The sync calls updatePodProbes() after every relist, stopLivenessAndStartup() when the pod
// starts terminating (readiness keeps running), and removePod() when it is gone.
import PQueue from 'p-queue';
import type { Container, PodStatus, ValidPod } from '../apis/core/types.js';
import type { ContainerType, RuntimePodStatus } from '../runtime/runtime.js';
import { findContainer, isSidecar } from '../container/helpers.js';
import { isPodPhaseTerminal } from '../apis/core/pod-util.js';
import type { EventSink } from '../events/recorder.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { errorMessage } from '../util/errors.js';
import { ResultsManager, type ProbeType } from './results.js';
import { ProbeWorker, type ContainerView } from './probe-worker.js';
import { Prober, probeSpec } from './prober.js';
import type { ExecFn } from './probers/exec.js';
import type { KubeletMetrics } from '../metrics/metrics.js';

export interface ProberManagerDeps {
  exec: ExecFn;
  events: EventSink;
  clock: Clock;
  log: Logger;
  /** Ask the pod's worker for a sync (a result changed). */
  wake(podUid: string): void;
  /** How many exec probes may run at once across the node. */
  execConcurrency: number;
  /** When the agent started (default: construction time). */
  startedAt?: number;
  random?: () => number;
  /** prober_probe_total (none recorded without it). */
  metrics?: KubeletMetrics;
}

/** probe_type as the kubelet's probeType.String() prints it. */
const PROBE_TYPE_LABEL: Record<ProbeType, string> = {
  liveness: 'Liveness',
  readiness: 'Readiness',
  startup: 'Startup',
};

/** A liveness or startup Failure for a running container: computePodActions kills it. */
export type ProbeFailures = Map<string, 'liveness' | 'startup'>;

const PROBE_TYPES: readonly ProbeType[] = ['startup', 'readiness', 'liveness'];

interface PodEntry {
  pod: ValidPod;
  rt?: RuntimePodStatus;
  status?: PodStatus;
  workers: Map<string, ProbeWorker>;
  /** Termination began: liveness and startup are over for this pod. */
  livenessStopped: boolean;
}

export class ProberManager {
  readonly liveness = new ResultsManager();
  readonly readiness = new ResultsManager();
  readonly startup = new ResultsManager();
  readonly #pods = new Map<string, PodEntry>();
  readonly #prober: Prober;
  readonly #queue: PQueue;
  readonly #clock: Clock;
  readonly #startedAt: number;
  #timers = 0;
  #inFlight = 0;

  constructor(private readonly d: ProberManagerDeps) {
    this.#startedAt = d.startedAt ?? d.clock.now();
    this.#queue = new PQueue({ concurrency: Math.max(1, d.execConcurrency) });
    this.#prober = new Prober({ exec: d.exec, events: d.events, limitExec: (fn) => this.#queue.add(fn) });
    // Every timer a worker sets goes through here, so tests can see that none is left.
    this.#clock = {
      now: () => d.clock.now(),
      setTimeout: (fn, ms) => {
        this.#timers++;
        let live = true;
        const done = () => {
          if (live) {
            live = false;
            this.#timers--;
          }
        };
        const h = d.clock.setTimeout(() => {
          done();
          fn();
        }, ms);
        return {
          cancel: () => {
            done();
            h.cancel();
          },
        };
      },
    };
    this.liveness.onChange((u) => {
      if (u.result === 'failure') d.wake(u.podUid);
    });
    this.readiness.onChange((u) => d.wake(u.podUid));
    this.startup.onChange((u) => {
      d.wake(u.podUid);
      // `started` flipped: readiness gets a run at once instead of waiting a period.
      if (u.result === 'success') this.#triggerReadiness(u.podUid, u.containerId);
    });
  }

  /** After each relist: add/remove workers to match the pod, keep their view fresh. */
  updatePodProbes(pod: ValidPod, rt: RuntimePodStatus, status: PodStatus): void {
    const uid = pod.metadata.uid;
    if (isPodPhaseTerminal(status.phase)) {
      this.removePod(uid);
      return;
    }
    let e = this.#pods.get(uid);
    if (!e) {
      e = { pod, workers: new Map(), livenessStopped: false };
      this.#pods.set(uid, e);
    }
    e.pod = pod;
    e.rt = rt;
    e.status = status;
    if (pod.metadata.deletionTimestamp) this.stopLivenessAndStartup(uid);

    const wanted = new Set<string>();
    for (const { c, type } of probedContainers(pod)) {
      for (const pt of PROBE_TYPES) {
        if (!probeSpec(c, pt)) continue;
        if (pt !== 'readiness' && e.livenessStopped) continue;
        const key = `${pt}/${type}/${c.name}`;
        wanted.add(key);
        if (!e.workers.has(key)) this.#addWorker(e, key, c, type, pt);
      }
    }
    for (const [key, w] of e.workers) {
      if (!wanted.has(key)) {
        w.stop();
        e.workers.delete(key);
      }
    }
    // UpdatePodStatus: a started container that is not ready gets a readiness run now.
    for (const [key, w] of e.workers) {
      if (w.type !== 'readiness') continue;
      const v = this.#view(uid, key);
      const id = v?.containerId;
      if (v?.started && id && this.readiness.get(id) !== 'success') w.trigger();
    }
  }

  /** Termination began: liveness and startup report Success and stop; readiness goes on. */
  stopLivenessAndStartup(uid: string): void {
    const e = this.#pods.get(uid);
    if (!e || e.livenessStopped) return;
    e.livenessStopped = true;
    for (const [key, w] of e.workers) {
      if (w.type === 'readiness') continue;
      w.stopWithSuccess();
      e.workers.delete(key);
    }
  }

  /** The pod is gone: stop every worker and forget its results. */
  removePod(uid: string): void {
    const e = this.#pods.get(uid);
    if (e) {
      for (const w of e.workers.values()) w.stop();
      this.#pods.delete(uid);
    }
    for (const r of [this.liveness, this.readiness, this.startup]) r.removePod(uid);
  }

  /** Agent shutdown. */
  stop(): void {
    for (const uid of [...this.#pods.keys()]) this.removePod(uid);
    this.#queue.clear();
  }

  /** Readiness results by container ID, for status generation (true = ready). */
  readinessFor(rt: RuntimePodStatus): Map<string, boolean> {
    return this.#boolMap(this.readiness, rt);
  }
  /** Startup results by container ID (true = started). */
  startupFor(rt: RuntimePodStatus): Map<string, boolean> {
    return this.#boolMap(this.startup, rt);
  }

  /** Running containers whose liveness or startup probe has failed. */
  failuresFor(uid: string): ProbeFailures {
    const out: ProbeFailures = new Map();
    for (const id of this.startup.idsWith(uid, 'failure')) out.set(id, 'startup');
    for (const id of this.liveness.idsWith(uid, 'failure')) out.set(id, 'liveness');
    return out;
  }

  /** Diagnostics (and leak tests). */
  workerCount(uid?: string): number {
    if (uid) return this.#pods.get(uid)?.workers.size ?? 0;
    let n = 0;
    for (const e of this.#pods.values()) n += e.workers.size;
    return n;
  }
  pendingTimers(): number {
    return this.#timers;
  }
  probesInFlight(): number {
    return this.#inFlight;
  }
  podCount(): number {
    return this.#pods.size;
  }

  #boolMap(r: ResultsManager, rt: RuntimePodStatus): Map<string, boolean> {
    const m = new Map<string, boolean>();
    for (const c of rt.containers) {
      const v = r.get(c.id);
      if (v !== undefined) m.set(c.id, v === 'success');
    }
    return m;
  }

  #addWorker(e: PodEntry, key: string, c: Container, type: ContainerType, pt: ProbeType): void {
    const uid = e.pod.metadata.uid;
    const log = this.d.log.child({
      pod: `${e.pod.metadata.namespace}/${e.pod.metadata.name}`,
      container: c.name,
      probe: pt,
    });
    const w: ProbeWorker = new ProbeWorker({
      type: pt,
      spec: probeSpec(c, pt)!,
      podUid: uid,
      clock: this.#clock,
      results: pt === 'liveness' ? this.liveness : pt === 'readiness' ? this.readiness : this.startup,
      agentStartedAt: this.#startedAt,
      ...(this.d.random ? { random: this.d.random } : {}),
      view: () => this.#view(uid, key),
      probe: (containerId) => this.#probe(uid, c.name, type, pt, containerId),
      onExit: () => {
        const cur = this.#pods.get(uid);
        if (cur?.workers.get(key) === w) cur.workers.delete(key);
      },
      onError: (err) => log.warn({ err: errorMessage(err) }, 'probe worker failed'),
      ...(this.d.metrics
        ? {
            series: this.d.metrics.probeSeries({
              probe_type: PROBE_TYPE_LABEL[pt],
              container: c.name,
              pod: e.pod.metadata.name,
              namespace: e.pod.metadata.namespace,
              pod_uid: uid,
            }),
          }
        : {}),
    });
    e.workers.set(key, w);
    w.start();
  }

  async #probe(
    uid: string,
    name: string,
    type: ContainerType,
    pt: ProbeType,
    containerId: string,
  ): Promise<'success' | 'failure' | undefined> {
    const e = this.#pods.get(uid);
    const container = e && findContainer(e.pod, name, type);
    if (!e || !container) return undefined;
    const podIP = e.rt?.sandboxes.find((s) => s.state === 'running')?.ip ?? e.status?.podIP;
    this.#inFlight++;
    try {
      return await this.#prober.probe(pt, { pod: e.pod, container, containerId, podIP });
    } finally {
      this.#inFlight--;
    }
  }

  #view(uid: string, key: string): ContainerView | undefined {
    const e = this.#pods.get(uid);
    if (!e?.rt || !e.status) return undefined;
    const [, type, name] = key.split('/') as [ProbeType, ContainerType, string];
    const spec = findContainer(e.pod, name, type);
    if (!spec) return undefined;
    const inst = e.rt.containers.find((c) => c.name === name && c.type === type);
    const running = inst?.state === 'running';
    const startedAtMs = inst?.startedAt ? Date.parse(inst.startedAt) : undefined;
    const sidecar = type === 'init' && isSidecar(spec);
    return {
      podTerminal: isPodPhaseTerminal(e.status.phase),
      deleting: e.pod.metadata.deletionTimestamp !== undefined,
      ...(inst ? { containerId: inst.id } : {}),
      running,
      finished: inst?.state === 'exited' && e.pod.spec.restartPolicy === 'Never' && !sidecar,
      ...(startedAtMs !== undefined && !Number.isNaN(startedAtMs) ? { startedAtMs } : {}),
      started: running && (!spec.startupProbe || this.startup.get(inst!.id) === 'success'),
    };
  }

  #triggerReadiness(uid: string, containerId: string): void {
    const e = this.#pods.get(uid);
    const inst = e?.rt?.containers.find((c) => c.id === containerId);
    if (!e || !inst) return;
    e.workers.get(`readiness/${inst.type}/${inst.name}`)?.trigger();
  }
}

/** Containers that may carry probes: app containers and sidecars (never regular init containers). */
function probedContainers(pod: ValidPod): { c: Container; type: ContainerType }[] {
  return [
    ...(pod.spec.initContainers ?? []).filter(isSidecar).map((c) => ({ c, type: 'init' as const })),
    ...pod.spec.containers.map((c) => ({ c, type: 'container' as const })),
  ];
}
