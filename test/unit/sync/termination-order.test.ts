// killPod in a pod with sidecars (kubelet 1.32 killContainersWithSyncResult + the
// terminationOrdering of kuberuntime_termination_order.go): app containers get their stop
// signal first; each sidecar waits, within its remaining grace, for every app container
// and every later sidecar to exit, so sidecars stop in reverse order of declaration.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Container, ValidPod } from '../../../src/apis/core/types.js';
import type { RuntimeContainer } from '../../../src/runtime/runtime.js';
import { killPod } from '../../../src/sync/kill-pod.js';
import { pod } from '../../fixtures/pods.js';
import { newTestSync } from '../../fakes/sync-harness.js';

const UID = 'uid-1';
type Harness = ReturnType<typeof newTestSync>;

const box = (name: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: 'minikubelet.local/busybox:1.35',
  imagePullPolicy: 'IfNotPresent',
  ...extra,
});
const sidecar = (name: string, extra: Partial<Container> = {}) => box(name, { restartPolicy: 'Always', ...extra });

/** init: [sc1 (sidecar), i1, sc2 (sidecar)], containers: [a, b]; TGPS 30. */
function sidecarPod(over: { sc1?: Partial<Container> } = {}): ValidPod {
  const p = pod({ containers: ['a', 'b'] });
  return { ...p, spec: { ...p.spec, initContainers: [sidecar('sc1', over.sc1), box('i1'), sidecar('sc2')] } };
}

/** Syncs (finishing the regular init container) until every app container runs. */
async function runUp(h: Harness, p: ValidPod): Promise<Map<string, RuntimeContainer>> {
  h.admit(p);
  for (let i = 0; i < 10 && !h.runtime.running(UID).includes('a'); i++) {
    await h.sync(p);
    if (h.runtime.running(UID).includes('i1')) h.runtime.exitContainer(UID, 'i1', 0);
  }
  assert.deepEqual(h.runtime.running(UID).sort(), ['a', 'b', 'sc1', 'sc2']);
  const rt = await h.runtime.getPodStatus(UID);
  return new Map(rt.containers.filter((c) => c.state === 'running').map((c) => [c.name, c]));
}

/** Names of the containers given a stop call so far, in call order, with the grace each got. */
function stops(h: Harness, byName: Map<string, RuntimeContainer>): [string, number][] {
  const names = new Map([...byName].map(([n, c]) => [c.id, n]));
  return h.runtime.callsOf('stopContainer').map((c) => [names.get(c.args[0] as string)!, c.args[1] as number]);
}
/** The stop calls' names, the two app containers (stopped together, in any order) sorted. */
function order(h: Harness, byName: Map<string, RuntimeContainer>): string[] {
  const n = stops(h, byName).map(([name]) => name);
  return [...n.slice(0, 2).sort(), ...n.slice(2)];
}
const idOf = (byName: Map<string, RuntimeContainer>, name: string) => byName.get(name)!.id;

