import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { ProbeWorker, type ContainerView } from '../../../src/prober/probe-worker.js';
import { ResultsManager, type ProbeType } from '../../../src/prober/results.js';
import type { Probe } from '../../../src/apis/core/types.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { flush } from './helpers.js';
import type { ProbeMetricResult, ProbeSeries } from '../../../src/metrics/metrics.js';

type Outcome = 'success' | 'failure' | undefined;

function setup(
  type: ProbeType,
  spec: Probe,
  opts: {
    view?: Partial<ContainerView>;
    script?: Outcome[];
    recentStart?: boolean;
    random?: number;
    probe?: (id: string) => Promise<Outcome>;
    series?: ProbeSeries;
  } = {},
) {
  const clock = new FakeClock();
  const t0 = clock.now();
  const results = new ResultsManager();
  const view: ContainerView = {
    podTerminal: false,
    deleting: false,
    containerId: 'c1',
    running: true,
    finished: false,
    startedAtMs: t0 - 3_600_000,
    started: true,
    ...opts.view,
  };
  const calls: { at: number; id: string }[] = [];
  const script = [...(opts.script ?? [])];
  let exited = 0;
  const w = new ProbeWorker({
    type,
    spec: {
      periodSeconds: 1,
      failureThreshold: 3,
      successThreshold: 1,
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      ...spec,
    },
    podUid: 'uid-1',
    clock,
    results,
    agentStartedAt: opts.recentStart ? t0 : t0 - 3_600_000,
    random: () => opts.random ?? 0,
    view: () => view,
    probe:
      opts.probe ??
      (async (id) => {
        calls.push({ at: clock.now(), id });
        return script.length ? script.shift() : 'success';
      }),
    onExit: () => {
      exited++;
    },
    ...(opts.series ? { series: opts.series } : {}),
  });
  /** Move time forward in small steps so timers chain and promises settle between. */
  const step = async (ms: number, by = 100) => {
    for (let done = 0; done < ms; done += by) {
      clock.advance(Math.min(by, ms - done));
      await flush();
    }
  };
  const start = async () => {
    w.start();
    clock.advance(0);
    await flush();
  };
  return { clock, t0, results, view, calls, script, w, step, start, exits: () => exited };
}

