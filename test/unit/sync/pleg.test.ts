import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Pleg } from '../../../src/sync/pleg.js';
import type { ContainerRuntime, ContainerStateSummary } from '../../../src/runtime/runtime.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { NO_METRICS, type KubeletMetrics } from '../../../src/metrics/metrics.js';

function setup() {
  let states: ContainerStateSummary[] = [];
  const woken: string[] = [];
  const runtime = { listContainerStates: async () => states } as unknown as ContainerRuntime;
  const pleg = new Pleg({
    runtime,
    clock: new FakeClock(),
    log: silentLogger(),
    periodMs: 1000,
    onChange: (uid) => woken.push(uid),
  });
  return {
    pleg,
    woken,
    set: (s: ContainerStateSummary[]) => {
      states = s;
    },
  };
}

test('PLEG wakes only the pods whose containers changed between relists', async () => {
  const { pleg, woken, set } = setup();
  set([
    { id: 'a1', podUid: 'A', state: 'running' },
    { id: 'b1', podUid: 'B', state: 'running' },
  ]);
  await pleg.relist();
  assert.deepEqual(woken.sort(), ['A', 'B'], 'first sight of a pod is a change');
  woken.length = 0;
  await pleg.relist();
  assert.deepEqual(woken, [], 'nothing changed');
  set([
    { id: 'a1', podUid: 'A', state: 'exited' },
    { id: 'b1', podUid: 'B', state: 'running' },
  ]);
  await pleg.relist();
  assert.deepEqual(woken, ['A'], 'a state change');
  woken.length = 0;
  set([
    { id: 'a1', podUid: 'A', state: 'exited' },
    { id: 'a2', podUid: 'A', state: 'created' },
    { id: 'b1', podUid: 'B', state: 'running' },
  ]);
  await pleg.relist();
  assert.deepEqual(woken, ['A'], 'a new container');
  woken.length = 0;
  set([
    { id: 'a1', podUid: 'A', state: 'exited' },
    { id: 'a2', podUid: 'A', state: 'created' },
  ]);
  await pleg.relist();
  assert.deepEqual(woken, ['B'], 'every container of a pod gone');
});

test('PLEG relists on its period until stopped', async () => {
  let lists = 0;
  const clock = new FakeClock();
  const runtime = {
    listContainerStates: async () => {
      lists++;
      return [];
    },
  } as unknown as ContainerRuntime;
  const pleg = new Pleg({ runtime, clock, log: silentLogger(), periodMs: 1000, onChange: () => undefined });
  pleg.start();
  clock.advance(1000);
  await new Promise((r) => setImmediate(r));
  clock.advance(1000);
  await new Promise((r) => setImmediate(r));
  assert.equal(lists, 2);
  pleg.stop();
  clock.advance(5000);
  await new Promise((r) => setImmediate(r));
  assert.equal(lists, 2);
  assert.equal(clock.pendingTimers(), 0);
});

test('PLEG relist sets kubelet_running_pods (running sandboxes) and kubelet_running_containers by state', async () => {
  const seen: Array<{ pods: number; containers: Record<string, number> }> = [];
  const metrics: KubeletMetrics = { ...NO_METRICS, setRunning: (pods, containers) => seen.push({ pods, containers }) };
  const recording = new Pleg({
    runtime: { listContainerStates: async () => states() } as unknown as ContainerRuntime,
    clock: new FakeClock(),
    log: silentLogger(),
    periodMs: 1000,
    onChange: () => undefined,
    metrics,
  });
  const states = (): ContainerStateSummary[] => [
    { id: 'pa', podUid: 'A', state: 'running', sandbox: true },
    { id: 'a1', podUid: 'A', state: 'running' },
    { id: 'a0', podUid: 'A', state: 'exited' },
    { id: 'pb', podUid: 'B', state: 'exited', sandbox: true },
    { id: 'b1', podUid: 'B', state: 'created' },
    { id: 'c1', podUid: 'C', state: 'paused' },
    { id: 'c2', podUid: 'C', state: 'dead' },
  ];
  await recording.relist();
  assert.deepEqual(seen, [{ pods: 1, containers: { running: 2, exited: 2, created: 1, unknown: 0 } }]);
});
