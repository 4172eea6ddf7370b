import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { humanDuration, shortHumanDuration, timestampSince } from '../../../src/printers/human-duration.js';

const S = 1000,
  M = 60 * S,
  H = 60 * M,
  D = 24 * H,
  Y = 365 * D;

describe('humanDuration', () => {
  const cases: [number, string][] = [
    [-3 * S, '<invalid>'],
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1 * S, '0s'],
    [-500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [59 * S, '59s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    [2 * M + 5 * S, '2m5s'],
    [9 * M + 59 * S, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 30 * S, '10m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [3 * H + 5 * M, '3h5m'],
    [7 * H + 59 * M, '7h59m'],
    [8 * H, '8h'],
    [47 * H + 59 * M, '47h'],
    [48 * H, '2d'],
    [2 * D + 5 * H, '2d5h'],
    [7 * D + 23 * H, '7d23h'],
    [8 * D, '8d'],
    [2 * Y - D, '729d'],
    [2 * Y, '2y'],
    [2 * Y + 10 * D, '2y10d'],
    [8 * Y - D, '7y364d'],
    [8 * Y, '8y'],
    [20 * Y + 100 * D, '20y'],
  ];
  for (const [ms, want] of cases) test(`${ms}ms → ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('shortHumanDuration', () => {
  const cases: [number, string][] = [
    [-2 * S, '<invalid>'],
    [-1 * S, '0s'],
    [59 * S, '59s'],
    [60 * S, '1m'],
    [59 * M, '59m'],
    [H, '1h'],
    [23 * H, '23h'],
    [D, '1d'],
    [364 * D, '364d'],
    [Y, '1y'],
  ];
  for (const [ms, want] of cases) test(`${ms}ms → ${want}`, () => assert.equal(shortHumanDuration(ms), want));
});

test('timestampSince', () => {
  const now = Date.parse('2026-01-01T00:01:00Z');
  assert.equal(timestampSince('2026-01-01T00:00:00Z', now), '60s');
  assert.equal(timestampSince(undefined, now), '<unknown>');
  assert.equal(timestampSince(null, now), '<unknown>');
});
