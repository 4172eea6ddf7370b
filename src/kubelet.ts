// Composition root: the only place that constructs and wires the modules.
// Start-up order follows the kubelet: runtime → pod and status managers → workers →
// sources (pod config) → server. No policy lives here: each module owns its own.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensurePrivateDir, looseDirWarning } from './util/private-dir.js';
import { join } from 'node:path';
import { effectivePodNetwork, type KubeletOptions } from './options.js';
import { choosePodNetworkDriver, probeHost, type PodNetworkDriver } from './runtime/cni/driver.js';
import type { DataKind, DataObject, ValidPod } from './apis/core/types.js';
import { realClock, type Clock } from './util/clock.js';
import { settlesWithin } from './util/abort.js';
import { Backoff } from './util/backoff.js';
import { errorMessage } from './util/errors.js';
import type { Logger } from './util/logger.js';
import { createDockerClient } from './runtime/docker-client.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import { RuntimeHealth } from './runtime/runtime-health.js';
import { instrumentRuntime } from './runtime/instrumented-runtime.js';
import { PrometheusMetrics } from './metrics/prometheus.js';
import { EventRecorder } from './events/recorder.js';
import { ImageManager } from './images/image-manager.js';
import { FileKeyring, defaultDockerConfigPath } from './images/node-keyring.js';
import { StatusManager } from './status/status-manager.js';
import { PodManager } from './pod/pod-manager.js';
import { fileCeiling, ResourceVersions } from './util/resource-versions.js';
import { PodWorkers } from './sync/pod-workers.js';
import { ContainerGC } from './sync/container-gc-loop.js';
import { ProberManager } from './prober/prober-manager.js';
import type { SyncDeps } from './sync/sync-deps.js';
import { ObjectStore } from './sources/object-store.js';
import { JsonDir } from './sources/json-dir.js';
import { StaticFileSource } from './sources/static-source.js';
import { PodConfig, type StaticPodRecord } from './sources/pod-config.js';
import { isPodPhaseTerminal } from './apis/core/pod-util.js';
import { KubeletApi } from './kubelet-api.js';
import { parseListen, startApiServer } from './server/api-server.js';
import { credentialsDir, loadOrCreateCredentials, TokenFile } from './server/credentials.js';
import { servingSans } from './server/sans.js';
import { VERSION_INFO } from './server/discovery.js';
import { NodeManager } from './node/node-manager.js';
import { TaintEvictionController } from './scheduling/taint-eviction.js';
import { parseSystemReserved } from './node/resources.js';
import { NamespaceStore } from './namespace/namespace-store.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { writeKubeconfig } from './client/kubeconfig.js';
import { ImageGC } from './images/image-gc.js';
import { fsStats } from './node/host-signals.js';
import { ClaimStore } from './storage/claim-store.js';
import { claimsFor, placedPodsUsing, VolumeController } from './storage/volume-controller.js';
import { DockerStatsSource } from './runtime/container-stats.js';
import { UsageCache } from './stats/usage-cache.js';
import { NodeUsageSource } from './stats/node-usage.js';
import { StatsProvider } from './stats/stats-provider.js';
import { loadOrCreateSigningKey, TokenIssuer } from './serviceaccount/token-issuer.js';
import { TokenManager } from './serviceaccount/token-manager.js';
import { ServiceAccountController } from './serviceaccount/serviceaccount-controller.js';
import { kubernetesServiceNames, podReachability } from './server/pod-reachability.js';
import type { Principal } from './server/authz.js';
import type { ApiServiceAddress } from './sync/service-env.js';

/** How long agent shutdown waits for engine calls in flight (see stop()). */
const SHUTDOWN_WAIT_MS = 5_000;

