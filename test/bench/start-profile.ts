// Where a pod start's time goes inside the agent (issue #17, lever 2). Spawns
// `minikubelet serve` at debug level, starts N pods one after another (POST → the watch
// event showing every container running, as bench case 1), deletes each, then reports:
//   - the end-to-end median (POST → running event);
//   - the sync's own phases (the agent's `sync phases` debug lines, src/sync/sync-pod.ts),
//     median per phase over the start syncs (those that created a sandbox);
//   - every engine call's mean duration and calls per pod, from /metrics
//     (kubelet_runtime_operations_duration_seconds, src/runtime/instrumented-runtime.ts).
// Run after `npm run build`:
//
//   node dist/test/bench/start-profile.js [--runs 10] [--kind one|three|three-init] [--cli PATH]
//        [--node-flags="--cpu-prof --cpu-prof-dir=/tmp/prof"]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import Dockerode from 'dockerode';
import { spawnAgent } from './agent.js';
import { NS, podManifest, type PodKind } from './pods.js';
import { agentLabel, removeByLabel } from './raw.js';
import { median, round, sleep } from './stats.js';
import { allStarted, PodTracker } from './tracker.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    kind: { type: 'string', default: 'one' },
    cli: { type: 'string', default: new URL('../../cmd/minikubelet.js', import.meta.url).pathname },
    'node-flags': { type: 'string', default: '' },
  },
});
const nodeFlags = values['node-flags'] ? values['node-flags'].split(/\s+/) : [];
const runs = Number(values.runs);
const kind = values.kind as PodKind;
const runId = `mklbench-${process.pid}`;
const agentId = `${runId}-prof`;

/** name → {count, sum} of one histogram's _sum/_count lines by operation_type. */
function runtimeOps(text: string): Map<string, { count: number; sum: number }> {
  const out = new Map<string, { count: number; sum: number }>();
  const re = /^kubelet_runtime_operations_duration_seconds_(sum|count)\{operation_type="([^"]+)"\} (\S+)$/gm;
  for (const m of text.matchAll(re)) {
    const e = out.get(m[2]!) ?? { count: 0, sum: 0 };
    e[m[1] as 'sum' | 'count'] = Number(m[3]);
    out.set(m[2]!, e);
  }
  return out;
}

async function scrape(agent: Awaited<ReturnType<typeof spawnAgent>>): Promise<string> {
  const res = await agent.client.sendRaw('GET', '/metrics', { accept: 'text/plain' });
  return res.text();
}

const docker = new Dockerode();
const agent = await spawnAgent({ agentId, cli: values.cli, logLevel: 'debug', nodeFlags });
const tracker = new PodTracker(agent.client);
tracker.start();
const e2e: number[] = [];
try {
  // One warm-up pod (images inspected, the first sandbox's oom_score_adj answer…).
  const start = async (name: string) => {
    const seen = tracker.waitFor(name, allStarted, 60_000);
    const t0 = performance.now();
    await agent.client.createPod(NS, podManifest(kind, name, runId));
    const ms = (await seen) - t0;
    const gone = tracker.waitFor(name, 'gone', 120_000);
    await agent.client.deletePod(NS, name, 0);
    await gone;
    return ms;
  };
  await start('prof-warm');
  await sleep(300);
  const before = runtimeOps(await scrape(agent));
  const logStart = readFileSync(agent.logFile!, 'utf8').length;
  for (let i = 0; i < runs; i++) {
    e2e.push(await start(`prof-${i}`));
    await sleep(100);
  }
  const after = runtimeOps(await scrape(agent));
  const log = readFileSync(agent.logFile!, 'utf8').slice(logStart);
  const phases = new Map<string, number[]>();
  let syncs = 0;
  for (const line of log.split('\n')) {
    if (!line.includes('"sync phases"')) continue;
    const p = (JSON.parse(line) as { phases: Record<string, number> }).phases;
    if (p.sandbox === undefined) continue; // only the syncs that started a pod
    syncs++;
    for (const [k, v] of Object.entries(p)) phases.set(k, [...(phases.get(k) ?? []), v]);
  }
  const ops: Record<string, { calls_per_pod: number; mean_ms: number }> = {};
  for (const [op, a] of after) {
    const b = before.get(op) ?? { count: 0, sum: 0 };
    const n = a.count - b.count;
    if (n > 0) ops[op] = { calls_per_pod: round(n / runs, 2), mean_ms: round(((a.sum - b.sum) / n) * 1000, 1) };
  }
  const out = {
    kind,
    runs,
    load_average: loadavg().map((x) => round(x, 2)),
    e2e_median_ms: round(median(e2e)),
    start_syncs: syncs,
    sync_phases_median_ms: Object.fromEntries([...phases].map(([k, v]) => [k, round(median(v), 1)])),
    runtime_ops: ops,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
} finally {
  await tracker.stop();
  await agent.stop();
  await removeByLabel(docker, agentLabel(agentId));
}
