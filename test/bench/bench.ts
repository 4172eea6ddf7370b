// `npm run bench [-- --quick] [-- --only 1,3] [-- --profile] [-- --start [--runs N]] [-- --no-peer]`:
// pod start latency, burst, delete, steady-state overhead and memory growth of the agent, each
// beside the raw Docker baseline measured in the same run; the start cases also beside
// `podman kube play` when podman is installed (issue #17), the steady state beside the
// engine's own CPU. Prints a table and writes
// test/bench/results/latest.json. Everything it creates carries its own labels and is
// removed at the end, also on failure and on Ctrl-C.
import { cpus, loadavg, release, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { defaultOptions, effectivePodNetwork, type KubeletOptions } from '../../src/options.js';
import { CniPodNetwork } from '../../src/runtime/cni/cni-network.js';
import { spawnAgent, type BenchAgent } from './agent.js';
import {
  burst,
  deletePods,
  memoryGrowth,
  singlePodStart,
  steadyState,
  type BenchContext,
  type StartKind,
} from './cases.js';
import { PEER_NAME, PodmanPeer, type PeerInfo } from './peer.js';
import { podManifest } from './pods.js';
import { LOCAL_BUSYBOX_IMAGE } from '../../src/options.js';
import { RawRunner, RAW_LABEL, agentLabel, ensureRawDockerNetwork, removeByLabel } from './raw.js';
import { formatTable, type BenchResults, type BenchRow, type Machine } from './results.js';
import { round } from './stats.js';
import { PodTracker } from './tracker.js';

interface Plan {
  quick: boolean;
  cases: Set<number>;
  profile: boolean;
  out: string;
  /** The agent's CLI (default: this build's dist/cmd/minikubelet.js); for A/B runs of another build. */
  cli: string;
  /** --start: the start cases only (1 container, 3, 3 + init), to re-run the peer comparison quickly. */
  startOnly: boolean;
  /** --runs N: the start cases' measured runs (default 20, quick 3, --start 5). */
  runs?: number;
  /** --no-peer: do not run podman even when it is installed. */
  peer: boolean;
  /** --pod-network-driver: the agent's (for A/B runs of cni against docker). */
  podNetworkDriver?: string;
  /** --raw-network: the raw baseline's sandboxes on the Docker network (default) or CNI (the floor of the cni driver). */
  rawNetwork: 'docker' | 'cni';
}

/** --start: the start cases the peer can be compared on (podman reports no readiness). */
const START_ONLY_KINDS: StartKind[] = ['one', 'three', 'three-init'];

const CLI = fileURLToPath(new URL('../../cmd/minikubelet.js', import.meta.url));
const RESULTS_DIR = fileURLToPath(new URL('../../../test/bench/results/', import.meta.url));

function parseArgs(argv: string[]): Plan {
  const plan: Plan = {
    quick: false,
    cases: new Set([1, 2, 3, 4, 5]),
    profile: false,
    out: `${RESULTS_DIR}latest.json`,
    cli: CLI,
    startOnly: false,
    peer: true,
    rawNetwork: 'docker',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') plan.quick = true;
    else if (a === '--profile') plan.profile = true;
    else if (a === '--only') plan.cases = new Set(argv[++i]!.split(',').map(Number));
    else if (a === '--out') plan.out = argv[++i]!;
    else if (a === '--cli') plan.cli = argv[++i]!;
    else if (a === '--pod-network-driver') plan.podNetworkDriver = argv[++i]!;
    else if (a === '--raw-network') {
      const v = argv[++i];
      if (v !== 'docker' && v !== 'cni') throw new Error('--raw-network takes docker or cni');
      plan.rawNetwork = v;
    } else if (a === '--start') {
      plan.startOnly = true;
      plan.cases = new Set([1]);
      // Its own file by default: a start-only run must not replace the full run's latest.json.
      if (plan.out === `${RESULTS_DIR}latest.json`) plan.out = `${RESULTS_DIR}start.json`;
    } else if (a === '--runs') {
      plan.runs = Number(argv[++i]);
      if (!Number.isInteger(plan.runs) || plan.runs < 1) throw new Error('--runs takes a positive integer');
    } else if (a === '--no-peer') plan.peer = false;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: npm run bench -- [--quick] [--only 1,2,3,4,5] [--start] [--runs N] [--no-peer] [--profile] [--out FILE] [--cli PATH/minikubelet.js] [--pod-network-driver cni|docker] [--raw-network docker|cni]\n' +
          '  --start    only the start cases (1 container, 3, 3 + 1 init) beside raw and podman kube play;\n' +
          '             writes results/start.json unless --out is given\n' +
          '  --runs N   measured runs per start case (default 20; --quick 3; --start 5)\n' +
          '  --no-peer  do not run podman kube play even when podman is installed\n' +
          "  --pod-network-driver  the agent's pod network driver (default: its own choice)\n" +
          "  --raw-network  the raw baseline's pod network: the Docker network (default, the raw Docker\n" +
          "             sequence) or the agent's CNI network (NetworkMode none + CNI ADD: the cni driver's floor)\n",
      );
      process.exit(0);
    } else throw new Error(`unknown flag ${a}`);
  }
  return plan;
}

