import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { PullState, formatPullBar, formatPullLine } from '../../../src/images/pull-progress.js';

test('progress: bytes and layers from the engine messages', () => {
  const s = new PullState('reg.io/app:1', 0);
  s.phase = 'pulling';
  s.update({ id: '1', status: 'Pulling from app' });
  for (const id of ['aaaaaaaaaaaa', 'bbbbbbbbbbbb', 'cccccccccccc']) s.update({ id, status: 'Pulling fs layer' });
  s.update({ id: 'cccccccccccc', status: 'Already exists' });
  s.update({ id: 'aaaaaaaaaaaa', status: 'Downloading', current: 500, total: 1000 });
  s.update({ id: 'bbbbbbbbbbbb', status: 'Downloading', current: 1000, total: 3000 });
  assert.deepEqual(s.snapshot().bytes, { current: 1500, total: 4000 });
  assert.deepEqual(s.snapshot().layers, { done: 1, total: 3 });
  s.update({ id: 'aaaaaaaaaaaa', status: 'Download complete' });
  s.update({ id: 'aaaaaaaaaaaa', status: 'Pull complete' });
  assert.deepEqual(s.snapshot().bytes, { current: 2000, total: 4000 });
  assert.equal(formatPullLine(s.snapshot()), 'reg.io/app:1: 2/3 layers, 2.0 kB / 4.0 kB');
  assert.equal(formatPullBar(s.snapshot(), 10), 'reg.io/app:1 [====>     ]  50% 2/3 layers 2.0 kB/4.0 kB');
  assert.equal(s.snapshot().status, 'Pulling from app');
});
