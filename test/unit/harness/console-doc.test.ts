// The guide checker must fail on a wrong output, or the pod-networking guide test proves nothing.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { consoleSteps, matchOutput, substitute } from '../../harness/console-doc.js';

test('consoleSteps: the $ lines of console blocks with their output; other blocks ignored', () => {
  const md = ['```sh', '$ not-run', '```', 'text', '```console', '$ a', 'out 1', 'out 2', '$ b', '```'].join('\n');
  assert.deepEqual(consoleSteps(md), [
    { command: 'a', expected: ['out 1', 'out 2'], line: 6 },
    { command: 'b', expected: [], line: 9 },
  ]);
});

test('matchOutput: placeholders capture, must repeat the same value, and are substituted later', () => {
  const cap = new Map<string, string>();
  assert.ok(matchOutput(['ip <ip>', 'again <ip>'], 'ip 10.0.0.2\nagain 10.0.0.2\n', cap));
  assert.equal(cap.get('ip'), '10.0.0.2');
  assert.ok(!matchOutput(['ip <ip>'], 'ip 10.0.0.3\n', cap), 'a known name must keep its value');
  assert.ok(!matchOutput(['<a> <a>'], 'x y\n', new Map()), 'the same name twice in one output');
  assert.equal(substitute('kill <ip> <other>', cap), 'kill 10.0.0.2 <other>');
});

test('matchOutput: … lines, … in a line, flexible spaces, exact otherwise', () => {
  const cap = new Map<string, string>();
  assert.ok(matchOutput(['head', '…', 'tail'], 'head\nx\ny\ntail\n', cap));
  assert.ok(matchOutput(['head', '…', 'tail'], 'head\ntail\n', cap));
  assert.ok(matchOutput(['NAME   AGE', 'web    …'], 'NAME  AGE   \nweb   5s\n', cap));
  assert.ok(!matchOutput(['hello from web'], 'hello from db\n', cap));
  assert.ok(!matchOutput(['a'], 'a\nextra\n', cap), 'extra lines fail');
  assert.ok(matchOutput([], '\n', cap));
  assert.ok(!matchOutput([], 'unexpected\n', cap));
});