export interface RunningKubelet {
  /** The pod network in use: the driver chosen at start, the network's name and subnet. */
  podNetwork: { driver: PodNetworkDriver; name: string; cidr: string };
  /** The agent as its API sees it (also used in-process by `run -f`). */
  node: KubeletApi;
  /** Image pulls: progress for displays, pull counts for tests. */
  images: ImageManager;
  /** Probe workers (counts for diagnostics and leak tests). */
  probes: ProberManager;
  /** Whether the engine answers (the Node's Ready condition reads it: KubeletNotReady, "container runtime is down"). */
  runtimeHealth: RuntimeHealth;
  /** The API's base URL (https://host:port), when serving. */
  /** What /metrics serves. */
  metrics: PrometheusMetrics;
  url?: string;
  /** The kubeconfig the agent wrote: its URL, CA and token. */
  kubeconfigPath?: string;
  /** Garbage collection of what deleted pods left behind (runs every containerGcPeriodMs). */
  gc: ContainerGC;
  /** Image garbage collection, when --image-gc-high-threshold is set. */
  imageGc?: ImageGC;
  /** Watches and followed logs the API has open now (tests wait on a watch being established). */
  openStreams(): number;
  /** Stop the agent; pods keep running unless teardown is asked for. */
  stop(opts?: { teardown?: boolean }): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  clock?: Clock;
  serveApi?: boolean;
}

