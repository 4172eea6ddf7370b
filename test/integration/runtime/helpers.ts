// Shared set-up for the runtime's real-engine tests: a runtime with its own agent id
// and its own pod network, pod builders, polling, and cleanup by the agent label.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unmountAndRemove } from '../../../src/runtime/mounts.js';
import { createDockerClient, type DockerClient, isEngineNotFound } from '../../../src/runtime/docker-client.js';
import { DockerRuntime } from '../../../src/runtime/docker-runtime.js';
import { LABEL } from '../../../src/runtime/labels.js';
import type { RuntimeContainer, RuntimePodStatus } from '../../../src/runtime/runtime.js';
import type { Container, ValidPod } from '../../../src/apis/core/types.js';
import { LOCAL_BUSYBOX_IMAGE, LOCAL_PAUSE_IMAGE } from '../../../src/options.js';

export const BUSYBOX = LOCAL_BUSYBOX_IMAGE;

export interface TestEnv {
  agentId: string;
  network: string;
  docker: DockerClient;
  runtime: DockerRuntime;
  hostIP: string;
  /** The runtime's state dir (pod files, Memory emptyDir tmpfs mounts). */
  stateDir: string;
}

/** A runtime with a fresh agent id on a fresh /24 pod network (retrying if the subnet is taken). */
export async function setUp(tag: string): Promise<TestEnv> {
  const agentId = `test-rt-${tag}-${randomBytes(4).toString('hex')}`;
  const docker = createDockerClient();
  const network = `mkl-${agentId}`;
  const stateDir = mkdtempSync(join(tmpdir(), 'mkl-rt-'));
  for (let i = 0; ; i++) {
    const cidr = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.0/24`;
    const runtime = new DockerRuntime({
      docker,
      agentId,
      podNetwork: network,
      podCidr: cidr,
      podInfraImage: LOCAL_PAUSE_IMAGE,
      engineConcurrency: 8,
      stateDir,
    });
    try {
      return { agentId, network, docker, runtime, hostIP: await runtime.init(), stateDir };
    } catch (err) {
      if (i >= 5 || !/overlap/i.test(String(err))) throw err;
    }
  }
}

/** Remove every container and volume of the agent, then its network. */
export async function tearDown(env: TestEnv | undefined): Promise<void> {
  if (!env) return;
  const { docker, agentId } = env;
  const filter = { label: [`${LABEL.agent}=${agentId}`] };
  const cs = await docker.listContainers(filter, true);
  await Promise.all(cs.map((c) => docker.removeContainer(c.Id, { force: true, v: true }).catch(ignoreNotFound)));
  const vs = await docker.listVolumes(filter);
  await Promise.all(vs.map((v) => docker.removeVolume(v.Name).catch(ignoreNotFound)));
  await docker.removeNetwork(env.network).catch(ignoreNotFound);
  await unmountAndRemove(env.stateDir);
}

function ignoreNotFound(err: unknown): void {
  if (!isEngineNotFound(err)) throw err;
}

export function makePod(name: string, containers: Container[], spec: Partial<ValidPod['spec']> = {}): ValidPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'rt-test', uid: randomUUID(), creationTimestamp: new Date().toISOString() },
    spec: { containers, restartPolicy: 'Never', terminationGracePeriodSeconds: 2, ...spec },
  };
}

export function bb(name: string, c: Partial<Container> = {}): Container {
  return { name, image: BUSYBOX, imagePullPolicy: 'IfNotPresent', ...c };
}

/** runSandbox + create + start each container in order; returns their ids. */
export async function runPod(env: TestEnv, pod: ValidPod): Promise<{ sandboxId: string; ids: Record<string, string> }> {
  const sandboxId = await env.runtime.runSandbox(pod, 0);
  const ids: Record<string, string> = {};
  for (const c of pod.spec.containers) {
    const id = await env.runtime.createContainer({
      pod,
      container: c,
      type: 'container',
      sandboxId,
      restartCount: 0,
      env: [],
      ...(c.command ? { command: c.command } : {}),
      ...(c.args ? { args: c.args } : {}),
    });
    await env.runtime.startContainer(id);
    ids[c.name] = id;
  }
  return { sandboxId, ids };
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function instance(st: RuntimePodStatus, name: string): RuntimeContainer | undefined {
  return st.containers.find((c) => c.name === name);
}

/** Wait until the newest instance of container `name` has exited. */
export function waitExited(env: TestEnv, uid: string, name: string, timeoutMs?: number): Promise<RuntimeContainer> {
  return waitFor(
    `${name} to exit`,
    async () => {
      const c = instance(await env.runtime.getPodStatus(uid), name);
      return c?.state === 'exited' ? c : undefined;
    },
    timeoutMs,
  );
}
