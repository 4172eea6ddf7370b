// The raw baseline: the fastest order of the engine calls a pod needs, made directly
// with dockerode. Same container configurations as the agent's (its pure builders,
// with a separate agent id so the agent never sees these containers):
//   create pause → [start pause ‖ create app containers] → start app containers in parallel;
// on a CNI network (`--raw-network cni`) "start pause" is start → inspect (its pid) → CNI
// ADD through the agent's own plugin runner, as cri-dockerd's RunPodSandbox, and a
// removal runs the DEL;
// with an init container: create pause → [start pause ‖ create init] → start init →
// wait for its exit → create app containers in parallel → start them in parallel.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import PQueue from 'p-queue';
import { defaultOptions } from '../../src/options.js';
import { admitPod } from '../../src/apis/core/admit.js';
import { buildEnv, expandCommand } from '../../src/container/expand.js';
import type { Container, ValidPod } from '../../src/apis/core/types.js';
import { sandboxCreateOptions, sandboxIp, type SandboxDeps } from '../../src/runtime/sandbox.js';
import { containerCreateOptions } from '../../src/runtime/container-config.js';
import { LABEL } from '../../src/runtime/labels.js';
import type { CniPodNetwork } from '../../src/runtime/cni/cni-network.js';
import { DockerClient } from '../../src/runtime/docker-client.js';
import { ensurePodNetwork } from '../../src/runtime/network.js';
import { sleep } from './stats.js';

export const RAW_LABEL = 'io.minikubelet.bench';

/**
 * The Docker pod network the raw runner joins without CNI, created when absent: an
 * agent on the CNI driver never makes it, so on a fresh machine nothing else would.
 */
export async function ensureRawDockerNetwork(docker: Dockerode, name: string, cidr: string): Promise<void> {
  await ensurePodNetwork(new DockerClient(docker), name, cidr);
}

export interface RawPod {
  ids: string[];
  sandboxId: string;
  ip?: string;
}
export interface RawRun extends RawPod {
  t0: number;
  t1: number;
}

export class RawRunner {
  readonly #docker: Dockerode;
  readonly #agentId: string;
  readonly #sandboxDeps: SandboxDeps;
  readonly #podNetwork: string;
  /** Per-container termination-log files, bound in as the agent does. */
  readonly #stateDir = mkdtempSync(join(tmpdir(), 'mkl-bench-raw-'));

  /** The CNI network the sandboxes get (NetworkMode none + ADD), or none: the Docker network. */
  readonly #cni: CniPodNetwork | undefined;
  /**
   * CNI ADDs and DELs at most as many at once as the agent's engine queue runs sandbox
   * set-ups (engineConcurrency): a burst of 100 unbounded ADDs queues on host-local's
   * lock until the plugins' own 30 s timeout (seen at load 95), which the agent never does.
   */
  readonly #cniQueue = new PQueue({ concurrency: defaultOptions().engineConcurrency });