export async function startKubelet(options: KubeletOptions, so: StartOptions): Promise<RunningKubelet> {
  const log = so.log;
  let volumes: VolumeController | undefined;
  const clock = so.clock ?? realClock;
  const { looseMode } = ensurePrivateDir(options.rootDir);
  if (looseMode !== undefined) log.warn(looseDirWarning(options.rootDir, looseMode));
  const agentId = loadAgentId(options.rootDir);

  const metrics = new PrometheusMetrics();
  // Runtime first: nothing can run without the engine and the pod network.
  const docker = createDockerClient(options.dockerHost, {
    extraLabels: options.extraContainerLabels,
    requestTimeoutMs: options.runtimeRequestTimeoutMs,
  });
  const driver = choosePodNetworkDriver(
    options.podNetworkDriver,
    options.podNetworkAttachments,
    options.cniBinDir,
    probeHost(options.cniBinDir),
  );
  const podNetwork = { driver: driver.driver, ...effectivePodNetwork(options, driver.driver) };
  log.info(
    { driver: driver.driver, network: podNetwork.name, cidr: podNetwork.cidr, why: driver.why },
    'pod network driver',
  );
  const engine = new DockerRuntime({
    docker,
    agentId,
    podNetwork: podNetwork.name,
    podNetworkAttachments: options.podNetworkAttachments,
    podCidr: podNetwork.cidr,
    podNetworkDriver: driver.driver,
    cniBinDir: options.cniBinDir,
    podInfraImage: options.podInfraImage,
    engineConcurrency: options.engineConcurrency,
    stateDir: options.rootDir,
    seccompProfileRoot: options.seccompProfileRoot ?? join(options.rootDir, 'seccomp'),
    log: log.child({ component: 'runtime' }),
    // Set once the storage manager exists (below); no pod runs before then.
    claimVolume: (ns, claim) => volumes?.dataVolumeOf(ns, claim),
  });
  const hostIP = await engine.init();
  // Every engine call from here on is timed (kubelet_runtime_operations_*).
  const runtime = instrumentRuntime(engine, metrics);
  // Whether the engine answers: fed by the PLEG relist and failing engine calls, read
  // by /healthz, the pod workers and (through RunningKubelet) the Node's Ready condition.
  const runtimeHealth = new RuntimeHealth(log.child({ component: 'runtime-health' }));

  // resourceVersions continue across restarts (a lease stored under the root dir).
  const rvs = new ResourceVersions(fileCeiling(join(options.rootDir, 'resource-version')));
  const events = new EventRecorder({ clock, nodeName: options.nodeName, nextResourceVersion: () => rvs.next() });
  const pods = new PodManager();
  const status = new StatusManager(pods, rvs);
  // Stored Secrets come first: image pulls read imagePullSecrets from them.
  const onLoadError = (file: string, err: unknown) =>
    log.warn({ file, err: errorMessage(err) }, 'cannot read stored object; set aside');
  const objects = new ObjectStore(options.rootDir, rvs, onLoadError);
  const namespaces = new NamespaceStore(options.rootDir, rvs, clock, onLoadError);
  // Claims and their PVs: the scheduler filter, the runtime's mounts and the API read them.
  volumes = new VolumeController({
    store: new ClaimStore(options.rootDir, rvs, onLoadError),
    clock,
    nodeName: options.nodeName,
    events,
    log: log.child({ component: 'volume-controller' }),
    podsUsing: (ns, claim) => placedPodsUsing(pods.getPods(ns), claim, (uid) => status.getStatus(uid)),
    podExists: (uid) => pods.getPodByUid(uid) !== undefined,
    removeData: (name) => docker.removeVolume(name),
    // NamespaceLifecycle admission, as for every namespaced create.
    admitCreate: (ns, name) => namespaces.admitCreate(ns, 'persistentvolumeclaims', name),
    onClaimsChanged: () => queueMicrotask(() => podConfig?.claimsChanged()),
  });
  const credentialsFile = options.imageCredentialsFile ?? defaultDockerConfigPath();
  const images = new ImageManager({
    runtime,
    events,
    clock,
    pullConcurrency: options.pullConcurrency,
    backOffBaseMs: options.imagePullBackOffBaseMs,
    backOffMaxMs: options.imagePullBackOffMaxMs,
    pullStallTimeoutMs: options.imagePullStallTimeoutMs,
    secrets: (ns, name) => {
      const o = objects.find('Secret', ns, name);
      return o?.kind === 'Secret' ? o : undefined;
    },
    nodeKeyring: new FileKeyring(credentialsFile || undefined, (msg) => log.warn(msg)),
    log: log.child({ component: 'images' }),
  });
  const crashBackoff = new Backoff(
    clock,
    options.crashLoopBackOffBaseMs,
    options.crashLoopBackOffMaxMs,
    options.crashLoopBackOffResetMs,
  );
  const hooks = { runtime };
  // Probe results wake the pod's worker; `workers` exists by the time any probe runs.
  const probes = new ProberManager({
    exec: (id, cmd, timeoutMs) => runtime.exec(id, cmd, timeoutMs),
    events,
    clock,
    log: log.child({ component: 'prober' }),
    wake: (uid) => workers.get(uid)?.wake(),
    execConcurrency: options.probeExecConcurrency,
    metrics,
  });
  // Service-account tokens: the signing key beside the API's CA, the kubelet's token manager.
  const saUid = (ns: string, name: string) => objects.find('ServiceAccount', ns, name)?.metadata.uid;
  const issuer =
    so.serveApi !== false ? new TokenIssuer(loadOrCreateSigningKey(credentialsDir(options.rootDir))) : undefined;
  const tokenManager = issuer ? new TokenManager(issuer, clock, saUid) : undefined;
  /** Where pods reach the API: the pod network's gateway, on the API's port (set once it listens). */
  let apiService: ApiServiceAddress | undefined;
  const lookupObject = (kind: DataKind, ns: string, name: string) =>
    objects.find(kind, ns, name) as DataObject | undefined;
  const deps: SyncDeps = {
    runtime,
    images,
    events,
    status,
    crashBackoff,
    clock,
    log,
    hooks,
    hostIP: () => hostIP,
    dns: { resolvConf: options.resolvConf, clusterDomain: options.clusterDomain, nodeEvents: events },
    probes,
    objects: lookupObject,
    ...(tokenManager
      ? {
          serviceAccountToken: (pod: ValidPod, req: { audience?: string; expirationSeconds: number }) =>
            tokenManager.getToken({
              namespace: pod.metadata.namespace,
              serviceAccountName: pod.spec.serviceAccountName || 'default',
              pod: { name: pod.metadata.name, uid: pod.metadata.uid },
              ...req,
            }),
        }
      : {}),
    apiService: () => apiService,
    podTerminated: (uid) => {
      podConfig.podTerminated(uid);
      volumes?.podsChanged();
    },
    runtimeHealth,
    gcPolicy: { maxPerPodContainer: options.maxDeadContainersPerContainer, minAgeMs: options.minimumContainerTtlMs },
    metrics,
  };
  const workers = new PodWorkers(deps, options.resyncIntervalMs, options.plegRelistPeriodMs);
  workers.start();

  const gc = new ContainerGC({
    runtime,
    clock,
    log: log.child({ component: 'gc' }),
    owner: { hasWorker: (uid) => workers.has(uid), isDesired: (uid) => pods.getPodByUid(uid) !== undefined },
    periodMs: options.containerGcPeriodMs,
  });
  let server: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let kubeconfigPath: string | undefined;
  let podConfig: PodConfig;
  let node: KubeletApi;
  let nodes: NodeManager | undefined;
  let taintEviction: TaintEvictionController | undefined;
  let namespaceController: NamespaceController | undefined;
  let saController: ServiceAccountController | undefined;
  let fileSource: StaticFileSource | undefined;
  let imageGc: ImageGC | undefined;
  try {
    podConfig = new PodConfig({
      pods,
      apiPods: new JsonDir<ValidPod>(join(options.rootDir, 'pods'), { crashPoints: true }),
      staticRecords: new JsonDir<StaticPodRecord>(join(options.rootDir, 'static-pods')),
      nodeName: options.nodeName,
      clock,
      log,
      handler: (update) => workers.handle(update),
      maxPods: options.maxPods,
      allowedUnsafeSysctls: options.allowedUnsafeSysctls,
      status,
      events,
      node: () => nodes?.get(options.nodeName),
      namespaceLabels: (ns) => namespaces.find(ns)?.metadata.labels,
      claims: claimsFor(volumes),
    });
    // The scheduler's inputs changed (a pod finished, the node, a namespace's labels): pods it could not place are tried again.
    status.subscribe((type, pod) => {
      if (type === 'MODIFIED' && isPodPhaseTerminal(pod.status?.phase)) podConfig.retryUnschedulable();
    });
    // A Secret or ConfigMap a pod may read changed: its pods sync again (env, pull secrets).
    objects.subscribe((_type, obj) => podConfig.reconcileNamespace(obj.metadata.namespace!));
    namespaces.subscribe(() => podConfig.retryUnschedulable());
    namespaceController = new NamespaceController({
      namespaces,
      pods,
      podConfig,
      objects,
      claims: volumes,
      log: log.child({ component: 'namespace-controller' }),
    });
    nodes = new NodeManager({
      nodeName: options.nodeName,
      rootDir: options.rootDir,
      runtime,
      clock,
      rvs,
      hostIP,
      podCidr: podNetwork.cidr,
      maxPods: options.maxPods,
      systemReserved: parseSystemReserved(options.systemReserved),
      kubeletVersion: VERSION_INFO.gitVersion,
      updateFrequencyMs: options.nodeStatusUpdateFrequencyMs,
      log: log.child({ component: 'node-status' }),
      runtimeHealth,
    });
    await nodes.start();
    const nodeManager = nodes;
    // The taint eviction controller: NoExecute taints delete the pods that do not tolerate them.
    taintEviction = new TaintEvictionController({
      clock,
      node: () => nodeManager.get(options.nodeName),
      pods: () => pods.getPods(),
      status,
      deletePod: (ns, name) => podConfig.deleteApiPod(ns, name),
      events,
      log: log.child({ component: 'taint-eviction' }),
    });
    const evictions = taintEviction;
    nodes.subscribe(() => {
      podConfig.retryUnschedulable();
      evictions.reconcile();
    });
    pods.subscribe((change) => {
      if (change !== 'DELETED') evictions.reconcile();
    });
    node = new KubeletApi({
      nodeName: options.nodeName,
      clock,
      rvs,
      status,
      podConfig,
      events,
      objects,
      runtime,
      nodes,
      namespaces,
      runtimeHealth,
      storage: volumes,
    });

    // Sources: pods submitted earlier over the API, then static manifests.
    podConfig.loadApiPods(onLoadError);
    // The manifests directory is read now, then watched (and re-read every --file-check-frequency).
    if (options.manifestsDir) {
      fileSource = new StaticFileSource({
        dir: options.manifestsDir,
        nodeName: options.nodeName,
        clock,
        log: log.child({ component: 'file-source' }),
        periodMs: options.fileCheckFrequencyMs,
        objects,
        podConfig,
        events,
        claims: volumes,
      });
      fileSource.start();
    }
    // Every source has been read: containers of pods nobody knows any more are removed.
    await workers.removeOrphans();
    // Deleted claims and released volumes a previous run left are finished now that pods are known.
    volumes.resume();
    // Namespaces a previous run left Terminating are emptied now that their pods are known.
    namespaceController.resume();
    gc.start();
    if (options.imageGcHighThresholdPercent !== undefined) {
      const dataRoot = (await runtime.info()).dockerRootDir;
      imageGc = new ImageGC({
        runtime,
        clock,
        log: log.child({ component: 'image-gc' }),
        policy: {
          highThresholdPercent: options.imageGcHighThresholdPercent,
          lowThresholdPercent: options.imageGcLowThresholdPercent,
          minAgeMs: options.imageMinimumGcAgeMs,
        },
        // The engine's imagefs; when the agent cannot see it (another mount namespace) nothing is freed.
        diskUsage: () => fsStats(dataRoot),
      });
      imageGc.start();
    }

    // Resource usage (kubectl top, /stats/summary): sampled on demand, at most once per period.
    const statsLog = log.child({ component: 'stats' });
    const onStatsError = (id: string, err: unknown) =>
      statsLog.debug({ id, err: errorMessage(err) }, 'no usage sample');
    const nodeSource = new NodeUsageSource();
    const bootTimeMs = nodeSource.bootTimeMs();
    const liveNodes = nodes; // narrowed: the closure below cannot see the assignment above
    const stats = new StatsProvider({
      nodeName: options.nodeName,
      clock,
      pods: () => status.listPods(),
      node: () => liveNodes.list()[0],
      containers: new UsageCache(
        new DockerStatsSource(docker, { metrics, concurrency: options.engineConcurrency }),
        clock,
        options.statsCachePeriodMs,
        onStatsError,
      ),
      nodeUsage: new UsageCache(nodeSource, clock, options.statsCachePeriodMs, onStatsError),
      ...(bootTimeMs !== undefined ? { bootTimeMs } : {}),
    });

    let caPem: string | undefined;
    if (so.serveApi !== false) {
      // A ServiceAccount token is a bearer token too: valid while its pod and ServiceAccount are.
      const bindings = {
        serviceAccountUid: saUid,
        podUid: (ns: string, name: string) => status.findPod(ns, name)?.metadata.uid,
      };
      const authenticateSa = (t: string): Principal | undefined => {
        const u = issuer?.authenticate(t, clock.now(), bindings);
        return u && { username: u.username, groups: u.groups, serviceAccountNamespace: u.namespace };
      };
      const served = await serveApi(
        options,
        node,
        { hostIP, authenticateSa },
        () => images.pulls(),
        metrics,
        stats,
        log.child({ component: 'api' }),
      );
      server = served;
      kubeconfigPath = served.kubeconfigPath;
      caPem = served.caPem;
      nodes.setPort(served.port);
      if (served.podReachable) apiService = { host: hostIP, port: served.port };
    }
    saController = new ServiceAccountController({
      namespaces,
      objects,
      clock,
      log: log.child({ component: 'serviceaccount-controller' }),
      ...(caPem !== undefined ? { caPem } : {}),
    });
    saController.start();
    // A deleted pod's tokens are dropped with it (token_manager.go DeleteServiceAccountToken).
    pods.subscribe((change, pod) => {
      if (change === 'DELETED') tokenManager?.deletePodTokens(pod.metadata.uid);
    });
  } catch (err) {
    // A failed start must not leave the workers' timers running: the process would
    // stay up without serving (a `serve` that hangs instead of exiting with the error).
    fileSource?.stop();
    await server?.close();
    nodes?.stop();
    taintEviction?.stop();
    namespaceController?.stop();
    saController?.stop();
    await gc.stop();
    await imageGc?.stop();
    await workers.stop();
    probes.stop();
    throw err;
  }

  return {
    podNetwork,
    node,
    images,
    probes,
    runtimeHealth,
    ...(server ? { url: server.url } : {}),
    ...(kubeconfigPath ? { kubeconfigPath } : {}),
    gc,
    ...(imageGc ? { imageGc } : {}),
    metrics,
    openStreams: () => server?.openStreams() ?? 0,
    async stop(opts) {
      const slog = log.child({ component: 'shutdown' });
      fileSource?.stop();
      await server?.close();
      slog.info('API server stopped');
      await gc.stop();
      await imageGc?.stop();
      nodes?.stop();
      taintEviction?.stop();
      namespaceController?.stop();
      saController?.stop();
      if (opts?.teardown) {
        slog.info({ pods: pods.uids().length }, 'deleting every pod gracefully');
        await podConfig.deleteAllPods();
        slog.info('every pod deleted');
      }
      // Workers, their timers and the engine event stream; containers keep running.
      // Syncs in flight are cancelled at their next step, but one blocked in an engine
      // call (stopping a container waits out its grace period) is not waited for beyond
      // SHUTDOWN_WAIT_MS: the kubelet exits without waiting for its syncs, the engine
      // finishes the call on its own, and a restarted agent adopts the result.
      probes.stop();
      const stopped = await settlesWithin(
        clock,
        SHUTDOWN_WAIT_MS,
        workers.stop().then(() => engine.drain()),
      );
      if (stopped) slog.info('pod workers, probes and the engine event stream stopped');
      else
        slog.warn(
          { waitedMs: SHUTDOWN_WAIT_MS },
          'pod workers and probes stopped; engine calls still in flight are left to the engine (a restarted agent adopts what they did)',
        );
    },
  };
}

