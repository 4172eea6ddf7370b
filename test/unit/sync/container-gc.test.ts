// Container GC's choice of what to remove (kuberuntime_gc.go evictContainers,
// evictSandboxes), table-tested as a pure function; then the periodic pass and a
// pod worker's own pruning over the FakeRuntime.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { RuntimeContainer } from '../../../src/runtime/runtime.js';
import {
  DEFAULT_GC_POLICY,
  evictableInPod,
  unknownPods,
  unsettledInstances,
  type GcPolicy,
} from '../../../src/sync/container-gc.js';
import { ContainerGC } from '../../../src/sync/container-gc-loop.js';
import { silentLogger } from '../../../src/util/logger.js';
import { exited, instance, pod, runtimeStatus, sandbox } from '../../fixtures/pods.js';
import { newTestSync } from '../../fakes/sync-harness.js';

const P = pod({ init: ['setup'], containers: ['app', 'side'] });
const NOW = Date.parse('2026-01-01T01:00:00Z');
const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000).toISOString();
const dead = (name: string, id: string, s: number, over: Partial<RuntimeContainer> = {}) =>
  exited(P, name, 1, { id, createdAt: at(s), ...over });
const live = (name: string, id: string, s: number) => instance(P, name, { id, createdAt: at(s) });

describe('evictableInPod: what a pod still wanted loses', () => {
  const cases: {
    name: string;
    containers: RuntimeContainer[];
    sandboxes?: ReturnType<typeof sandbox>[];
    policy?: GcPolicy;
    want: string[];
  }[] = [
    { name: 'one running instance: nothing', containers: [live('app', 'a1', 10)], want: [] },
    {
      name: 'running + one dead: the dead one is the previous instance, kept',
      containers: [live('app', 'a2', 20), dead('app', 'a1', 10)],
      want: [],
    },
    {
      name: 'running + three dead: only the newest dead stays, oldest removed first',
      containers: [live('app', 'a4', 40), dead('app', 'a3', 30), dead('app', 'a2', 20), dead('app', 'a1', 10)],
      want: ['a1', 'a2'],
    },
    {
      name: 'crash-loop back-off (two dead, none running): the newest dead (lastState) stays',
      containers: [dead('app', 'a2', 20), dead('app', 'a1', 10)],
      want: ['a1'],
    },
    {
      name: 'per container name: each keeps its own newest dead; the completed init container stays',
      containers: [
        live('app', 'a2', 40),
        dead('app', 'a1', 30),
        dead('side', 's2', 35),
        dead('side', 's1', 25),
        dead('setup', 'i1', 5, { exitCode: 0 }),
      ],
      want: ['s1'],
    },
    {
      name: 'a created-never-started instance counts as dead (not running)',
      containers: [live('app', 'a3', 30), { ...live('app', 'a2', 20), state: 'created' }, dead('app', 'a1', 10)],
      want: ['a1'],
    },
    {
      name: '--maximum-dead-containers-per-container 2 keeps two',
      containers: [dead('app', 'a3', 30), dead('app', 'a2', 20), dead('app', 'a1', 10)],
      policy: { maxPerPodContainer: 2, minAgeMs: 0 },
      want: ['a1'],
    },
    {
      name: '-1: no per-container limit',
      containers: [dead('app', 'a3', 30), dead('app', 'a2', 20), dead('app', 'a1', 10)],
      policy: { maxPerPodContainer: -1, minAgeMs: 0 },
      want: [],
    },
    {
      name: '--minimum-container-ttl-duration: younger dead containers are not even counted',
      containers: [dead('app', 'a3', 3590), dead('app', 'a2', 20), dead('app', 'a1', 10)],
      policy: { maxPerPodContainer: 1, minAgeMs: 60_000 },
      want: ['a1'],
    },
    {
      name: 'old sandboxes: the newest dead one without containers stays, older ones go, the running one stays',
      containers: [instance(P, 'app', { id: 'a1', createdAt: at(40), sandboxId: 'sb3' })],
      sandboxes: [
        sandbox({ id: 'sb3', attempt: 3, createdAt: at(35) }),
        sandbox({ id: 'sb2', attempt: 2, state: 'exited', createdAt: at(25) }),
        sandbox({ id: 'sb1', attempt: 1, state: 'exited', createdAt: at(15) }),
        sandbox({ id: 'sb0', attempt: 0, state: 'exited', createdAt: at(5) }),
      ],
      want: ['sb1', 'sb0'],
    },
    {
      name: 'a dead sandbox still holding a kept container stays; it frees once that container goes',
      containers: [
        instance(P, 'app', { id: 'a3', createdAt: at(40), sandboxId: 'sb2' }),
        dead('app', 'a2', 30, { sandboxId: 'sb1' }),
        dead('app', 'a1', 20, { sandboxId: 'sb0' }),
      ],
      sandboxes: [
        sandbox({ id: 'sb2', attempt: 2, createdAt: at(35) }),
        sandbox({ id: 'sb1', attempt: 1, state: 'exited', createdAt: at(25) }),
        sandbox({ id: 'sb0', attempt: 0, state: 'exited', createdAt: at(15) }),
      ],
      want: ['a1'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const rt = runtimeStatus(P, c.sandboxes ?? [sandbox()], c.containers);
      assert.deepEqual(evictableInPod(rt, c.policy ?? DEFAULT_GC_POLICY, NOW), c.want);
    });
  }

  test('an instance that died during the sync is not counted: the one before it stays lastState', () => {
    const before = runtimeStatus(P, [sandbox()], [live('app', 'a2', 20), dead('app', 'a1', 10)]);
    const after = runtimeStatus(P, [sandbox()], [dead('app', 'a2', 20), dead('app', 'a1', 10)]);
    const unsettled = unsettledInstances(before, after);
    assert.deepEqual([...unsettled], ['a2']);
    assert.deepEqual(evictableInPod(after, DEFAULT_GC_POLICY, NOW, unsettled), []);
    // The next sync saw both dead from its start: now the older one goes.
    assert.deepEqual(evictableInPod(after, DEFAULT_GC_POLICY, NOW, unsettledInstances(after, after)), ['a1']);
  });

  test('an instance created during the sync (not started yet) is not counted either', () => {
    const before = runtimeStatus(P, [sandbox()], [dead('app', 'a1', 10)]);
    const after = runtimeStatus(
      P,
      [sandbox()],
      [{ ...live('app', 'a2', 20), state: 'created' }, dead('app', 'a1', 10)],
    );
    assert.deepEqual(evictableInPod(after, DEFAULT_GC_POLICY, NOW, unsettledInstances(before, after)), []);
  });
});

