// Decoding the engine's GET /containers/{id}/stats: cumulative CPU, the previous sample
// when the engine gives one, and the working set by cAdvisor's rule on cgroup v1 and v2.
import assert from 'node:assert/strict';
import { describe, test } from '../../harness/node-test.js';
import {
  DockerStatsSource,
  parseEngineTime,
  sampleFromDockerStats,
  workingSetBytes,
} from '../../../src/runtime/container-stats.js';

test('working set = usage - inactive_file: cgroup v1 uses total_inactive_file, v2 inactive_file', () => {
  assert.equal(workingSetBytes(2293760, { total_inactive_file: 1941504, inactive_file: 10 }), 352256);
  assert.equal(workingSetBytes(8192, { inactive_file: 4096 }), 4096);
  assert.equal(workingSetBytes(8192, undefined), 8192);
  assert.equal(workingSetBytes(4096, { inactive_file: 8192 }), 0, 'never negative');
});

test('engine times keep the sub-millisecond part; Go zero time is no sample', () => {
  assert.equal(parseEngineTime('2026-12-02T12:41:11.358798551Z'), Date.parse('2026-12-02T12:41:11Z') + 358.798551);
  assert.equal(parseEngineTime('2026-12-02T12:41:11Z'), Date.parse('2026-12-02T12:41:11Z'));
  assert.equal(parseEngineTime('0001-01-01T00:00:00Z'), undefined);
  assert.equal(parseEngineTime(undefined), undefined);
});

// Trimmed from a real answer of Docker 20.10 (API 1.41) on cgroup v1.
const ONE_SHOT = {
  read: '2026-12-02T12:41:11.358798551Z',
  preread: '0001-01-01T00:00:00Z',
  cpu_stats: { cpu_usage: { total_usage: 558697626 } },
  precpu_stats: { cpu_usage: { total_usage: 0 } },
  memory_stats: {
    usage: 2293760,
    stats: {
      total_inactive_file: 1941504,
      inactive_file: 1941504,
      total_rss: 57344,
      total_pgfault: 1159,
      total_pgmajfault: 1,
    },
  },
};

test('a one-shot answer: one point, no previous sample, memory figures', () => {
  const s = sampleFromDockerStats(ONE_SHOT);
  assert.equal(s.cpuNs, 558697626);
  assert.equal(s.previous, undefined);
  assert.deepEqual(s.memory, {
    usageBytes: 2293760,
    workingSetBytes: 352256,
    rssBytes: 57344,
    pageFaults: 1159,
    majorPageFaults: 1,
  });
});

test('a two-cycle answer: precpu_stats is the previous point', () => {
  const s = sampleFromDockerStats({
    ...ONE_SHOT,
    read: '2026-12-02T12:41:13.366955673Z',
    preread: '2026-12-02T12:41:12.362781594Z',
    cpu_stats: { cpu_usage: { total_usage: 1058946563 } },
    precpu_stats: { cpu_usage: { total_usage: 809776962 } },
  });
  assert.equal(s.previous?.cpuNs, 809776962);
  assert.ok(Math.abs(s.readMs - s.previous!.readMs - 1004.174079) < 1e-3);
});

test('a stopped container (no reading) is an error, not zeros', () => {
  assert.throws(() => sampleFromDockerStats({ read: '0001-01-01T00:00:00Z', cpu_stats: {} }), /no stats sample/);
});

describe('DockerStatsSource', () => {
  const answer = { read: '2026-12-02T12:41:11Z', cpu_stats: { cpu_usage: { total_usage: 5 } }, memory_stats: {} };

  test('bounds the requests in flight and passes one-shot through', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: boolean[] = [];
    const src = new DockerStatsSource(
      {
        async containerStats(_id, oneShot) {
          seen.push(oneShot);
          peak = Math.max(peak, ++inFlight);
          await new Promise((r) => setTimeout(r, 20));
          inFlight--;
          return answer;
        },
      },
      { concurrency: 2 },
    );
    await Promise.all(Array.from({ length: 6 }, (_, i) => src.sample(`c${i}`, i % 2 === 0)));
    assert.equal(peak, 2);
    assert.deepEqual(seen, [true, false, true, false, true, false]);
  });

  test('a hung engine: the request is abandoned at the deadline, counted as a failed operation', async () => {
    const ops: [string, boolean][] = [];
    const src = new DockerStatsSource(
      {
        containerStats: (_id, _oneShot, signal) =>
          new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
      },
      {
        concurrency: 1,
        timeoutMs: 50,
        metrics: { runtimeOperation: (op: string, _s: number, failed: boolean) => ops.push([op, failed]) } as never,
      },
    );
    // AbortSignal.timeout's timer does not hold the event loop open: this test's does.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      await assert.rejects(src.sample('c', true), /timeout|aborted/i);
    } finally {
      clearInterval(keepAlive);
    }
    assert.deepEqual(ops, [['container_stats', true]]);
  });
});
