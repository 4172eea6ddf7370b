// Starts a real in-process agent for an integration test: its own root dir (so its
// own agent identity and containers), an API on a free loopback port, and short
// back-offs through options. cleanup() removes everything it created, by label.
import { unmountAll } from '../../src/runtime/mounts.js';
import { unmountAllSubPaths } from '../../src/runtime/subpath-mount.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { startKubelet, type RunningKubelet } from '../../src/kubelet.js';
import { defaultOptions, type KubeletOptions, OPTION_DEFAULTS } from '../../src/options.js';
import { tearDownCached } from '../../src/runtime/cni/cni-network.js';
import { LABEL } from '../../src/runtime/labels.js';
import { ApiClient } from '../../src/client/api-client.js';
import { resolveKubeconfig } from '../../src/client/kubeconfig.js';
import { silentLogger, createLogger, type Logger } from '../../src/util/logger.js';

export interface TestAgent {
  kubelet: RunningKubelet;
  client: ApiClient;
  options: KubeletOptions;
  agentId: string;
  docker: Dockerode;
  /** Docker containers of this agent (all states). */
  containers(extraLabel?: string): Promise<Dockerode.ContainerInfo[]>;
  cleanup(): Promise<void>;
}

export const docker = new Dockerode();

export async function startTestAgent(
  overrides: Partial<KubeletOptions> = {},
  opts: { log?: Logger } = {},
): Promise<TestAgent> {
  const rootDir = mkdtempSync(join(tmpdir(), 'mkl-test-'));
  const options = defaultOptions({
    rootDir,
    listen: '127.0.0.1:0',
    nodeName: 'test-node',
    crashLoopBackOffBaseMs: 1000,
    crashLoopBackOffMaxMs: 4000,
    resyncIntervalMs: 2000,
    imagePullBackOffBaseMs: 1000,
    imagePullBackOffMaxMs: 4000,
    ...overrides,
  });
  const log =
    opts.log ??
    (process.env.MINIKUBELET_TEST_LOG
      ? createLogger({ level: process.env.MINIKUBELET_TEST_LOG, pretty: false })
      : silentLogger());
  const kubelet = await startKubelet(options, { log });
  // A test may name its own root dir (one the agent must create); read the one in use.
  const agentId = readFileSync(join(options.rootDir, 'agent-id'), 'utf8').trim();
  // The credentials the agent created, through the kubeconfig it wrote (as kubectl gets them).
  const client = ApiClient.fromKubeconfig(resolveKubeconfig({ kubeconfig: kubelet.kubeconfigPath! }));
  const containers = (extraLabel?: string) =>
    docker.listContainers({
      all: true,
      filters: { label: [`io.minikubelet.agent=${agentId}`, ...(extraLabel ? [extraLabel] : [])] },
    });
  return {
    kubelet,
    client,
    options,
    agentId,
    docker,
    containers,
    async cleanup() {
      await kubelet.stop();
      await client.close();
      await removeAgentContainers(agentId);
      // subPath staging mounts bind volume (even host) directories: a recursive delete
      // through them would delete those files.
      await unmountAllSubPaths(options.rootDir);
      // Secret/downwardAPI/projected volumes are tmpfs mounts under <root>/pods.
      await unmountAll(join(options.rootDir, 'pods'));
      rmSync(options.rootDir, { recursive: true, force: true });
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
}

/** Remove every container and volume labelled with this agent id. */
export async function removeAgentContainers(agentId: string): Promise<void> {
  const label = `io.minikubelet.agent=${agentId}`;
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  // The pod IPs of CNI sandboxes go back to the shared IPAM (the agent would DEL them).
  await Promise.all(
    list.map((c) => {
      const network = c.Labels?.[LABEL.cniNetwork];
      return network ? tearDownCached(c.Id, network, OPTION_DEFAULTS.cniBinDir).catch(() => false) : false;
    }),
  );
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const vols = await docker.listVolumes({ filters: { label: [label] } });
  await Promise.all(
    (vols.Volumes ?? []).map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
}

export { waitFor } from './wait.js';

/**
 * Removes an agent's root dir that an agent (in a process the test killed or stopped
 * without teardown) may have left mounts in: every API pod has a tmpfs service-account
 * volume under <root>/pods, and a recursive delete stops at a mount (EBUSY).
 */
export async function removeAgentRoot(rootDir: string): Promise<void> {
  await unmountAllSubPaths(rootDir);
  await unmountAll(join(rootDir, 'pods'));
  rmSync(rootDir, { recursive: true, force: true });
}

/** Run a command in a container and return its output (tests inspect pods with it). */
export async function execIn(containerId: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  out.on('data', (d: Buffer) => chunks.push(d));
  docker.modem.demuxStream(stream, out, out);
  await new Promise((r) => stream.on('end', r));
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}

export const BUSYBOX = 'minikubelet.local/busybox:1.35';

/** The whole text of a stream (container logs). */
export async function readText(s: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of s) out += chunk.toString();
  return out;
}
