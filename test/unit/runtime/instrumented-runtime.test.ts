// Every engine call through the instrumented runtime is recorded once, with its
// operation type and whether it failed; the result or error passes through unchanged.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { instrumentRuntime, RUNTIME_OPERATIONS } from '../../../src/runtime/instrumented-runtime.js';
import { NO_METRICS, type KubeletMetrics } from '../../../src/metrics/metrics.js';
import type { ContainerRuntime } from '../../../src/runtime/runtime.js';

function recorder() {
  const calls: Array<{ op: string; seconds: number; failed: boolean }> = [];
  const metrics: KubeletMetrics = {
    ...NO_METRICS,
    runtimeOperation: (op, seconds, failed) => calls.push({ op, seconds, failed }),
  };
  return { calls, metrics };
}

test('a call is timed under its operation type; errors are counted and rethrown', async () => {
  const { calls, metrics } = recorder();
  const inner = {
    startContainer: async (id: string) => {
      if (id === 'bad') throw new Error('no such container');
    },
    createContainer: async () => 'c1',
    watch: () => () => undefined,
  } as unknown as ContainerRuntime;
  const rt = instrumentRuntime(inner, metrics);
  assert.equal(await rt.createContainer({} as never), 'c1');
  await rt.startContainer('ok');
  await assert.rejects(rt.startContainer('bad'), /no such container/);
  assert.deepEqual(
    calls.map(({ op, failed }) => ({ op, failed })),
    [
      { op: 'create_container', failed: false },
      { op: 'start_container', failed: false },
      { op: 'start_container', failed: true },
    ],
  );
  for (const c of calls) assert.ok(c.seconds >= 0 && c.seconds < 5);
});

test('every runtime method but watch is instrumented, with the CRI names where one matches', async () => {
  const { calls, metrics } = recorder();
  const methods = Object.keys(RUNTIME_OPERATIONS);
  const inner = Object.fromEntries([...methods.map((m) => [m, async () => m]), ['watch', () => 'unwatch']]);
  const rt = instrumentRuntime(inner as unknown as ContainerRuntime, metrics) as unknown as Record<
    string,
    (...a: unknown[]) => unknown
  >;
  for (const m of methods) assert.equal(await rt[m]!(), m);
  assert.equal(rt.watch!(), 'unwatch');
  assert.deepEqual(
    calls.map((c) => c.op),
    Object.values(RUNTIME_OPERATIONS),
  );
  assert.equal(RUNTIME_OPERATIONS.runSandbox, 'run_podsandbox');
  assert.equal(RUNTIME_OPERATIONS.exec, 'exec_sync');
  assert.equal(RUNTIME_OPERATIONS.pullImage, 'pull_image');
});