  constructor(docker: Dockerode, agentId: string, podNetwork: string, podInfraImage: string, cni?: CniPodNetwork) {
    this.#docker = docker;
    this.#agentId = agentId;
    this.#podNetwork = podNetwork;
    this.#cni = cni;
    // docker is not used by the pure option builder.
    this.#sandboxDeps = {
      docker: undefined as never,
      agentId,
      podNetwork,
      podInfraImage,
      oomScoreAdj: {},
      ...(cni ? { cni } : {}),
    };
  }

  /** Which pod network the raw sandboxes use. */
  get network(): string {
    return this.#cni ? `CNI network ${this.#cni.name}` : `Docker network ${this.#podNetwork}`;
  }

  /** Start the sandbox; on a CNI network, then ADD on its netns (the pod IP). */
  async #startSandbox(pod: ValidPod, sandboxId: string): Promise<string | undefined> {
    const c = this.#docker.getContainer(sandboxId);
    await c.start();
    if (!this.#cni) return undefined;
    const pid = (await c.inspect()).State.Pid;
    const cni = this.#cni;
    return this.#cniQueue.add(() => cni.setUp(sandboxId, pid, pod));
  }

  get agentId(): string {
    return this.#agentId;
  }

  /** The same admission (defaults, uid) as the agent's API applies. */
  admit(manifest: unknown): ValidPod {
    return admitPod(structuredClone(manifest));
  }

  #containerOpts(pod: ValidPod, c: Container, type: 'init' | 'container', sandboxId: string) {
    const { env, lookup } = buildEnv(c, { HOSTNAME: pod.spec.hostname ?? pod.metadata.name.slice(0, 63) });
    const { command, args } = expandCommand(c, lookup);
    // The agent binds an empty per-instance termination-log file; so do we.
    const dir = join(this.#stateDir, pod.metadata.uid, c.name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'termination-log');
    writeFileSync(file, '', { mode: 0o666 });
    chmodSync(file, 0o666);
    const o = containerCreateOptions({
      req: {
        pod,
        container: c,
        type,
        sandboxId,
        restartCount: 0,
        env,
        ...(command ? { command } : {}),
        ...(args ? { args } : {}),
      },
      agentId: this.#agentId,
      name: `raw_${c.name}_${pod.metadata.name}_${pod.metadata.uid}`,
      mounts: [
        { Type: 'bind', Source: file, Target: c.terminationMessagePath || '/dev/termination-log', ReadOnly: false },
      ],
    });
    o.Labels = { ...o.Labels, [RAW_LABEL]: this.#agentId };
    return o;
  }

  async #create(opts: Dockerode.ContainerCreateOptions): Promise<string> {
    return (await this.#docker.createContainer(opts)).id;
  }

  /**
   * Start a pod; resolves when the last app container's start returned (or, with
   * waitTcpPort, when a TCP connect to the pod IP on that port succeeds).
   */
  async runPod(pod: ValidPod, waitTcpPort?: number): Promise<RawRun> {
    const t0 = performance.now();
    const sOpts = sandboxCreateOptions(this.#sandboxDeps, pod, 0);
    sOpts.Labels = { ...sOpts.Labels, [RAW_LABEL]: this.#agentId };
    const sandboxId = await this.#create(sOpts);
    const ids = [sandboxId];
    const inits = pod.spec.initContainers ?? [];
    let apps: string[];
    let podIp: string | undefined;
    if (inits.length) {
      // Init containers: one after another, each run to exit; the first is created
      // while the sandbox starts.
      const [cniIp, firstInit] = await Promise.all([
        this.#startSandbox(pod, sandboxId),
        this.#create(this.#containerOpts(pod, inits[0]!, 'init', sandboxId)),
      ]);
      podIp = cniIp;
      let initId = firstInit;
      for (let i = 0; i < inits.length; i++) {
        if (i > 0) initId = await this.#create(this.#containerOpts(pod, inits[i]!, 'init', sandboxId));
        ids.push(initId);
        const c = this.#docker.getContainer(initId);
        const exited = c.wait(); // POST /wait before start, so the exit cannot be missed
        await c.start();
        const r = (await exited) as { StatusCode: number };
        if (r.StatusCode !== 0) throw new Error(`raw init container exited ${r.StatusCode}`);
      }
      apps = await Promise.all(
        pod.spec.containers.map((c) => this.#create(this.#containerOpts(pod, c, 'container', sandboxId))),
      );
    } else {
      const [ip, ...created] = await Promise.all([
        this.#startSandbox(pod, sandboxId),
        ...pod.spec.containers.map((c) => this.#create(this.#containerOpts(pod, c, 'container', sandboxId))),
      ]);
      apps = created as string[];
      podIp = ip;
    }
    ids.push(...apps);
    await Promise.all(apps.map((id) => this.#docker.getContainer(id).start()));
    const run: RawRun = { ids, sandboxId, t0, t1: performance.now() };
    if (waitTcpPort !== undefined) {
      const ip = podIp ?? (await this.#dockerNetworkIp(sandboxId));
      if (!ip) throw new Error('raw sandbox has no IP');
      run.ip = ip;
      await waitTcp(ip, waitTcpPort, 30_000);
      run.t1 = performance.now();
    }
    return run;
  }

  async #dockerNetworkIp(sandboxId: string): Promise<string | undefined> {
    const info = await this.#docker.getContainer(sandboxId).inspect();
    return sandboxIp(
      (info.NetworkSettings as { Networks?: Record<string, { IPAddress?: string }> }).Networks,
      this.#podNetwork,
    );
  }

  /** `docker rm -f` of every container of the pod, in parallel (after the CNI DEL, if any). Returns ms. */
  async removePod(p: RawPod): Promise<number> {
    const t0 = performance.now();
    const cni = this.#cni;
    if (cni) await this.#cniQueue.add(() => cni.tearDown(p.sandboxId));
    await Promise.all(
      p.ids.map((id) =>
        this.#docker
          .getContainer(id)
          .remove({ force: true })
          .catch((e: { statusCode?: number }) => {
            if (e.statusCode !== 404) throw e;
          }),
      ),
    );
    return performance.now() - t0;
  }

  /** Remove the runner's host files. */
  dispose(): void {
    rmSync(this.#stateDir, { recursive: true, force: true });
  }

  /**
   * The agent lowers the sandbox's oom_score_adj unless the engine refuses (it then
   * retries once without): find out the same way, untimed, so the raw runs match.
   */
  async probeOomScoreAdj(pod: ValidPod): Promise<void> {
    try {
      const r = await this.runPod(pod);
      await this.removePod(r);
      this.#sandboxDeps.oomScoreAdj!.supported = true;
    } catch {
      await removeByLabel(this.#docker, `${RAW_LABEL}=${this.#agentId}`);
      this.#sandboxDeps.oomScoreAdj!.supported = false;
    }
  }
}

function waitTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const attempt = (): Promise<boolean> =>
    new Promise((resolve) => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        s.destroy();
        resolve(false);
      });
    });
  return (async () => {
    while (!(await attempt())) {
      if (Date.now() > deadline) throw new Error(`no TCP answer from ${host}:${port} within ${timeoutMs} ms`);
      await sleep(10);
    }
  })();
}

/** Remove every container (and volume) carrying this label. */
export async function removeByLabel(docker: Dockerode, label: string): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const vols = await docker
    .listVolumes({ filters: { label: [label] } })
    .catch(() => ({ Volumes: [] as Dockerode.VolumeInspectInfo[] }));
  await Promise.all(
    (vols.Volumes ?? []).map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
  return list.length;
}

/** Containers of an agent (by its owner label). */
export function agentLabel(agentId: string): string {
  return `${LABEL.agent}=${agentId}`;
}
