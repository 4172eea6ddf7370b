// Engine faults without an engine: the PLEG relist is the runtime health check (down on
// an unreachable engine, retries backing off 1 s → 30 s, up when it answers), and the
// pod workers follow the health (pods marked not ready, no syncs while down, every pod
// synced when back). The real-engine scenario is test/integration/durability/engine-faults.test.ts.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Pleg, ENGINE_RETRY_MAX_MS } from '../../../src/sync/pleg.js';
import type { ContainerRuntime } from '../../../src/runtime/runtime.js';
import { RuntimeHealth, isEngineUnreachable } from '../../../src/runtime/runtime-health.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { silentLogger } from '../../../src/util/logger.js';
import { pod } from '../../fixtures/pods.js';
import { newTestSync } from '../../fakes/sync-harness.js';

const UID = 'uid-1';
const refused = () => Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), { code: 'ECONNREFUSED' });
const flush = () => new Promise((r) => setImmediate(r));

describe('RuntimeHealth through the PLEG relist', () => {
  test('down on an unreachable engine, retries backing off 1 s doubling to 30 s, up when it answers', async () => {
    let up = false;
    let relists = 0;
    const runtime = {
      listContainerStates: async () => {
        relists++;
        if (!up) throw refused();
        return [];
      },
    } as unknown as ContainerRuntime;
    const clock = new FakeClock();
    const health = new RuntimeHealth();
    const changes: boolean[] = [];
    health.onChange((u) => changes.push(u));
    const pleg = new Pleg({ runtime, clock, log: silentLogger(), periodMs: 1000, onChange: () => {}, health });
    pleg.start();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = relists;
      let waited = 0;
      while (relists === before) {
        clock.advance(1000);
        waited += 1000;
        await flush();
      }
      delays.push(waited);
    }
    assert.equal(health.isUp(), false);
    assert.match(health.reason(), /^container runtime is down: connect ECONNREFUSED/);
    assert.deepEqual(delays, [1000, 1000, 2000, 4000, 8000, 16000, ENGINE_RETRY_MAX_MS]);
    assert.deepEqual(changes, [false], 'one transition, not one per retry');
    up = true;
    clock.advance(ENGINE_RETRY_MAX_MS);
    await flush();
    assert.equal(health.isUp(), true);
    assert.equal(health.reason(), '');
    assert.deepEqual(changes, [false, true]);
    pleg.stop();
  });

  test('only socket-level failures count as the engine being down', () => {
    assert.equal(isEngineUnreachable(refused()), true);
    assert.equal(isEngineUnreachable(Object.assign(new Error('x'), { code: 'ENOENT' })), true);
    assert.equal(
      isEngineUnreachable(Object.assign(new Error('(HTTP code 500) server error'), { statusCode: 500 })),
      false,
    );
  });
});

describe('pod workers while the runtime is down', () => {
  test('pods marked not ready (NodeNotReady), no sync while down, every pod synced when back', async () => {
    const h = newTestSync();
    const workers = h.workers({ start: true });
    workers.upsert(pod());
    await h.runtime.idle();
    assert.equal(h.status.getStatus(UID)?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');

    h.runtimeHealth.markDown('connect ENOENT /var/run/docker.sock');
    const ready = h.status.getStatus(UID)?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.ok(h.events.forPod(UID).some((e) => e.reason === 'NodeNotReady' && e.message === 'Node is not ready'));

    const calls = h.runtime.calls.length;
    h.runtime.exitContainer(UID, 'app', 137);
    workers.get(UID)!.wake();
    await h.runtime.idle();
    assert.equal(h.runtime.calls.length, calls, 'no engine call from a sync while the runtime is down');

    h.runtimeHealth.markUp();
    await h.runtime.idle();
    assert.deepEqual(h.runtime.running(UID), ['app'], 'restarted once the runtime is back');
    assert.equal(h.status.getStatus(UID)?.containerStatuses?.[0]?.restartCount, 1);
    assert.equal(h.status.getStatus(UID)?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    await workers.stop();
  });
});