/**
 * The API with its credentials (created at first start, reused after), and the
 * kubeconfig that carries them to kubectl and the CLI.
 */
async function serveApi(
  options: KubeletOptions,
  node: KubeletApi,
  pods: { hostIP: string; authenticateSa: (token: string) => Principal | undefined },
  pulls: () => unknown[],
  metrics: PrometheusMetrics,
  stats: StatsProvider,
  log: Logger,
) {
  const dir = credentialsDir(options.rootDir);
  const listenHost = parseListen(options.listen).host;
  const reach = podReachability(listenHost, pods.hostIP, options.insecureHttp === true);
  const sans = [
    ...(options.tlsSans ?? []),
    ...(reach.reachable ? kubernetesServiceNames(pods.hostIP, options.clusterDomain) : []),
  ];
  // The SANs are part of what is kept: a serving certificate that no longer covers them is re-issued (the CA stays).
  const creds = await loadOrCreateCredentials(dir, servingSans(listenHost, sans));
  const tokens = new TokenFile(dir);
  const server = await startApiServer({
    node,
    listen: options.listen,
    log,
    pulls,
    metrics: (which) => metrics.scrape(which),
    stats,
    checkToken: (t) => tokens.matches(t) || pods.authenticateSa(t),
    ...(reach.extraHost ? { extraHosts: [reach.extraHost] } : {}),
    ...(options.insecureHttp ? {} : { tls: { certPem: creds.certPem, keyPem: creds.keyPem } }),
    limits: {
      maxConnections: options.maxConnections,
      maxWatches: options.maxWatches,
      maxFollowedLogs: options.maxFollowedLogs,
    },
  });
  const kubeconfigPath = join(options.rootDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, {
    server: server.url,
    name: 'minikubelet',
    token: creds.token,
    ...(options.insecureHttp ? {} : { caPem: creds.caPem }),
  });
  const podReachable = reach.reachable && (!reach.extraHost || server.extraHosts.includes(reach.extraHost));
  return { ...server, kubeconfigPath, caPem: creds.caPem, podReachable };
}

/** A stable identity per root dir: it labels every container this agent owns. */
function loadAgentId(rootDir: string): string {
  const file = join(rootDir, 'agent-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = randomUUID().slice(0, 8);
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}
