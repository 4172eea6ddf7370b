// The sync loop's collaborators wired as src/kubelet.ts wires them, over a FakeRuntime
// and a FakeClock: the real PodManager, StatusManager, EventRecorder, ImageManager and
// crash-loop Backoff. The one place that builds the deps bag for unit tests of syncPod, PodWorker
// and PodWorkers (adapt it here when the wiring changes).
import { EventRecorder } from '../../src/events/recorder.js';
import { ImageManager } from '../../src/images/image-manager.js';
import type { ValidPod as Pod, WatchEventType } from '../../src/apis/core/types.js';
import { PodManager } from '../../src/pod/pod-manager.js';
import { StatusManager } from '../../src/status/status-manager.js';
import { ResourceVersions } from '../../src/util/resource-versions.js';
import { PodWorkers } from '../../src/sync/pod-workers.js';
import type { ReasonCache, SyncDeps } from '../../src/sync/sync-deps.js';
import { type SyncResult, syncPod } from '../../src/sync/sync-pod.js';
import { Backoff } from '../../src/util/backoff.js';
import { silentLogger } from '../../src/util/logger.js';
import { FakeClock } from './fake-clock.js';
import { FakeRuntime } from './fake-runtime.js';
import { RuntimeHealth } from '../../src/runtime/runtime-health.js';
import type { KubeletMetrics } from '../../src/metrics/metrics.js';

/** The kubelet's defaults (options.ts): crash-loop back-off 10 s doubling to 5 min, reset after 10 min. */
export const CRASH_BACKOFF = { baseMs: 10_000, maxMs: 300_000, resetMs: 600_000 };
export const RESYNC_MS = 60_000;
export const PLEG_PERIOD_MS = 1_000;
export const HOST_IP = '172.30.0.1';

export interface TestSync {
  clock: FakeClock;
  runtime: FakeRuntime;
  status: StatusManager;
  events: EventRecorder;
  images: ImageManager;
  crashBackoff: Backoff;
  deps: SyncDeps;
  /** The runtime health the workers follow (tests mark the engine down and up). */
  runtimeHealth: RuntimeHealth;
  /** Status changes published, in order (the API's watch feed). */
  changes: { type: WatchEventType; uid: string; phase: string | undefined }[];
  /** Make the pod desired (what the pod config does for a source), for direct syncPod calls. */
  admit(pod: Pod): void;
  /** One syncPod pass, with the pod's reason cache kept across calls as its worker keeps it. */
  sync(pod: Pod): Promise<SyncResult>;
  /** The reason cache `sync` uses for a pod. */
  reasons(uid: string): ReasonCache;
  /** PodWorkers over the deps, as kubelet.ts builds them; `start` also subscribes to engine events and arms the PLEG on the fake clock. */
  workers(opts?: { resyncMs?: number; start?: boolean }): TestWorkers;
  /** Event reasons recorded for a pod, in order. */
  eventReasons(uid: string): string[];
}

/**
 * PodWorkers fed as the pod config feeds them: `upsert` is a source's ADD/UPDATE,
 * `terminate` its DELETE, resolving once the workers report the pod terminated.
 */
export interface TestWorkers {
  workers: PodWorkers;
  upsert(pod: Pod): void;
  terminate(uid: string, graceSeconds?: number): Promise<void>;
  has(uid: string): boolean;
  get(uid: string): ReturnType<PodWorkers['get']>;
  stop(): Promise<void>;
}

export function newTestSync(opts: { start?: number; metrics?: KubeletMetrics } = {}): TestSync {
  const clock = new FakeClock(opts.start);
  const runtime = new FakeRuntime(clock);
  const rvs = new ResourceVersions();
  const events = new EventRecorder({ clock, nodeName: 'fake-node', nextResourceVersion: () => rvs.next() });
  const pods = new PodManager();
  const status = new StatusManager(pods, rvs);
  const terminated = new Map<string, () => void>();
  const log = silentLogger();
  const images = new ImageManager({
    runtime,
    events,
    clock,
    pullConcurrency: 2,
    backOffBaseMs: 10_000,
    backOffMaxMs: 300_000,
    pullStallTimeoutMs: 60_000,
    log,
  });
  const runtimeHealth = new RuntimeHealth();
  const crashBackoff = new Backoff(clock, CRASH_BACKOFF.baseMs, CRASH_BACKOFF.maxMs, CRASH_BACKOFF.resetMs);
  const deps: SyncDeps = {
    runtime,
    images,
    events,
    status,
    crashBackoff,
    clock,
    log,
    hooks: { runtime },
    hostIP: () => HOST_IP,
    runtimeHealth,
    podTerminated: (uid) => {
      pods.removePod(uid);
      terminated.get(uid)?.();
    },
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  };
  const changes: TestSync['changes'] = [];
  status.subscribe((type, pod) => changes.push({ type, uid: pod.metadata.uid ?? '', phase: pod.status?.phase }));
  const caches = new Map<string, ReasonCache>();
  const reasons = (uid: string) => {
    const c = caches.get(uid) ?? new Map();
    caches.set(uid, c);
    return c;
  };
  return {
    clock,
    runtime,
    status,
    events,
    images,
    crashBackoff,
    deps,
    runtimeHealth,
    changes,
    admit: (pod) => pods.setPod(pod),
    sync: (pod) => syncPod(deps, pod, reasons(pod.metadata.uid)),
    reasons,
    workers(o = {}) {
      const w = new PodWorkers(deps, o.resyncMs ?? RESYNC_MS, PLEG_PERIOD_MS);
      if (o.start) w.start();
      return {
        workers: w,
        upsert(pod) {
          const op = pods.getPodByUid(pod.metadata.uid) ? 'UPDATE' : 'ADD';
          pods.setPod(pod);
          w.handle({ op, pod });
        },
        terminate(uid, graceSeconds) {
          const pod = pods.getPodByUid(uid);
          if (!pod) return Promise.resolve();
          const done = new Promise<void>((resolve) => terminated.set(uid, resolve));
          w.handle({ op: 'DELETE', pod, ...(graceSeconds !== undefined ? { gracePeriodSeconds: graceSeconds } : {}) });
          return done;
        },
        has: (uid) => w.has(uid),
        get: (uid) => w.get(uid),
        stop: () => w.stop(),
      };
    },
    eventReasons: (uid) => events.forPod(uid).map((e) => e.reason),
  };
}
