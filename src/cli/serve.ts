// `minikubelet serve`: the node agent in the foreground until SIGINT/SIGTERM.
// Stopping the agent leaves pods running, as stopping a kubelet does; a restarted
// agent adopts them from the engine. --drain-on-exit deletes them gracefully first.
import { AGENT_FLAGS, parse, type Parsed } from './args.js';
import { agentOptions, GC_FLAGS } from './agent-options.js';
import { createLogger } from '../util/logger.js';
import { ensureSetup } from '../setup/index.js';
import { checkRootDirPropagation, checkRootDirVisibleToEngine } from '../setup/root-dir-visibility.js';
import { CNI_NETWORK_DEFAULTS as C, OPTION_DEFAULTS as D } from '../options.js';
import { goDuration as dur } from '../util/go-duration.js';
import { checkListenPolicy, parseListen } from '../server/api-server.js';
import { waitForStopSignal } from './shutdown.js';

const SERVE_FLAGS = {
  listen: { type: 'string' },
  manifests: { type: 'string' },
  'file-check-frequency': { type: 'string' },
  'tls-san': { type: 'string', multiple: true },
  'insecure-http': { type: 'boolean' },
  'pod-network-attachments': { type: 'boolean' },
  'max-connections': { type: 'string' },
  'max-watches': { type: 'string' },
  'max-followed-logs': { type: 'string' },
  'drain-on-exit': { type: 'boolean' },
  ...GC_FLAGS,
} as const;

export const SERVE_HELP = `Run the node agent: static pods from --manifests and pods submitted over its API.

Usage: minikubelet serve [flags]

Flags:
  --manifests DIR            static pod manifests: watched, a file added, changed or removed
                             starts, replaces or stops its pod (dotfiles, editor temp files skipped)
  --file-check-frequency DURATION
                             full re-read of --manifests besides the watch (default ${dur(D.fileCheckFrequencyMs)})
  --root-dir DIR             agent state: kubeconfig, submitted pods, objects (default ~/.minikubelet)
  --listen HOST:PORT         API address (default ${D.listen}; port 0 = any free port). HTTPS with a
                             bearer token; the CA and token are in ROOT/pki and in ROOT/kubeconfig
  --tls-san NAME             extra DNS name or IP for the serving certificate (repeatable)
  --insecure-http            serve plain HTTP (loopback --listen only; the token is still required;
                             Host/Origin/Content-Type checked against browser attacks)
  --max-connections N, --max-watches N, --max-followed-logs N
                             API caps, beyond which requests get 429 (default ${D.maxConnections}, ${D.maxWatches}, ${D.maxFollowedLogs})
  --node-name NAME           node name (default: the host name)
  --pod-infra-image IMAGE    sandbox (pause) image (default ${D.podInfraImage}, built locally)
  --pod-network-driver cni|docker
                             cni: sandboxes get NetworkMode none and the CNI plugins (bridge, host-local,
                             portmap) set up their network, as cri-dockerd; docker: they join a Docker
                             network (default: cni when root/CAP_NET_ADMIN and the plugins exist)
  --cni-bin-dir DIR          the CNI plugins (default ${D.cniBinDir})
  --pod-network NAME         the pod network: CNI network and bridge (default ${C.podNetwork}), or the
                             Docker network (default ${D.podNetwork})
  --pod-cidr CIDR            its subnet (default ${C.podCidr} with cni, ${D.podCidr} with docker)
  --pod-network-attachments  honour the Multus annotation k8s.v1.cni.cncf.io/networks: the sandbox
                             also joins the Docker networks it names (off: any API client could
                             put a pod on any network of the engine)
  --resolv-conf FILE         the node's resolver file pods' /etc/resolv.conf starts from (default ${D.resolvConf}; "" = none)
  --cluster-domain DOMAIN    the cluster's DNS domain, in a pod's FQDN (default ${D.clusterDomain})
  --docker-host URL          engine address (default: DOCKER_HOST or /var/run/docker.sock)
  --crash-loop-backoff-base DURATION, --crash-loop-backoff-max DURATION, --crash-loop-backoff-reset DURATION
                             crash-loop back-off (default ${dur(D.crashLoopBackOffBaseMs)}, ${dur(D.crashLoopBackOffMaxMs)}, ${dur(D.crashLoopBackOffResetMs)}, as the kubelet)
  --image-pull-backoff-base DURATION, --image-pull-backoff-max DURATION
                             image pull back-off (default ${dur(D.imagePullBackOffBaseMs)}, ${dur(D.imagePullBackOffMaxMs)})
  --image-pull-stall-timeout DURATION
                             cancel a pull with no progress for this long (default ${dur(D.imagePullStallTimeoutMs)}; 0 = never)
  --image-credentials FILE   node registry credentials: a Docker config.json whose "auths" are
                             tried after the pod's imagePullSecrets (default $DOCKER_CONFIG/config.json
                             or ~/.docker/config.json; "" = none)
  --max-pods N               active pods the node admits; more wait unscheduled (Too many pods), or are
                             rejected (OutOfpods) when static or created with spec.nodeName (default ${D.maxPods})
  --allowed-unsafe-sysctls LIST
                             namespaced sysctls (or prefix* patterns) pods may set beyond the safe set;
                             others are rejected (SysctlForbidden) (default none)
  --seccomp-profile-root DIR where Localhost seccomp profiles are read (default <root-dir>/seccomp)
  --system-reserved LIST     resources kept from the Node's allocatable, e.g. cpu=100m,memory=100Mi (default none)
  --node-status-update-frequency DURATION
                             how often the Node's status is recomputed (default ${dur(D.nodeStatusUpdateFrequencyMs)})
  --maximum-dead-containers-per-container N
                             dead instances kept per container, the newest (lastState, logs --previous)
                             first (default ${D.maxDeadContainersPerContainer}; -1 = no limit)
  --runtime-request-timeout DURATION
                             deadline of each engine call; a hung engine fails the sync (default ${dur(D.runtimeRequestTimeoutMs)})
  --minimum-container-ttl-duration DURATION
                             dead containers younger than this are kept (default ${dur(D.minimumContainerTtlMs)})
  --image-gc-high-threshold PERCENT, --image-gc-low-threshold PERCENT
                             remove unused images when the engine's disk is fuller than HIGH %, until
                             LOW % (default: off — the engine's images are yours; low ${D.imageGcLowThresholdPercent});
                             (checked every 5 min; never an image a container uses)
  --image-minimum-gc-age DURATION
                             never remove an image first seen less than this ago (default ${dur(D.imageMinimumGcAgeMs)})
  --drain-on-exit            on SIGTERM/SIGINT delete every pod gracefully before exiting
                             (default: pods keep running and a restarted agent adopts them)
  --log-level LEVEL          pino level (default info)

Signals: SIGTERM or SIGINT stops the agent (API, workers, timers) and exits 0; a second
one during the stop or the drain exits at once (130 for SIGINT, 143 for SIGTERM).
`;

