import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { cpuQuota, cpuShares, memoryBytes } from '../../../src/runtime/quantity.js';
import { parseQuantity } from '../../../src/apis/core/quantity.js';

test('memory quantities', () => {
  assert.equal(memoryBytes('10Mi'), 10 * 1024 * 1024);
  assert.equal(memoryBytes('1Gi'), 2 ** 30);
  assert.equal(memoryBytes('64Ki'), 65536);
  assert.equal(memoryBytes('1k'), 1000);
  assert.equal(memoryBytes('1K'), 1000);
  assert.equal(memoryBytes('128M'), 128e6);
  assert.equal(memoryBytes('2G'), 2e9);
  assert.equal(memoryBytes('12345'), 12345);
  assert.equal(memoryBytes(4096), 4096);
  assert.equal(memoryBytes('1e3'), 1000);
  assert.equal(memoryBytes('1.5Mi'), 1.5 * 2 ** 20);
});

test('cpu quantities', () => {
  // MilliCPUToQuota over the 100 ms period, at least 1 ms.
  assert.equal(cpuQuota('500m'), 50_000);
  assert.equal(cpuQuota('1'), 100_000);
  assert.equal(cpuQuota(2), 200_000);
  assert.equal(cpuQuota('1m'), 1000);
  assert.equal(cpuShares('100m'), 102);
  assert.equal(cpuShares('1m'), 2);
  assert.equal(cpuShares('1'), 1024);
});

test('invalid quantities throw', () => {
  for (const q of ['', 'abc', '10Mb', '-1', '1.2.3', 'Mi'])
    assert.throws(() => parseQuantity(q), /invalid quantity/, q);
});
