// Agent settings. Defaults equal the kubelet's; tests shorten timings here, through
// options, never by changing a default.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The images the setup step builds locally (never under an official image's name). */
export const LOCAL_PAUSE_IMAGE = 'minikubelet.local/pause:3.10';
export const LOCAL_BUSYBOX_IMAGE = 'minikubelet.local/busybox:1.35';

export interface KubeletOptions {
  /** Holds kubeconfig, agent id, submitted pods and stored objects. */
  rootDir: string;
  nodeName: string;
  /** HOST:PORT of the API; port 0 picks a free one. */
  listen: string;
  /** Extra names and IPs the API's serving certificate covers (beyond loopback and the listen host). */
  tlsSans?: string[];
  /** Serve plain HTTP instead of HTTPS (loopback only; the bearer token is still required). */
  insecureHttp: boolean;
  /** API caps: open connections, concurrent watches, concurrent followed logs (more get 429). */
  maxConnections: number;
  maxWatches: number;
  maxFollowedLogs: number;
  /** Static pod manifests directory (optional), watched for changes. */
  manifestsDir?: string;
  /** --file-check-frequency: full re-read period of the manifests directory (kubelet: 20 s). */
  fileCheckFrequencyMs: number;
  /** Docker engine address; undefined = DOCKER_HOST or the default socket. */
  dockerHost?: string;
  podInfraImage: string;
  /**
   * The pod network and its subnet: the Docker network the sandboxes join (docker driver)
   * or the CNI network's name and bridge (cni driver). The defaults differ per driver
   * (effectivePodNetwork): two bridges with one subnet would break routing for both.
   */
  podNetwork: string;
  podCidr: string;
  /**
   * --pod-network-driver: `cni` (NetworkMode none + the CNI plugins, as cri-dockerd) or
   * `docker` (a Docker network); undefined = cni when the agent can use it.
   */
  podNetworkDriver?: 'cni' | 'docker';
  /** --cni-bin-dir: where the CNI plugins are (Debian's containernetworking-plugins). */
  cniBinDir: string;
  /**
   * Honour the Multus annotation `k8s.v1.cni.cncf.io/networks` (comma-separated Docker
   * network names): the sandbox also joins those networks, the pod's name as its alias.
   * Off by default: it lets an API client put a pod on any network of the engine.
   */
  podNetworkAttachments: boolean;
  /** Labels put on every container and volume the agent creates (e.g. testcontainers' session labels). */
  extraContainerLabels?: Record<string, string>;
  /**
   * --resolv-conf: the node's resolver file, the base of Default (and, with no cluster
   * DNS, ClusterFirst) pods' /etc/resolv.conf. '' = none: pods get nameserver 127.0.0.1, as the kubelet's.
   */
  resolvConf: string;
  /** --cluster-domain: the DNS domain of the FQDN in a pod's /etc/hosts (kubeadm's cluster.local). */
  clusterDomain: string;
  /** Bounded concurrency for engine calls and for image pulls. */
  engineConcurrency: number;
  pullConcurrency: number;
  /** Crash-loop back-off (kubelet: 10 s doubling to 300 s, reset after 600 s). */
  crashLoopBackOffBaseMs: number;
  crashLoopBackOffMaxMs: number;
  crashLoopBackOffResetMs: number;
  /** Image pull back-off (kubelet: 10 s doubling to 300 s). */
  imagePullBackOffBaseMs: number;
  imagePullBackOffMaxMs: number;
  /** Abort an image pull that reports no progress for this long (cri-dockerd: 1 min); 0 = never. */
  imagePullStallTimeoutMs: number;
  /**
   * Node-level registry credentials: a Docker config file whose `auths` are tried after
   * the pod's imagePullSecrets. Default $DOCKER_CONFIG/config.json or ~/.docker/config.json;
   * '' = none. A missing file means no node credentials.
   */
  imageCredentialsFile?: string;
  /**
   * Periodic resync of every pod worker (kubelet syncFrequency, 1 min). Engine events,
   * probe results and back-off timers wake a worker in between.
   */
  resyncIntervalMs: number;
  /** PLEG relist period: one list call for all containers (kubelet: 1 s). */
  plegRelistPeriodMs: number;
  /** How many exec probes may run at once on the node (the rest wait their turn). */
  probeExecConcurrency: number;
  /**
   * --max-pods: active pods the node admits (kubelet default 110); an API pod beyond it
   * waits Pending (the scheduler's `Too many pods`), a static pod or one created with
   * spec.nodeName is rejected, Failed with reason OutOfpods.
   */
  maxPods: number;
  /**
   * --allowed-unsafe-sysctls: sysctls (or `prefix*` patterns) allowed beyond the safe set;
   * only namespaced ones (net.*, kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*).
   */
  allowedUnsafeSysctls: readonly string[];
  /** --seccomp-profile-root: where Localhost seccomp profiles are read (default <root-dir>/seccomp). */
  seccompProfileRoot?: string;
  /**
   * --system-reserved in the kubelet's syntax (`cpu=100m,memory=100Mi`): taken from the
   * Node's allocatable besides the hard eviction thresholds. '' = nothing reserved.
   */
  systemReserved: string;
  /** --node-status-update-frequency: how often the Node's status is recomputed (kubelet: 10 s). */
  nodeStatusUpdateFrequencyMs: number;
  /**
   * Usage samples (engine stats per container, /proc for the node) are taken at most once
   * per this period, as metrics-server's --metric-resolution (15 s); `kubectl top` and
   * /stats/summary read the cached ones.
   */
  statsCachePeriodMs: number;
  /** Garbage collection (kubelet --maximum-dead-containers-per-container, 1; -1 = no limit). */
  maxDeadContainersPerContainer: number;
  /** A dead container younger than this is kept (kubelet --minimum-container-ttl-duration, 0). */
  minimumContainerTtlMs: number;
  /** How often the GC looks for what deleted pods left behind (kubelet ContainerGCPeriod, 1 min). */
  containerGcPeriodMs: number;
  /** Deadline of every unary engine call (kubelet --runtime-request-timeout, 2m); a stop waits its grace on top. */
  runtimeRequestTimeoutMs: number;
  /**
   * Image GC starts above this disk usage (%) of the engine's data root. Unset = off,
   * unlike the kubelet's 85: on a laptop the engine's images are the user's, not the node's.
   */
  imageGcHighThresholdPercent?: number;
  /** ...and frees images until usage is at most this (kubelet --image-gc-low-threshold, 80). */
  imageGcLowThresholdPercent: number;
  /** Images first seen less than this ago are never removed (kubelet --image-minimum-gc-age, 2 min). */
  imageMinimumGcAgeMs: number;
}

