// Smoke run of the benchmark (issue #6): every case with one or two iterations against a
// real agent process, checking only that figures come back as numbers in a valid
// results shape. Timings are never asserted here; `npm run bench` measures them.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';
import { defaultOptions } from '../../../src/options.js';
import { spawnAgent, type BenchAgent } from '../../bench/agent.js';
import { burst, deletePods, memoryGrowth, singlePodStart, steadyState, type BenchContext } from '../../bench/cases.js';
import { RawRunner, RAW_LABEL, agentLabel, ensureRawDockerNetwork, removeByLabel } from '../../bench/raw.js';
import { formatTable, isValidResults, type BenchResults, type BenchRow } from '../../bench/results.js';
import { PodTracker } from '../../bench/tracker.js';

const CLI = fileURLToPath(new URL('../../../cmd/minikubelet.js', import.meta.url));

describe('benchmark smoke run', () => {
  const docker = new Dockerode();
  const runId = `mklbench-${process.pid}-smoke`;
  const rawId = `${runId}-raw`;
  let agent: BenchAgent;
  let tracker: PodTracker;
  let raw: RawRunner;
  let ctx: BenchContext;
  const rows: BenchRow[] = [];

  before(async () => {
    agent = await spawnAgent({ agentId: `${runId}-a`, cli: CLI });
    tracker = new PodTracker(agent.client);
    tracker.start();
    const o = defaultOptions();
    await ensureRawDockerNetwork(docker, o.podNetwork, o.podCidr);
    raw = new RawRunner(docker, rawId, o.podNetwork, o.podInfraImage);
    await raw.probeOomScoreAdj(
      raw.admit({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'oom-probe' },
        spec: { containers: [{ name: 'c0', image: 'minikubelet.local/busybox:1.35', command: ['true'] }] },
      }),
    );
    ctx = { agent, tracker, raw, docker, runId, log: () => undefined };
  });

  after(async () => {
    await tracker?.stop();
    await agent?.stop();
    await removeByLabel(docker, agentLabel(`${runId}-a`));
    await removeByLabel(docker, `${RAW_LABEL}=${rawId}`);
    raw?.dispose();
  });

  const numeric = (r: BenchRow) => {
    if (r.skipped) return;
    const figures = [r.agent_ms, r.raw_ms, r.ratio, r.value].filter((x) => x !== undefined);
    assert.ok(figures.length > 0, `${r.case} has figures`);
    for (const x of figures) assert.equal(typeof x, 'number', `${r.case}: ${String(x)}`);
  };

  test('single pod start, burst and delete return figures beside the raw baseline', { timeout: 240_000 }, async () => {
    const got = [
      ...(await singlePodStart(ctx, { runs: 1, kinds: ['one', 'three-init'] })),
      ...(await burst(ctx, { pods: 2, reps: 1 })),
      ...(await deletePods(ctx, { runs: 1 })),
    ];
    assert.equal(got.length, 6);
    for (const r of got) {
      numeric(r);
      assert.ok(r.agent_ms! > 0 && r.raw_ms! > 0, r.case);
    }
    // No peer in this context: the start rows say so instead of carrying a figure.
    for (const r of got.filter((x) => x.case.startsWith('start:'))) {
      assert.equal(r.peer, 'podman kube play', r.case);
      assert.equal(r.peer_ms, undefined, r.case);
      assert.match(r.peer_note ?? '', /^not measured: /, r.case);
    }
    rows.push(...got);
  });

  test('steady state and memory growth read the agent process from /proc', { timeout: 240_000 }, async () => {
    const got = [
      ...(await steadyState(ctx, { pods: 1, windowS: 2, periodS: 10, settleS: 1 })),
      ...(await memoryGrowth(ctx, { checkpoint: 1, cycles: 2, concurrency: 1 })),
    ];
    for (const r of got) numeric(r);
    const cpu = got.find((r) => r.unit === '%');
    assert.equal(typeof cpu?.value, 'number');
    assert.equal(typeof cpu?.raw_value, 'number', 'the raw prober was measured beside the agent');
    // The engine's own CPU beside the agent's (issue #17): a figure from /proc, ≥ 0, with its breakdown.
    const engine = got.find((r) => r.case.includes('engine CPU'));
    assert.ok(engine && typeof engine.value === 'number' && engine.value >= 0, 'engine CPU row');
    assert.match(engine.note ?? '', /dockerd [\d.]+ %, containerd [\d.]+ %, shims [\d.]+ % \([1-9]\d* processes\)/);
    rows.push(...got);
  });

  test('the results have the shape latest.json is written in', () => {
    const results: BenchResults = {
      date: new Date().toISOString(),
      mode: 'quick',
      machine: {
        cpu: 'x',
        cores: 1,
        memory_mb: 1,
        kernel: 'k',
        docker: 'd',
        docker_api: '1.41',
        node: process.version,
        load_before: [0, 0, 0],
      },
      results: rows,
      notes: [],
    };
    assert.ok(isValidResults(JSON.parse(JSON.stringify(results))));
    assert.match(formatTable(rows), /start: 1 container/);
  });
});
