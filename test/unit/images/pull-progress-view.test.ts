import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { PullProgressView } from '../../../src/cli/pull-progress-view.js';
import type { PullSnapshot } from '../../../src/images/pull-progress.js';
import { waitFor } from '../../harness/wait.js';

const snap = (done: number, current: number): PullSnapshot => ({
  image: 'reg.io/app:1',
  pods: ['default/p'],
  phase: 'pulling',
  startedAt: 0,
  layers: { done, total: 2 },
  bytes: { current, total: 2000 },
});

test('plain output: a line when a pull starts and when a layer finishes, not per byte', () => {
  const out: string[] = [];
  const v = new PullProgressView({ write: (s: string) => out.push(s) }, false);
  v.update([snap(0, 10)]);
  v.update([snap(0, 20)]);
  v.update([snap(1, 1000)]);
  v.line('status line');
  v.close();
  assert.deepEqual(out, [
    'pulling reg.io/app:1: 0/2 layers, 10 B / 2.0 kB\n',
    'pulling reg.io/app:1: 1/2 layers, 1.0 kB / 2.0 kB\n',
    'status line\n',
  ]);
});

test('TTY output: bars stay below normal lines and are cleared at the end', async () => {
  const out: string[] = [];
  const v = new PullProgressView({ write: (s: string) => out.push(s), columns: 120 }, true);
  v.update([snap(1, 1000)]);
  // Bars are drawn by a throttled redraw, not by update itself.
  assert.deepEqual(out, []);
  await waitFor('the first redraw', () => out.length > 0, 5000, 5);
  assert.match(out.join(''), /^Pulling reg\.io\/app:1 \[[=> ]+\] {2}50% 1\/2 layers 1\.0 kB\/2\.0 kB\n$/);
  out.length = 0;
  v.line('event');
  assert.deepEqual(out.slice(0, 2), ['\x1b[1A\x1b[J', 'event\n']);
  assert.match(out[2]!, /^Pulling /);
  out.length = 0;
  v.close();
  assert.deepEqual(out, ['\x1b[1A\x1b[J']);
});
