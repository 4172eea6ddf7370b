import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { lazy } from '../../../src/util/lazy.js';

test('nothing is loaded until the first call', async () => {
  let loads = 0;
  const get = lazy(async () => ++loads);
  assert.equal(loads, 0);
  assert.equal(await get(), 1);
  assert.equal(loads, 1);
});

test('concurrent and later callers share the one load', async () => {
  let loads = 0;
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const get = lazy(async () => {
    loads++;
    await gate;
    return { id: loads };
  });
  const a = get();
  const b = get();
  release();
  const [x, y] = await Promise.all([a, b]);
  assert.equal(loads, 1);
  assert.equal(x, y);
  assert.equal(await get(), x);
  assert.equal(loads, 1);
});

test('a failed load is not cached: the next call loads again', async () => {
  let loads = 0;
  const get = lazy(async () => {
    loads++;
    if (loads === 1) throw new Error('transient');
    return 'ok';
  });
  await assert.rejects(get(), /transient/);
  assert.equal(await get(), 'ok');
  assert.equal(loads, 2);
  assert.equal(await get(), 'ok');
  assert.equal(loads, 2);
});
