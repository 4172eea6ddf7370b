import assert from 'node:assert/strict';
import type { EngineImage } from '../../../src/runtime/runtime.js';
import { bytesToFree, ImageGC, imagesToRemove } from '../../../src/images/image-gc.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeRuntime } from '../../fakes/fake-runtime.js';
import { describe, test } from '../../harness/node-test.js';

const img = (id: string, sizeBytes: number): EngineImage => ({ id, names: [`${id}:1`], sizeBytes, createdMs: 0 });
const policy = { highThresholdPercent: 85, lowThresholdPercent: 80, minAgeMs: 120_000 };

describe('image GC decisions (image_gc_manager.go)', () => {
  test('nothing to free below HIGH; down to LOW above it', () => {
    assert.equal(bytesToFree({ capacityBytes: 1000, availableBytes: 200 }, policy), 0); // 80 % used
    assert.equal(bytesToFree({ capacityBytes: 1000, availableBytes: 100 }, policy), 100); // 90 % → 80 %
    assert.equal(bytesToFree({ capacityBytes: 0, availableBytes: 0 }, policy), 0);
  });

  test('in-use and too-young images stay; least recently used go first, until enough is freed', () => {
    const images = [img('a', 50), img('b', 50), img('c', 50), img('young', 500), img('used', 500)];
    const records = new Map([
      ['a', { firstDetectedMs: 0, lastUsedMs: 300 }],
      ['b', { firstDetectedMs: 0, lastUsedMs: 100 }],
      ['c', { firstDetectedMs: 0, lastUsedMs: 200 }],
      ['young', { firstDetectedMs: 990_000, lastUsedMs: 0 }],
      ['used', { firstDetectedMs: 0, lastUsedMs: 0 }],
    ]);
    const out = imagesToRemove(images, new Set(['used']), records, 1_000_000, 120_000, 60);
    assert.deepEqual(
      out.map((i) => i.id),
      ['b', 'c'],
    );
  });
});

describe('ImageGC on the fake runtime', () => {
  test('a pass over the threshold removes unused old images only; below it, none', async () => {
    const clock = new FakeClock(1_000_000);
    const runtime = new FakeRuntime(clock);
    runtime.engineImages = [img('old', 100), img('inuse', 100)];
    runtime.imagesInUse = new Set(['inuse']);
    let disk = { capacityBytes: 1000, availableBytes: 500 };
    const gc = new ImageGC({
      runtime,
      clock,
      log: silentLogger(),
      policy: { highThresholdPercent: 40, lowThresholdPercent: 10, minAgeMs: 60_000 },
      diskUsage: () => disk,
    });
    assert.deepEqual(await gc.garbageCollect(), [], 'first seen now: too young');
    clock.advance(60_000);
    disk = { capacityBytes: 1000, availableBytes: 700 }; // 30 % used: below HIGH
    assert.deepEqual(await gc.garbageCollect(), []);
    disk = { capacityBytes: 1000, availableBytes: 500 }; // 50 % used
    const removed = await gc.garbageCollect();
    assert.deepEqual(
      removed.map((i) => i.id),
      ['old'],
    );
    assert.deepEqual(runtime.removedImages, ['old']);
  });
});
