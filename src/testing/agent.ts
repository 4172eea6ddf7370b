// The agent PodContainer talks to. By default one embedded agent per test process:
// started at the first start(), shared by every PodContainer, its root dir in a temp dir,
// stopped (and its root dir removed) shortly after the last pod stopped — a running
// agent holds the event loop, so it must not outlive the tests. Or a running agent, by
// kubeconfig (withKubeconfig, or MINIKUBELET_KUBECONFIG_FOR_TESTS).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../client/api-client.js';
import { resolveKubeconfig } from '../client/kubeconfig.js';
import { startKubelet, type RunningKubelet } from '../kubelet.js';
import { defaultOptions, type KubeletOptions } from '../options.js';
import { createDockerClient, type DockerClient } from '../runtime/docker-client.js';
import { unmountAndRemove } from '../runtime/mounts.js';
import { unmountAllSubPaths } from '../runtime/subpath-mount.js';
import { createLogger, silentLogger } from '../util/logger.js';
import { OWNER_LABEL, ownerIsGone, ownerValue, sessionLabels } from './session.js';

export const KUBECONFIG_ENV = 'MINIKUBELET_KUBECONFIG_FOR_TESTS';
const ROOT_PREFIX = 'minikubelet-podcontainer-';
/** How long an unused embedded agent waits for the next PodContainer before it stops. */
const IDLE_STOP_MS = 500;

export interface AgentLease {
  client: ApiClient;
  /** The engine the pods run on (the embedded agent's; for a kubeconfig agent, the local one). */
  docker: DockerClient;
  embedded: boolean;
  release(): Promise<void>;
}

interface Embedded {
  kubelet: RunningKubelet;
  client: ApiClient;
  docker: DockerClient;
  rootDir: string;
}

let overrides: Partial<KubeletOptions> = {};
let embedded: Promise<Embedded> | undefined;
let users = 0;
let idleTimer: NodeJS.Timeout | undefined;

/** Options of the embedded agent (e.g. shorter back-offs); takes effect at its next start. */
export function configureEmbeddedAgent(o: Partial<KubeletOptions>): void {
  overrides = { ...o };
}

export async function acquireAgent(kubeconfig?: string): Promise<AgentLease> {
  const path = kubeconfig ?? process.env[KUBECONFIG_ENV];
  if (path) {
    const client = ApiClient.fromKubeconfig(resolveKubeconfig({ kubeconfig: path }), { userAgent: 'podcontainer' });
    return { client, docker: createDockerClient(), embedded: false, release: () => client.close() };
  }
  clearTimeout(idleTimer);
  idleTimer = undefined;
  users++;
  embedded ??= startEmbedded();
  let e: Embedded;
  try {
    e = await embedded;
  } catch (err) {
    users--;
    embedded = undefined;
    throw err;
  }
  let released = false;
  return {
    client: e.client,
    docker: e.docker,
    embedded: true,
    release: async () => {
      if (released) return;
      released = true;
      if (--users > 0) return;
      idleTimer = setTimeout(() => void stopEmbeddedAgent(), IDLE_STOP_MS);
    },
  };
}

/** Stops the embedded agent now (pods still running are removed with it). */
export async function stopEmbeddedAgent(): Promise<void> {
  clearTimeout(idleTimer);
  idleTimer = undefined;
  const p = embedded;
  embedded = undefined;
  users = 0;
  const e = await p?.catch(() => undefined);
  if (!e) return;
  await e.kubelet.stop({ teardown: true }).catch(() => undefined);
  await e.client.close();
  await removeOwned(e.docker, (owner) => owner === ownerValue());
  await removeRootDir(e.rootDir);
}

async function startEmbedded(): Promise<Embedded> {
  const docker = createDockerClient();
  // What killed runs of this host left behind: their containers, volumes and root dirs.
  await removeOwned(docker, ownerIsGone);
  await removeDeadRootDirs();
  const labels = { ...(await sessionLabels()), [OWNER_LABEL]: ownerValue() };
  const rootDir = mkdtempSync(join(tmpdir(), `${ROOT_PREFIX}${process.pid}-`));
  const options = defaultOptions({
    rootDir,
    listen: '127.0.0.1:0',
    nodeName: 'podcontainer',
    podNetworkAttachments: true,
    ...overrides,
    extraContainerLabels: { ...overrides.extraContainerLabels, ...labels },
  });
  const level = process.env.MINIKUBELET_PODCONTAINER_LOG;
  const log = level ? createLogger({ level, pretty: false }) : silentLogger();
  try {
    const kubelet = await startKubelet(options, { log });
    const client = ApiClient.fromKubeconfig(resolveKubeconfig({ kubeconfig: kubelet.kubeconfigPath! }), {
      userAgent: 'podcontainer',
    });
    return { kubelet, client, docker, rootDir };
  } catch (err) {
    await removeRootDir(rootDir);
    throw err;
  }
}

/** Removes the containers and volumes whose owner label `gone` says are abandoned. */
async function removeOwned(docker: DockerClient, gone: (owner: string) => boolean): Promise<void> {
  const filters = { label: [OWNER_LABEL] };
  const containers = await docker.listContainers(filters);
  await Promise.all(
    containers
      .filter((c) => gone(c.Labels[OWNER_LABEL] ?? ''))
      .map((c) => docker.removeContainer(c.Id, { force: true, v: true }).catch(() => undefined)),
  );
  const volumes = await docker.listVolumes(filters);
  await Promise.all(
    volumes
      .filter((v) => gone(v.Labels?.[OWNER_LABEL] ?? ''))
      .map((v) => docker.removeVolume(v.Name).catch(() => undefined)),
  );
}

async function removeDeadRootDirs(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    const m = /^minikubelet-podcontainer-(\d+)-/.exec(name);
    if (m && ownerIsGone(ownerValue(Number(m[1])))) await removeRootDir(join(tmpdir(), name));
  }
}

async function removeRootDir(rootDir: string): Promise<void> {
  // subPath staging mounts and Secret/projected tmpfs mounts live under the root dir: unmount
  // before deleting, or the delete would reach into the volumes they expose.
  // unmountAndRemove deletes nothing while a mount is left under the dir: a subPath bind
  // can expose a hostPath, and a recursive delete through it would delete the host's files.
  await unmountAllSubPaths(rootDir).catch(() => undefined);
  await unmountAndRemove(rootDir).catch(() => undefined);
}