async function machine(docker: Dockerode): Promise<Machine> {
  const v = await docker.version();
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_mb: Math.round(totalmem() / 2 ** 20),
    kernel: release(),
    docker: v.Version,
    docker_api: v.ApiVersion,
    node: process.version,
    load_before: loadavg().map((x) => round(x, 2)),
  };
}

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Containers left by an earlier bench run that died without cleaning up (its pid is gone). */
async function removeStale(docker: Dockerode): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: ['io.minikubelet.agent'] } });
  const stale = new Set<string>();
  for (const c of list) {
    const m = /^mklbench-(\d+)-/.exec(c.Labels['io.minikubelet.agent'] ?? '');
    if (m && !pidAlive(Number(m[1]))) stale.add(c.Labels['io.minikubelet.agent']!);
  }
  for (const id of stale) await removeByLabel(docker, agentLabel(id));
  if (stale.size) console.log(`removed containers of ${stale.size} stale bench agent(s)`);
}

async function main(): Promise<number> {
  const plan = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const docker = new Dockerode();
  const runId = `mklbench-${process.pid}`;
  const agents: BenchAgent[] = [];
  const agentIds: string[] = [];
  let trackers: PodTracker[] = [];
  const raws: RawRunner[] = [];
  const rawId = `${runId}-raw`;

  const q = plan.quick;
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode: plan.startOnly ? 'start' : q ? 'quick' : 'full',
    machine: await machine(docker),
    results: [],
    notes: [],
  };
  let written = false;
  /** Print the table and write the results file (also after an interrupt: the finished cases). */
  const finish = () => {
    if (written) return;
    written = true;
    results.machine.load_after = loadavg().map((x) => round(x, 2));
    results.duration_s = round((performance.now() - started) / 1000);
    if (results.machine.load_before[0]! > 0.5 || results.machine.load_after[0]! > 2.5) {
      results.notes.push(
        `measured on a shared machine: load average ${results.machine.load_before.join('/')} before, ${results.machine.load_after.join('/')} after (the bench itself adds load)`,
      );
    }
    console.log(`\n${formatTable(results.results)}`);
    for (const note of results.notes) console.log(`note: ${note}`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(plan.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nwrote ${plan.out} (${results.duration_s} s)`);
  };

  let peer: PodmanPeer | undefined;
  let peerInfo: PeerInfo = { name: PEER_NAME, available: false, reason: 'not run: --no-peer' };
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await Promise.all(trackers.map((t) => t.stop().catch(() => undefined)));
      await Promise.all(agents.map((a) => a.stop().catch(() => undefined)));
      for (const id of [...agentIds, rawId]) await removeByLabel(docker, agentLabel(id)).catch(() => undefined);
      for (const r of raws) r.dispose();
      if (peer) await peer.downAll().catch(() => undefined);
      peer?.dispose();
      await removeByLabel(docker, `${RAW_LABEL}=${rawId}`).catch(() => undefined);
    })());
  // A stray rejection (a wait abandoned under load) is recorded, not fatal: the finished
  // cases must still be written and everything cleaned up.
  process.on('unhandledRejection', (err) => {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`bench: unhandled rejection: ${msg}`);
    results.notes.push(`unhandled rejection during the run: ${msg}`);
  });
  const onSignal = (sig: string) => {
    console.error(`\n${sig}: cleaning up…`);
    results.notes.push(`interrupted by ${sig}: only the cases finished before are recorded`);
    void cleanup().finally(() => {
      finish();
      process.exit(130);
    });
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));

  console.log(
    `minikubelet bench (${results.mode}) on ${results.machine.cpu}, ${results.machine.cores} cores, docker ${results.machine.docker}; load ${results.machine.load_before.join(' ')}`,
  );
  await removeStale(docker);

  // The start cases' peer: podman when installed (images loaded once, from the local engine).
  if (plan.cases.has(1) && plan.peer) {
    const found = await PodmanPeer.detect();
    if (found instanceof PodmanPeer) {
      try {
        const n = await found.removeStale(pidAlive);
        if (n) console.log(`removed ${n} podman pod(s) of stale bench runs`);
        await found.loadImages([LOCAL_BUSYBOX_IMAGE]);
        peer = found;
        peerInfo = found.info;
      } catch (err) {
        found.dispose();
        peerInfo = { name: PEER_NAME, available: false, reason: err instanceof Error ? err.message : String(err) };
      }
    } else peerInfo = found;
  }
  if (plan.cases.has(1)) {
    results.peer = peerInfo;
    if (peer) console.log(`peer: ${PEER_NAME} (podman ${peerInfo.version}), interleaved with the agent's start runs`);
    else {
      console.log(`peer: ${PEER_NAME} NOT measured: ${peerInfo.reason}`);
      results.notes.push(`peer ${PEER_NAME} not measured: ${peerInfo.reason}`);
    }
  }

  let n = 0;
  const withAgent = async (fn: (ctx: BenchContext) => Promise<BenchRow[]>): Promise<void> => {
    const agentId = `${runId}-a${n++}`;
    agentIds.push(agentId);
    const profDir = plan.profile ? `${RESULTS_DIR}profile-${agentId}` : undefined;
    const agent = await spawnAgent({
      agentId,
      cli: plan.cli,
      ...(plan.podNetworkDriver ? { podNetworkDriver: plan.podNetworkDriver } : {}),
      ...(profDir
        ? { keepDir: profDir, nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--heapsnapshot-signal=SIGUSR2'] }
        : {}),
    });
    agents.push(agent);
    const tracker = new PodTracker(agent.client);
    trackers.push(tracker);
    tracker.start();
    const o = defaultOptions();
    const raw = new RawRunner(docker, rawId, o.podNetwork, o.podInfraImage, await rawCniNetwork(plan, o, docker));
    raws.push(raw);
    if (results.raw_network === undefined) {
      results.raw_network = raw.network;
      console.log(`raw baseline on the ${raw.network}`);
    }
    await raw.probeOomScoreAdj(raw.admit(podManifest('one', 'oom-probe', runId)));
    const ctx: BenchContext = {
      agent,
      tracker,
      raw,
      docker,
      runId,
      log: (m) => console.log(m),
      heapSnapshots: plan.profile,
      peer: peer ?? { reason: peerInfo.reason ?? 'not measured' },
      ...(probesWired !== undefined ? { probesWired } : {}),
    };
    try {
      const rows = await fn(ctx);
      results.results.push(...rows);
      if (ctx.probesWired !== undefined) probesWired = ctx.probesWired;
    } finally {
      await tracker.stop();
      trackers = trackers.filter((t) => t !== tracker);
      await agent.stop();
      await removeByLabel(docker, agentLabel(agentId));
      await removeByLabel(docker, `${RAW_LABEL}=${rawId}`);
      raw.dispose();
      if (profDir) console.log(`  profile and agent log kept in ${profDir}`);
    }
  };
  let probesWired: boolean | undefined;

  try {
    if (plan.cases.has(1) || plan.cases.has(2) || plan.cases.has(3)) {
      await withAgent(async (ctx) => {
        // Rows go straight into the results, so an interrupted run still records finished cases.
        const rows = results.results;
        if (plan.cases.has(1)) {
          console.log('case 1: single pod start');
          rows.push(
            ...(await singlePodStart(ctx, {
              runs: plan.runs ?? (plan.startOnly ? 5 : q ? 3 : 20),
              readyDetectTimeoutMs: 20_000,
              ...(plan.startOnly ? { kinds: START_ONLY_KINDS } : {}),
            })),
          );
        }
        if (plan.cases.has(2)) {
          console.log('case 2: burst');
          rows.push(...(await burst(ctx, { pods: q ? 20 : 100, reps: q ? 1 : 2 })));
        }
        if (plan.cases.has(3)) {
          console.log('case 3: delete');
          rows.push(...(await deletePods(ctx, { runs: q ? 3 : 10 })));
        }
        return [];
      });
    }
    if (plan.cases.has(4)) {
      console.log('case 4: steady state');
      const pods = q ? 20 : 100;
      const windowS = q ? 20 : 60;
      await withAgent((ctx) => steadyState(ctx, { pods, windowS, periodS: 10 }));
      if (probesWired) await withAgent((ctx) => steadyState(ctx, { pods, windowS, periodS: 1 }));
      else results.notes.push('steady state @1s skipped: probes are not wired in this build');
    }
    if (plan.cases.has(5)) {
      console.log('case 5: memory growth');
      await withAgent((ctx) =>
        memoryGrowth(
          ctx,
          q ? { checkpoint: 20, cycles: 100, concurrency: 4 } : { checkpoint: 100, cycles: 1000, concurrency: 8 },
        ),
      );
    }
  } catch (err) {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    results.notes.push(`run failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }

  finish();
  return process.exitCode === 1 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

/**
 * The raw runner's CNI network: the agent's own (same name, subnet, bridge and IPAM, as a
 * second agent on that network would share them), driven through the agent's plugin runner.
 */
/**
 * The raw runner's network: the agent's CNI network with `--raw-network cni`, else the
 * Docker pod network — created here when absent (an agent on the CNI driver never makes it).
 */
async function rawCniNetwork(plan: Plan, o: KubeletOptions, docker: Dockerode): Promise<CniPodNetwork | undefined> {
  if (plan.rawNetwork !== 'cni') {
    await ensureRawDockerNetwork(docker, o.podNetwork, o.podCidr);
    return undefined;
  }
  const { name, cidr } = effectivePodNetwork(o, 'cni');
  const cni = new CniPodNetwork({ name, cidr, binDir: o.cniBinDir });
  await cni.init(async () => new Set((await docker.listContainers()).map((c) => c.Id)));
  return cni;
}
