// settlesWithin: the bounded wait agent shutdown uses for engine calls in flight.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { settlesWithin } from '../../../src/util/abort.js';
import { FakeClock } from '../../fakes/fake-clock.js';

describe('settlesWithin', () => {
  test('true when the work resolves before the time runs out; the timer is cancelled', async () => {
    const clock = new FakeClock();
    assert.equal(await settlesWithin(clock, 5000, Promise.resolve('done')), true);
    assert.equal(clock.pendingTimers(), 0);
  });

  test('false when the time runs out first; the work is not waited for', async () => {
    const clock = new FakeClock();
    const waiting = settlesWithin(clock, 5000, new Promise(() => undefined));
    clock.advance(4999);
    let settled = false;
    void waiting.then(() => {
      settled = true;
    });
    await Promise.resolve();
    assert.equal(settled, false, 'not before the time');
    clock.advance(1);
    assert.equal(await waiting, false);
  });

  test('a rejection within the time is passed on', async () => {
    const clock = new FakeClock();
    await assert.rejects(settlesWithin(clock, 5000, Promise.reject(new Error('engine gone'))), /engine gone/);
  });
});