export async function serve(argv: string[]): Promise<number> {
  const p: Parsed = parse(argv, { ...AGENT_FLAGS, ...SERVE_FLAGS });
  if (p.values.help) {
    process.stdout.write(SERVE_HELP);
    return 0;
  }
  const options = agentOptions(p);
  // Before anything starts: an exposed API without TLS is refused, not half-started.
  checkListenPolicy(parseListen(options.listen).host, !options.insecureHttp, true);
  const log = createLogger({ level: (p.values['log-level'] as string | undefined) ?? 'info' });
  // The agent's modules load while setup waits on the engine (#17); a load error surfaces at the await below.
  const agent = import('../kubelet.js');
  agent.catch(() => undefined);
  // Both set by the agent's own image (the top-level Dockerfile).
  const inContainer = process.env.MINIKUBELET_IN_CONTAINER === '1';
  const pauseBinary = process.env.MINIKUBELET_PAUSE_BINARY;
  const { docker } = await ensureSetup({
    ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
    podInfraImage: options.podInfraImage,
    cniBinDir: options.cniBinDir,
    rootDir: options.rootDir,
    ...(pauseBinary ? { pauseBinary } : {}),
    log,
  });
  if (inContainer) {
    await checkRootDirVisibleToEngine(docker, options.rootDir);
    checkRootDirPropagation(options.rootDir);
  }
  const drain = p.values['drain-on-exit'] === true;
  const kubelet = await (await agent).startKubelet(options, { log });
  log.info({ api: kubelet.url, kubeconfig: kubelet.kubeconfigPath, node: options.nodeName }, 'minikubelet is serving');
  process.stderr.write(`
minikubelet is running on node "${options.nodeName}", API ${kubelet.url}
  minikubelet get pods                      # pods, as kubectl shows them
  minikubelet describe pod <name>           # details and events
  minikubelet logs <pod> [-c <container>]   # container logs
  docker ps --filter label=io.kubernetes.pod.name   # the pause and app containers underneath
  kubectl --kubeconfig ${kubelet.kubeconfigPath} get pods
Stop with Ctrl-C (${drain ? 'pods are deleted gracefully first: --drain-on-exit' : 'pods keep running; a restarted agent adopts them'}).
`);
  const signal = await waitForStopSignal(log);
  if (drain) {
    log.info({ signal }, 'stopping the agent: deleting every pod gracefully first (a second signal exits at once)');
  } else {
    log.info({ signal }, 'stopping the agent; pods keep running (a second signal exits at once)');
  }
  await kubelet.stop({ teardown: drain });
  log.info('agent stopped');
  // An engine call stop() left in flight (a container's grace period) would hold the
  // process until the engine answers; the agent is done, so exit without it.
  setTimeout(() => process.exit(), 200).unref();
  return 0;
}
