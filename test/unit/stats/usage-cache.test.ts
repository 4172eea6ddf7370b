// The usage cache: CPU as a rate between two samples, at most one source request per id
// per period however many readers ask, concurrent readers sharing the one in flight.
import assert from 'node:assert/strict';
import { describe, test } from '../../harness/node-test.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { cpuRate, UsageCache } from '../../../src/stats/usage-cache.js';
import type { UsageSample, UsageSampleSource } from '../../../src/runtime/container-stats.js';

/** A source that counts requests and serves a CPU counter growing at `coresById` cores. */
class CountingSource implements UsageSampleSource {
  calls: { id: string; oneShot: boolean }[] = [];
  cpuNs = new Map<string, number>();
  pending: (() => void)[] = [];
  hold = false;
  fail = false;
  constructor(private readonly clock: FakeClock) {}
  async sample(id: string, oneShot: boolean): Promise<UsageSample> {
    this.calls.push({ id, oneShot });
    if (this.hold) await new Promise<void>((r) => this.pending.push(r));
    if (this.fail) throw new Error('engine down');
    const now = this.clock.now();
    const cpu = this.cpuNs.get(id) ?? 0;
    const memory = { usageBytes: 4096, workingSetBytes: 2048 };
    // A two-point reading: the engine's previous sample one second ago, 0.5 core since.
    return oneShot
      ? { readMs: now, cpuNs: cpu, memory }
      : { readMs: now, cpuNs: cpu, previous: { readMs: now - 1000, cpuNs: cpu - 500_000_000 }, memory };
  }
  count(id: string): number {
    return this.calls.filter((c) => c.id === id).length;
  }
}

describe('cpuRate', () => {
  test('Δns ÷ Δs in nanocores, with the window', () => {
    assert.deepEqual(cpuRate({ readMs: 0, cpuNs: 0 }, { readMs: 15_000, cpuNs: 3e9 }), {
      nanoCores: 200_000_000,
      windowMs: 15_000,
    });
    assert.deepEqual(cpuRate({ readMs: 1000, cpuNs: 10 }, { readMs: 1000.5, cpuNs: 510 }), {
      nanoCores: 1_000_000,
      windowMs: 0.5,
    });
  });
  test('no rate when the counter went backwards (restart) or time did not advance', () => {
    assert.equal(cpuRate({ readMs: 0, cpuNs: 5e9 }, { readMs: 15_000, cpuNs: 1e9 }), undefined);
    assert.equal(cpuRate({ readMs: 10, cpuNs: 0 }, { readMs: 10, cpuNs: 1 }), undefined);
  });
});

describe('UsageCache', () => {
  const PERIOD = 15_000;
  const setup = () => {
    const clock = new FakeClock();
    const src = new CountingSource(clock);
    const errors: string[] = [];
    const cache = new UsageCache(src, clock, PERIOD, (id) => errors.push(id));
    return { clock, src, cache, errors };
  };

  test('N readers in one period: one request per container', async () => {
    const { clock, src, cache } = setup();
    for (let i = 0; i < 10; i++) {
      await Promise.all([cache.get('a'), cache.get('b')]);
      clock.advance(1000);
    }
    assert.equal(src.count('a'), 1);
    assert.equal(src.count('b'), 1);
    clock.advance(PERIOD);
    await cache.get('a');
    assert.equal(src.count('a'), 2, 'a new period: one more request');
  });

  test('concurrent readers share the one request in flight', async () => {
    const { src, cache } = setup();
    src.hold = true;
    const readers = Array.from({ length: 5 }, () => cache.get('a'));
    assert.equal(src.count('a'), 1);
    for (const r of src.pending) r();
    const results = await Promise.all(readers);
    assert.ok(results.every((r) => r === results[0]));
    assert.equal(src.count('a'), 1);
  });

  test('first read: a two-point reading gives a rate at once; then one-shot against the held sample', async () => {
    const { clock, src, cache } = setup();
    src.cpuNs.set('a', 10e9);
    const first = await cache.get('a');
    assert.deepEqual(src.calls[0], { id: 'a', oneShot: false });
    assert.deepEqual(first?.cpu, { nanoCores: 500_000_000, windowMs: 1000 });
    assert.equal(first?.memory.workingSetBytes, 2048);
    clock.advance(PERIOD);
    src.cpuNs.set('a', 10e9 + 3e9); // 3 s of CPU in 15 s: 200m
    const second = await cache.get('a');
    assert.deepEqual(src.calls[1], { id: 'a', oneShot: true });
    assert.deepEqual(second?.cpu, { nanoCores: 200_000_000, windowMs: PERIOD });
    assert.equal(second?.cpuNs, 13e9);
  });

  test('a held sample older than two periods is not averaged over: a fresh two-point reading', async () => {
    const { clock, src, cache } = setup();
    await cache.get('a');
    clock.advance(3 * PERIOD);
    await cache.get('a');
    assert.deepEqual(
      src.calls.map((c) => c.oneShot),
      [false, false],
    );
  });

  test('a restarted container (counter lower): no rate this period', async () => {
    const { clock, src, cache } = setup();
    src.cpuNs.set('a', 50e9);
    await cache.get('a');
    clock.advance(PERIOD);
    src.cpuNs.set('a', 1e9);
    const u = await cache.get('a');
    assert.equal(u?.cpu, undefined);
    assert.equal(u?.cpuNs, 1e9);
  });

  test('a failing source: undefined, reported, and not asked again within the period', async () => {
    const { clock, src, cache, errors } = setup();
    src.fail = true;
    assert.equal(await cache.get('a'), undefined);
    assert.equal(await cache.get('a'), undefined);
    assert.equal(src.count('a'), 1);
    assert.deepEqual(errors, ['a']);
    clock.advance(PERIOD);
    src.fail = false;
    assert.ok(await cache.get('a'));
  });

  test('retain forgets containers that are gone', async () => {
    const { cache } = setup();
    await Promise.all([cache.get('a'), cache.get('b')]);
    cache.retain(new Set(['b']));
    assert.equal(cache.size(), 1);
  });
});
