// What the sync steps share: the node's collaborators, passed as one typed object
// instead of a long constructor argument list.
import type { ContainerRuntime } from '../runtime/runtime.js';
import type { RuntimeHealth } from '../runtime/runtime-health.js';
import type { EventSink } from '../events/recorder.js';
import type { ImageManager } from '../images/image-manager.js';
import type { StatusManager } from '../status/status-manager.js';
import type { Backoff } from '../util/backoff.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { HookDeps } from '../lifecycle/handlers.js';
import type { ObjectLookup } from './container-env.js';
import type { ProberManager } from '../prober/prober-manager.js';
import type { GcPolicy } from './container-gc.js';
import type { KubeletMetrics } from '../metrics/metrics.js';
import type { DnsSettings } from './sandbox-config.js';
import type { ServiceAccountTokenGetter } from './volume-payload.js';
import type { ApiServiceAddress } from './service-env.js';

export interface SyncDeps {
  runtime: ContainerRuntime;
  images: ImageManager;
  events: EventSink;
  status: StatusManager;
  crashBackoff: Backoff;
  clock: Clock;
  log: Logger;
  /** What lifecycle hooks run with (exec through the runtime, HTTP transport). */
  hooks: HookDeps;
  /** Stored ConfigMaps and Secrets, for env valueFrom / envFrom. */
  objects?: ObjectLookup;
  /** Tokens of projected serviceAccountToken sources (the token manager); none without an API. */
  serviceAccountToken?: ServiceAccountTokenGetter;
  /** Where pods reach the API (the `kubernetes` service env vars); none without an API. */
  apiService?: () => ApiServiceAddress | undefined;
  /** --resolv-conf and --cluster-domain: each new sandbox's /etc/resolv.conf and /etc/hosts (none = the engine's files). */
  dns?: DnsSettings;
  /** The node's address as pods see it (status.hostIP). */
  hostIP: () => string | undefined;
  /** Probe workers and their results (readiness/startup → status, liveness/startup failures → kills). */
  probes?: ProberManager;
  /** Whether the engine answers: no syncs while it is down (kubelet syncLoop runtimeErrors). */
  runtimeHealth?: RuntimeHealth;
  /** A pod's containers are gone: its source drops it (sources/pod-config.ts podTerminated). */
  podTerminated: (uid: string) => void;
  /** Dead instances each worker keeps of its pod's containers (default: the kubelet's). */
  gcPolicy?: GcPolicy;
  /** Sync durations and pod start latency (default: none recorded). */
  metrics?: KubeletMetrics;
  /** A published status moved the pod from Pending to Running (pod-workers.ts sets it). */
  podRunning?: (uid: string) => void;
}

/** Why a container is not running, by container name (the kubelet's reason cache). */
export type ReasonCache = Map<string, { reason: string; message?: string }>;