describe('killPod with sidecars: app containers first, then sidecars in reverse order', () => {
  test('sidecars wait for every app container, and each for the sidecar declared after it', async () => {
    const h = newTestSync();
    const p = sidecarPod();
    const byName = await runUp(h, p);
    const appA = h.runtime.block('stopContainer', (id) => id === idOf(byName, 'a'));
    const sc2 = h.runtime.block('stopContainer', (id) => id === idOf(byName, 'sc2'));
    const done = killPod(h.deps, p, await h.runtime.getPodStatus(UID));
    await h.runtime.idle();
    // a is still stopping: no sidecar has had its stop signal.
    assert.deepEqual(order(h, byName), ['a', 'b']);
    appA.release();
    await h.runtime.idle();
    // sc2 (declared last) is stopping; sc1 still waits for it.
    assert.deepEqual(order(h, byName), ['a', 'b', 'sc2']);
    sc2.release();
    await done;
    assert.deepEqual(order(h, byName), ['a', 'b', 'sc2', 'sc1']);
    // Nothing waited on the clock: every container got the whole grace.
    assert.deepEqual(
      stops(h, byName).map(([, g]) => g),
      [30, 30, 30, 30],
    );
    assert.ok(h.runtime.callsOf('stopSandbox').length > 0, 'the sandbox stops after every container');
  });

  test('a sidecar gets what is left of the grace after its wait, in whole seconds', async () => {
    const h = newTestSync();
    const p = sidecarPod();
    const byName = await runUp(h, p);
    const appA = h.runtime.block('stopContainer', (id) => id === idOf(byName, 'a'));
    const done = killPod(h.deps, p, await h.runtime.getPodStatus(UID));
    await h.runtime.idle();
    h.clock.advance(12_500);
    appA.release();
    await done;
    // 30 s - floor(12.5 s waited) = 18 s for both sidecars (sc1's own wait also took 12.5 s).
    assert.deepEqual(order(h, byName), ['a', 'b', 'sc2', 'sc1']);
    assert.deepEqual(
      stops(h, byName).map(([, g]) => g),
      [30, 30, 18, 18],
    );
  });

  test('when the grace runs out before the app exits, the sidecars are stopped with the 2 s minimum', async () => {
    const h = newTestSync();
    const p = sidecarPod();
    const byName = await runUp(h, p);
    const appA = h.runtime.block('stopContainer', (id) => id === idOf(byName, 'a'));
    const done = killPod(h.deps, p, await h.runtime.getPodStatus(UID));
    await h.runtime.idle();
    h.clock.advance(29_000);
    await h.runtime.idle();
    assert.equal(stops(h, byName).length, 2, 'still within the grace: the sidecars wait');
    h.clock.advance(1_000);
    await h.runtime.idle();
    const sidecarStops = stops(h, byName).filter(([n]) => n.startsWith('sc'));
    assert.deepEqual(sidecarStops.map(([, g]) => g).sort(), [2, 2], 'the grace is spent: minimumGracePeriodInSeconds');
    appA.release();
    await done;
  });

  test('a sidecar that is not running (exited, waiting out its back-off) holds nobody', async () => {
    const h = newTestSync();
    const p = sidecarPod();
    const byName = await runUp(h, p);
    h.runtime.exitContainer(UID, 'sc2', 1);
    const appA = h.runtime.block('stopContainer', (id) => id === idOf(byName, 'a'));
    const done = killPod(h.deps, p, await h.runtime.getPodStatus(UID));
    await h.runtime.idle();
    assert.deepEqual(order(h, byName), ['a', 'b']);
    appA.release();
    await done;
    assert.deepEqual(order(h, byName), ['a', 'b', 'sc1']);
  });

  test("a sidecar's preStop hook runs at once, beside the app containers' stop; its stop signal still waits", async () => {
    const h = newTestSync();
    const p = sidecarPod({ sc1: { lifecycle: { preStop: { exec: { command: ['/bin/true'] } } } } });
    const byName = await runUp(h, p);
    const appA = h.runtime.block('stopContainer', (id) => id === idOf(byName, 'a'));
    const done = killPod(h.deps, p, await h.runtime.getPodStatus(UID));
    await h.runtime.idle();
    const execs = h.runtime.callsOf('exec').map((c) => c.args[0]);
    assert.deepEqual(execs, [idOf(byName, 'sc1')], 'the preStop ran while a was stopping');
    assert.ok(!stops(h, byName).some(([n]) => n === 'sc1'));
    appA.release();
    await done;
    assert.equal(stops(h, byName).at(-1)?.[0], 'sc1');
  });

  test('Job-style (Never): the apps succeed, the sync stops the sidecars in reverse order and the pod is Succeeded whatever their exit codes', async () => {
    const h = newTestSync();
    const base = sidecarPod();
    const p = { ...base, spec: { ...base.spec, restartPolicy: 'Never' as const } };
    const byName = await runUp(h, p);
    h.runtime.exitContainer(UID, 'a', 0);
    h.runtime.exitContainer(UID, 'b', 0);
    const result = await h.sync(p);
    assert.deepEqual(
      stops(h, byName).map(([n]) => n),
      ['sc2', 'sc1'],
    );
    assert.equal(result.terminal, true);
    const st = h.status.getStatus(UID);
    assert.equal(st?.phase, 'Succeeded');
    const sidecarExits = st?.initContainerStatuses
      ?.filter((s) => s.name !== 'i1')
      .map((s) => s.state.terminated?.exitCode);
    assert.ok(
      sidecarExits?.every((c) => c !== undefined && c !== 0),
      `sidecars were stopped: ${sidecarExits}`,
    );
    assert.equal(h.runtime.running(UID).length, 0, 'no sidecar was started again');
  });

  test('a pod without sidecars stops every container at once, as before', async () => {
    const h = newTestSync();
    const p = pod({ init: ['i1'], containers: ['a', 'b'] });
    h.admit(p);
    await h.sync(p);
    h.runtime.exitContainer(UID, 'i1', 0);
    await h.sync(p);
    const rt = await h.runtime.getPodStatus(UID);
    const byName = new Map(rt.containers.filter((c) => c.state === 'running').map((c) => [c.name, c]));
    const appA = h.runtime.block('stopContainer', (id) => id === idOf(byName, 'a'));
    const done = killPod(h.deps, p, rt);
    await h.runtime.idle();
    assert.deepEqual(order(h, byName), ['a', 'b']);
    appA.release();
    await done;
  });
});