describe('ProbeWorker', () => {
  test('initial results: readiness Failure, liveness Success, startup Unknown', async () => {
    for (const [type, want] of [
      ['readiness', 'failure'],
      ['liveness', 'success'],
      ['startup', 'unknown'],
    ] as const) {
      // initialDelay keeps the probe from running: only the initial value is published.
      const s = setup(type, { initialDelaySeconds: 7200 }, { view: { started: type !== 'startup' } });
      await s.start();
      assert.equal(s.results.get('c1'), want, type);
      assert.equal(s.calls.length, 0);
      s.w.stop();
    }
  });

  test('liveness: only failureThreshold consecutive failures publish Failure', async () => {
    const s = setup(
      'liveness',
      { failureThreshold: 3 },
      { script: ['failure', 'failure', 'success', 'failure', 'failure', 'failure'] },
    );
    await s.start();
    const seen: (string | undefined)[] = [s.results.get('c1')];
    for (let i = 0; i < 5; i++) {
      await s.step(1000);
      seen.push(s.results.get('c1'));
    }
    assert.deepEqual(seen, ['success', 'success', 'success', 'success', 'success', 'failure']);
    s.w.stop();
  });

  test('readiness: successThreshold consecutive successes publish Success; one failure resets the run', async () => {
    const s = setup(
      'readiness',
      { successThreshold: 2, failureThreshold: 1 },
      { script: ['success', 'failure', 'success', 'success'] },
    );
    await s.start();
    const seen: (string | undefined)[] = [s.results.get('c1')];
    for (let i = 0; i < 3; i++) {
      await s.step(1000);
      seen.push(s.results.get('c1'));
    }
    assert.deepEqual(seen, ['failure', 'failure', 'failure', 'success']);
    s.w.stop();
  });

  test('startup gates the others: before started only startup probes; after, only the others', async () => {
    const before = ['startup', 'liveness', 'readiness'].map((t) =>
      setup(t as ProbeType, {}, { view: { started: false } }),
    );
    for (const s of before) {
      await s.start();
      await s.step(3000);
    }
    assert.deepEqual(
      before.map((s) => s.calls.length > 0),
      [true, false, false],
    );
    const after = ['startup', 'liveness', 'readiness'].map((t) =>
      setup(t as ProbeType, {}, { view: { started: true } }),
    );
    for (const s of after) {
      await s.start();
      await s.step(3000);
    }
    assert.deepEqual(
      after.map((s) => s.calls.length > 0),
      [false, true, true],
    );
    for (const s of [...before, ...after]) s.w.stop();
  });

  test('after a liveness Failure the worker holds until a new container ID appears', async () => {
    const s = setup('liveness', { failureThreshold: 1 }, { script: ['failure'] });
    await s.start();
    assert.equal(s.results.get('c1'), 'failure');
    assert.equal(s.w.onHold, true);
    await s.step(5000);
    assert.equal(s.calls.length, 1, 'no probing while on hold');
    s.view.containerId = 'c2';
    await s.step(1000);
    assert.equal(s.w.onHold, false);
    assert.equal(s.results.get('c1'), undefined, 'the old result is forgotten');
    assert.equal(s.results.get('c2'), 'success');
    assert.ok(s.calls.some((c) => c.id === 'c2'));
  });

  test('startup Failure also holds; the new instance starts again from Unknown', async () => {
    const s = setup('startup', { failureThreshold: 2 }, { view: { started: false }, script: ['failure', 'failure'] });
    await s.start();
    await s.step(1000);
    assert.equal(s.results.get('c1'), 'failure');
    await s.step(3000);
    assert.equal(s.calls.length, 2);
    s.view.containerId = 'c2';
    s.view.startedAtMs = s.clock.now();
    await s.step(1000);
    assert.equal(s.results.get('c2'), 'success', 'default script: the new instance passes');
  });

  test('manual trigger runs readiness at once, outside the tick grid', async () => {
    const s = setup('readiness', { periodSeconds: 30 });
    await s.start();
    assert.equal(s.calls.length, 1);
    s.clock.advance(1000);
    s.w.trigger();
    await flush();
    assert.equal(s.calls.length, 2);
    assert.equal(s.calls[1]!.at, s.t0 + 1000);
    assert.equal(s.results.get('c1'), 'success');
    s.w.stop();
  });

  test('initialDelaySeconds counts from the container start, not from the worker start', async () => {
    const s = setup('readiness', { initialDelaySeconds: 5 }, { view: {} });
    s.view.startedAtMs = s.t0 - 2000; // started 2 s before the worker
    await s.start();
    await s.step(10_000);
    assert.ok(s.calls.length > 0);
    assert.ok(s.calls[0]!.at >= s.view.startedAtMs + 5000, 'never before the delay');
    assert.equal(s.calls[0]!.at, s.t0 + 3000, 'first run on the first tick past the delay');
  });

  test('a random first offset within the period only right after the agent started', async () => {
    const recent = setup('liveness', { periodSeconds: 10 }, { recentStart: true, random: 0.5 });
    await recent.start();
    await recent.step(10_000, 500);
    assert.equal(recent.calls[0]!.at, recent.t0 + 5000);
    const old = setup('liveness', { periodSeconds: 10 }, { random: 0.5 });
    await old.start();
    assert.equal(old.calls[0]!.at, old.t0);
    recent.w.stop();
    old.w.stop();
  });

  test('a probe slower than the period never overlaps itself; missed ticks collapse into one run', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const releases: (() => void)[] = [];
    const starts: number[] = [];
    const s = setup(
      'liveness',
      {},
      {
        probe: async () => {
          starts.push(s.clock.now());
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise<void>((r) => releases.push(r));
          inFlight--;
          return 'success';
        },
      },
    );
    await s.start();
    await s.step(3500); // ticks at +1 s, +2 s, +3 s pass while the first run hangs
    assert.equal(starts.length, 1);
    releases.shift()!();
    await flush();
    s.clock.advance(0); // the catch-up tick is due at once
    await flush();
    assert.equal(starts.length, 2, 'one catch-up run, not three');
    assert.equal(starts[1], s.t0 + 3500);
    releases.shift()!();
    await flush();
    await s.step(500); // next grid point: t0 + 4 s
    assert.equal(starts.length, 3);
    assert.equal(starts[2], s.t0 + 4000);
    releases.shift()!();
    await flush();
    assert.equal(maxInFlight, 1);
    s.w.stop();
  });

  test('no cumulative drift: run k starts at t0 + k·period even when each run takes 300 ms', async () => {
    const starts: number[] = [];
    const s = setup(
      'liveness',
      {},
      {
        probe: async () => {
          starts.push(s.clock.now());
          await new Promise<void>((r) => s.clock.setTimeout(r, 300));
          return 'success';
        },
      },
    );
    await s.start();
    await s.step(100 * 1000);
    assert.equal(starts.length, 101);
    starts.forEach((at, k) => {
      assert.equal(at, s.t0 + k * 1000, `run ${k}`);
    });
    s.w.stop();
  });

  test('errored runs are thrown away: they neither count nor break a run of failures', async () => {
    const s = setup('liveness', { failureThreshold: 2 }, { script: ['failure', undefined, undefined, 'failure'] });
    await s.start();
    await s.step(1000);
    await s.step(1000);
    assert.equal(s.results.get('c1'), 'success');
    await s.step(1000);
    assert.equal(s.results.get('c1'), 'failure');
  });

  test('a container that is not running reads Failure; a finished one ends the worker', async () => {
    const s = setup('readiness', {});
    await s.start();
    assert.equal(s.results.get('c1'), 'success');
    s.view.running = false;
    await s.step(1000);
    assert.equal(s.results.get('c1'), 'failure');
    assert.equal(s.exits(), 0);
    s.view.finished = true;
    await s.step(1000);
    assert.equal(s.exits(), 1);
    assert.equal(s.clock.pendingTimers(), 0);
    assert.equal(s.results.get('c1'), undefined);
  });

  test('during deletion liveness reports Success and stops; readiness keeps probing', async () => {
    const live = setup('liveness', { failureThreshold: 1 }, { view: { deleting: true }, script: ['failure'] });
    await live.start();
    assert.equal(live.calls.length, 0);
    assert.equal(live.exits(), 1);
    assert.equal(live.clock.pendingTimers(), 0);
    const ready = setup('readiness', {}, { view: { deleting: true } });
    await ready.start();
    await ready.step(2000);
    assert.equal(ready.calls.length, 3);
    ready.w.stop();
    assert.equal(ready.clock.pendingTimers(), 0);
  });

  test('a terminal pod ends the worker', async () => {
    const s = setup('readiness', {}, { view: { podTerminal: true } });
    await s.start();
    assert.equal(s.exits(), 1);
    assert.equal(s.clock.pendingTimers(), 0);
  });
});

test('prober_probe_total: every run with a result counts (thresholds aside), errored runs do not; stop removes the series', async () => {
  const counted: ProbeMetricResult[] = [];
  let removed = 0;
  const series: ProbeSeries = {
    inc: (r) => counted.push(r),
    remove: () => {
      removed++;
    },
  };
  const s = setup('readiness', {}, { script: ['failure', undefined, 'success', 'success'], series });
  await s.start();
  await s.step(3000);
  assert.deepEqual(counted.slice(0, 3), ['failed', 'successful', 'successful']);
  s.w.stop();
  assert.equal(removed, 1);
});