describe('unknownPods: only what neither a worker nor the desired set knows', () => {
  const rt = (uid: string) => ({ ...runtimeStatus(P, [sandbox()], []), uid });
  const owner = { hasWorker: (uid: string) => uid === 'worked', isDesired: (uid: string) => uid === 'desired' };
  test('pods with a worker (busy or idle) and desired pods are never chosen', () => {
    assert.deepEqual(unknownPods([rt('worked'), rt('desired'), rt('gone')], [], owner), ['gone']);
  });
  test('leftover volumes or directories of a gone pod are chosen even without containers', () => {
    assert.deepEqual(unknownPods([rt('gone')], ['gone', 'volume-only', 'worked', 'desired'], owner), [
      'gone',
      'volume-only',
    ]);
  });
});

describe('ContainerGC over the FakeRuntime', () => {
  test('removes a pod nobody knows (running containers stopped first) and leftovers of gone pods; leaves known pods alone', async () => {
    const h = newTestSync();
    const workers = h.workers();
    workers.upsert(pod());
    await h.runtime.idle();
    const stray = { ...pod({ name: 'stray' }), metadata: { ...pod().metadata, name: 'stray', uid: 'uid-stray' } };
    const sandboxId = await h.runtime.runSandbox(stray, 0);
    const strayApp = await h.runtime.createContainer({
      pod: stray,
      container: stray.spec.containers[0]!,
      type: 'container',
      sandboxId,
      restartCount: 0,
      env: [],
    });
    await h.runtime.startContainer(strayApp);
    h.runtime.leftovers.add('uid-volume-only');
    h.runtime.leftovers.add('uid-1');
    const gc = new ContainerGC({
      runtime: h.runtime,
      clock: h.clock,
      log: silentLogger(),
      owner: { hasWorker: (uid) => workers.has(uid), isDesired: () => false },
      periodMs: 60_000,
    });
    const before = h.runtime.podRecords('uid-1').map((r) => r.id);
    assert.deepEqual(await gc.collect(), ['uid-stray', 'uid-volume-only']);
    assert.equal(h.runtime.podRecords('uid-stray').length, 0, 'stray pod removed');
    const order = h.runtime.calls.map((c) => `${c.method}:${c.args[0]}`);
    const stopped = order.indexOf(`stopContainer:${strayApp}`);
    assert.ok(stopped >= 0 && stopped < order.indexOf('removePod:uid-stray'), 'stopped, then removed');
    assert.deepEqual(
      h.runtime.podRecords('uid-1').map((r) => r.id),
      before,
      'the known pod keeps every container',
    );
    assert.ok(h.runtime.leftovers.has('uid-1'), "a known pod's volumes stay");
    assert.ok(!h.runtime.leftovers.has('uid-volume-only'));
    await workers.stop();
  });

  test('runs every period on the injected clock, and not after stop()', async () => {
    const h = newTestSync();
    const gc = new ContainerGC({
      runtime: h.runtime,
      clock: h.clock,
      log: silentLogger(),
      owner: { hasWorker: () => false, isDesired: () => false },
      periodMs: 60_000,
    });
    gc.start();
    h.runtime.leftovers.add('gone-1');
    h.clock.advance(59_000);
    await h.runtime.idle();
    assert.ok(h.runtime.leftovers.has('gone-1'), 'not before the period');
    h.clock.advance(1_000);
    await h.runtime.idle();
    assert.ok(!h.runtime.leftovers.has('gone-1'), 'collected after one period');
    await gc.stop();
    h.runtime.leftovers.add('gone-2');
    h.clock.advance(120_000);
    await h.runtime.idle();
    assert.ok(h.runtime.leftovers.has('gone-2'), 'no pass after stop');
  });
});

describe("a pod's worker prunes its own dead instances", () => {
  test('a crash-looping container keeps exactly one dead instance, also while in back-off', async () => {
    const h = newTestSync();
    const p = pod();
    h.admit(p);
    await h.sync(p);
    for (let i = 0; i < 4; i++) {
      h.runtime.exitContainer('uid-1', 'app', 1);
      h.clock.advance(400_000);
      await h.sync(p);
    }
    const apps = () => h.runtime.podRecords('uid-1').filter((r) => !r.sandbox);
    assert.equal(apps().filter((r) => r.status === 'running').length, 1);
    assert.equal(apps().filter((r) => r.status !== 'running').length, 1, 'one previous instance');
    // Dies again; the next sync is held by back-off and still prunes down to one dead.
    h.runtime.exitContainer('uid-1', 'app', 1);
    const r = await h.sync(p);
    assert.ok(r.requeueAfterMs !== undefined, 'in back-off');
    assert.equal(apps().length, 1, 'only the newest dead instance (lastState) is left');
    assert.equal(h.status.getStatus('uid-1')?.containerStatuses?.[0]?.lastState.terminated?.exitCode, 1);
  });
});