export function defaultRootDir(): string {
  return process.env.MINIKUBELET_ROOT_DIR ?? join(homedir(), '.minikubelet');
}

/**
 * The one table of option defaults: defaultOptions() fills them in, and the CLI's help
 * text prints them from here. rootDir is computed (defaultRootDir), the rest are fixed.
 */
export const OPTION_DEFAULTS = {
  nodeName: 'minikubelet',
  listen: '127.0.0.1:10350',
  insecureHttp: false,
  maxConnections: 1000,
  maxWatches: 200,
  maxFollowedLogs: 100,
  podInfraImage: LOCAL_PAUSE_IMAGE,
  podNetwork: 'minikubelet-pods',
  podCidr: '10.244.0.0/16',
  podNetworkAttachments: false,
  cniBinDir: '/usr/lib/cni',
  resolvConf: '/etc/resolv.conf',
  clusterDomain: 'cluster.local',
  engineConcurrency: 16,
  pullConcurrency: 3,
  crashLoopBackOffBaseMs: 10_000,
  crashLoopBackOffMaxMs: 300_000,
  crashLoopBackOffResetMs: 600_000,
  imagePullBackOffBaseMs: 10_000,
  imagePullBackOffMaxMs: 300_000,
  imagePullStallTimeoutMs: 60_000,
  resyncIntervalMs: 60_000,
  plegRelistPeriodMs: 1_000,
  probeExecConcurrency: 16,
  maxPods: 110,
  allowedUnsafeSysctls: [],
  systemReserved: '',
  nodeStatusUpdateFrequencyMs: 10_000,
  fileCheckFrequencyMs: 20_000,
  statsCachePeriodMs: 15_000,
  maxDeadContainersPerContainer: 1,
  minimumContainerTtlMs: 0,
  containerGcPeriodMs: 60_000,
  runtimeRequestTimeoutMs: 120_000,
  imageGcLowThresholdPercent: 80,
  imageMinimumGcAgeMs: 120_000,
} as const satisfies Omit<KubeletOptions, 'rootDir'>;

/** The cni driver's own defaults: the docker driver's name and subnet belong to its Docker network. */
export const CNI_NETWORK_DEFAULTS = { podNetwork: 'minikubelet-cni', podCidr: '10.245.0.0/16' } as const;

/**
 * The network name and subnet the chosen driver uses: the options', except that the
 * docker driver's defaults become the cni driver's under cni (a CNI bridge on the Docker
 * network's subnet would collide with it).
 */
export function effectivePodNetwork(
  o: Pick<KubeletOptions, 'podNetwork' | 'podCidr'>,
  driver: 'cni' | 'docker',
): { name: string; cidr: string } {
  if (driver === 'docker') return { name: o.podNetwork, cidr: o.podCidr };
  return {
    name: o.podNetwork === OPTION_DEFAULTS.podNetwork ? CNI_NETWORK_DEFAULTS.podNetwork : o.podNetwork,
    cidr: o.podCidr === OPTION_DEFAULTS.podCidr ? CNI_NETWORK_DEFAULTS.podCidr : o.podCidr,
  };
}

export function defaultOptions(overrides: Partial<KubeletOptions> = {}): KubeletOptions {
  return { rootDir: defaultRootDir(), ...OPTION_DEFAULTS, ...overrides };
}
