import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { PhaseTimer } from '../../../src/util/phase-timer.js';

test('each mark counts the time since the previous one; a repeated phase adds up', () => {
  let now = 100;
  const t = new PhaseTimer(() => now);
  now = 104;
  t.mark('relist');
  now = 110.04;
  t.mark('sandbox');
  now = 113;
  t.mark('relist');
  now = 115;
  assert.deepEqual(t.summary(), { relist: 7, sandbox: 6, total: 15 });
});

test('no marks: only the total', () => {
  let now = 0;
  const t = new PhaseTimer(() => now);
  now = 2.25;
  assert.deepEqual(t.summary(), { total: 2.3 });
});
