// Composition root: the only place that constructs and wires the modules.
// Start-up order follows the kubelet: runtime → pod and status managers → workers →
// sources (pod config) → server. No policy lives here: each module owns its own.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensurePrivateDir, looseDirWarning } from './util/private-dir.js';
import { join } from 'node:path';
import type { KubeletOptions } from './options.js';
import type { StoredKind, ValidPod } from './apis/core/types.js';
import { realClock, type Clock } from './util/clock.js';
import { Backoff } from './util/backoff.js';
import { errorMessage } from './util/errors.js';
import type { Logger } from './util/logger.js';
import { createDockerClient } from './runtime/docker-client.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import { EventRecorder } from './events/recorder.js';
import { ImageManager } from './images/image-manager.js';
import { FileKeyring, defaultDockerConfigPath } from './images/node-keyring.js';
import { StatusManager } from './status/status-manager.js';
import { PodManager } from './pod/pod-manager.js';
import { fileCeiling, ResourceVersions } from './util/resource-versions.js';
import { PodWorkers } from './sync/pod-workers.js';
import { ProberManager } from './prober/prober-manager.js';
import type { SyncDeps } from './sync/sync-deps.js';
import { ObjectStore } from './sources/object-store.js';
import { JsonDir } from './sources/json-dir.js';
import { loadManifestsDir } from './sources/file-source.js';
import { PodConfig, type StaticPodRecord } from './sources/pod-config.js';
import { KubeletApi } from './kubelet-api.js';
import { parseListen, startApiServer } from './server/api-server.js';
import { credentialsDir, loadOrCreateCredentials, TokenFile } from './server/credentials.js';
import { servingSans } from './server/sans.js';
import { writeKubeconfig } from './client/kubeconfig.js';

export interface RunningKubelet {
  /** The agent as its API sees it (also used in-process by `run -f`). */
  node: KubeletApi;
  /** Image pulls: progress for displays, pull counts for tests. */
  images: ImageManager;
  /** Probe workers (counts for diagnostics and leak tests). */
  probes: ProberManager;
  /** The API's base URL (https://host:port), when serving. */
  url?: string;
  /** The kubeconfig the agent wrote: its URL, CA and token. */
  kubeconfigPath?: string;
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
  const clock = so.clock ?? realClock;
  const { looseMode } = ensurePrivateDir(options.rootDir);
  if (looseMode !== undefined) log.warn(looseDirWarning(options.rootDir, looseMode));
  const agentId = loadAgentId(options.rootDir);

  // Runtime first: nothing can run without the engine and the pod network.
  const docker = createDockerClient(options.dockerHost);
  const runtime = new DockerRuntime({
    docker,
    agentId,
    podNetwork: options.podNetwork,
    podCidr: options.podCidr,
    podInfraImage: options.podInfraImage,
    engineConcurrency: options.engineConcurrency,
    stateDir: options.rootDir,
    log: log.child({ component: 'runtime' }),
  });
  const hostIP = await runtime.init();

  // resourceVersions continue across restarts (a lease stored under the root dir).
  const rvs = new ResourceVersions(fileCeiling(join(options.rootDir, 'resource-version')));
  const events = new EventRecorder({ clock, nodeName: options.nodeName, nextResourceVersion: () => rvs.next() });
  const pods = new PodManager();
  const status = new StatusManager(pods, rvs);
  // Stored Secrets come first: image pulls read imagePullSecrets from them.
  const onLoadError = (file: string, err: unknown) =>
    log.warn({ file, err: errorMessage(err) }, 'cannot read stored object; set aside');
  const objects = new ObjectStore(options.rootDir, rvs, onLoadError);
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
  });
  const lookupObject = (kind: StoredKind, ns: string, name: string) => objects.find(kind, ns, name);
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
    probes,
    objects: lookupObject,
    podTerminated: (uid) => podConfig.podTerminated(uid),
  };
  const workers = new PodWorkers(deps, options.resyncIntervalMs, options.plegRelistPeriodMs);
  workers.start();

  let server: Awaited<ReturnType<typeof startApiServer>> | undefined;
  let kubeconfigPath: string | undefined;
  let podConfig: PodConfig;
  let node: KubeletApi;
  try {
    podConfig = new PodConfig({
      pods,
      apiPods: new JsonDir<ValidPod>(join(options.rootDir, 'pods')),
      staticRecords: new JsonDir<StaticPodRecord>(join(options.rootDir, 'static-pods')),
      nodeName: options.nodeName,
      clock,
      log,
      handler: (update) => workers.handle(update),
      maxPods: options.maxPods,
      status,
      events,
    });
    // A Secret or ConfigMap a pod may read changed: its pods sync again (env, pull secrets).
    objects.subscribe((_type, obj) => podConfig.reconcileNamespace(obj.metadata.namespace!));
    node = new KubeletApi({ nodeName: options.nodeName, clock, rvs, status, podConfig, events, objects, runtime });

    // Sources: pods submitted earlier over the API, then static manifests.
    podConfig.loadApiPods(onLoadError);
    if (options.manifestsDir) loadManifestsDir(options.manifestsDir, options.nodeName, { objects, podConfig });
    // Every source has been read: containers of pods nobody knows any more are removed.
    await workers.removeOrphans();

    if (so.serveApi !== false) {
      const served = await serveApi(options, node, () => images.pulls(), log.child({ component: 'api' }));
      server = served;
      kubeconfigPath = served.kubeconfigPath;
    }
  } catch (err) {
    // A failed start must not leave the workers' timers running: the process would
    // stay up without serving (a `serve` that hangs instead of exiting with the error).
    await server?.close();
    await workers.stop();
    probes.stop();
    throw err;
  }

  return {
    node,
    images,
    probes,
    ...(server ? { url: server.url } : {}),
    ...(kubeconfigPath ? { kubeconfigPath } : {}),
    async stop(opts) {
      await server?.close();
      if (opts?.teardown) await podConfig.deleteAllPods();
      await workers.stop();
      probes.stop();
    },
  };
}

/**
 * The API with its credentials (created at first start, reused after), and the
 * kubeconfig that carries them to kubectl and the CLI.
 */
async function serveApi(options: KubeletOptions, node: KubeletApi, pulls: () => unknown[], log: Logger) {
  const dir = credentialsDir(options.rootDir);
  const creds = await loadOrCreateCredentials(dir, servingSans(parseListen(options.listen).host, options.tlsSans));
  const tokens = new TokenFile(dir);
  const server = await startApiServer({
    node,
    listen: options.listen,
    log,
    pulls,
    checkToken: (t) => tokens.matches(t),
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
  return { ...server, kubeconfigPath };
}

/** A stable identity per root dir: it labels every container this agent owns. */
function loadAgentId(rootDir: string): string {
  const file = join(rootDir, 'agent-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = randomUUID().slice(0, 8);
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}
