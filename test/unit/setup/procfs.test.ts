import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isAlive, parsePid, parseStatState, processName, processState, waitGone } from '../../../src/setup/procfs.js';
import { waitFor } from '../../harness/wait.js';

test('parses the state even when comm holds spaces and parentheses', () => {
  assert.equal(parseStatState('123 (a b) c) Z 1 2 3'), 'Z');
  assert.equal(parseStatState('1 (dockerd) S 0 1 1'), 'S');
  assert.equal(parseStatState('garbage'), undefined);
});

test('parses pidfiles strictly', () => {
  assert.equal(parsePid('123\n'), 123);
  assert.equal(parsePid(' 7 '), 7);
  assert.equal(parsePid('0'), undefined);
  assert.equal(parsePid('12a'), undefined);
  assert.equal(parsePid(''), undefined);
});

test('this process is alive and named node', () => {
  assert.equal(isAlive(process.pid), true);
  assert.match(processName(process.pid) ?? '', /node/);
  assert.equal(processState(4194303), undefined);
  assert.equal(isAlive(4194303), false);
});

test('a zombie is not alive, though it still exists (kill -0 would say it is)', async () => {
  // The background child exits once its parent has become `sleep`, which never reaps it.
  // (A child that exits before the exec may be reaped by the shell itself: no zombie.)
  const sh = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 3'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = await new Promise<number>((resolve) =>
    sh.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  try {
    await waitFor('the child to become a zombie', () => processState(pid) === 'Z', 2000, 20);
    assert.equal(isAlive(pid), false);
    assert.equal(await waitGone(pid, 100), false);
  } finally {
    // Its parent gone, the zombie is left to init to reap.
    sh.kill('SIGKILL');
  }
});
