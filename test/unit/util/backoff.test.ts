import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Backoff } from '../../../src/util/backoff.js';
import { goDuration } from '../../../src/util/go-duration.js';
import { FakeClock } from '../../fakes/fake-clock.js';

test('first failure has no entry, so the first restart is immediate', () => {
  const clock = new FakeClock();
  const b = new Backoff(clock, 10_000, 300_000, 600_000);
  assert.equal(b.isInBackOffSince('k', clock.now()), false);
});

test('delays double from base to the cap: 10, 20, 40, 80, 160, 300, 300 s', () => {
  const clock = new FakeClock();
  const b = new Backoff(clock, 10_000, 300_000, 600_000);
  const seen: number[] = [];
  for (let i = 0; i < 7; i++) {
    seen.push(b.next('k', clock.now()));
    clock.advance(1000);
  }
  assert.deepEqual(seen, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
});

test('in back-off while now - finishedAt < delay, out of it afterwards', () => {
  const clock = new FakeClock();
  const b = new Backoff(clock, 10_000, 300_000, 600_000);
  const finished = clock.now();
  b.next('k', finished);
  clock.advance(9_999);
  assert.equal(b.isInBackOffSince('k', finished), true);
  assert.equal(b.remaining('k', finished), 1);
  clock.advance(1);
  assert.equal(b.isInBackOffSince('k', finished), false);
  assert.equal(b.remaining('k', finished), 0);
});

test('an entry not updated for longer than the reset window starts again at base', () => {
  const clock = new FakeClock();
  const b = new Backoff(clock, 10_000, 300_000, 600_000);
  b.next('k', clock.now());
  b.next('k', clock.now());
  assert.equal(b.get('k'), 20_000);
  clock.advance(600_001);
  assert.equal(b.isInBackOffSince('k', clock.now()), false);
  assert.equal(b.next('k', clock.now()), 10_000);
});

test("keys are independent and resetPrefix drops a pod's entries", () => {
  const clock = new FakeClock();
  const b = new Backoff(clock, 10, 100);
  b.next('pod1/a');
  b.next('pod1/a');
  b.next('pod2/a');
  assert.equal(b.get('pod1/a'), 20);
  assert.equal(b.get('pod2/a'), 10);
  b.resetPrefix('pod1/');
  assert.equal(b.get('pod1/a'), 0);
  assert.equal(b.get('pod2/a'), 10);
});

test('goDuration prints back-off delays like Go time.Duration', () => {
  const cases: [number, string][] = [
    [10_000, '10s'],
    [40_000, '40s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
    [3_600_000, '1h0m0s'],
    [0, '0s'],
  ];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want, `${ms}`);
});
