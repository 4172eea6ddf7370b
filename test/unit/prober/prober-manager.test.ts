import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { ProberManager } from '../../../src/prober/prober-manager.js';
import type { ExecResult } from '../../../src/runtime/runtime.js';
import type { PodStatus, Probe, ValidPod } from '../../../src/apis/core/types.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { instance, pod, runtimeStatus, sandbox } from '../../fixtures/pods.js';
import { RecordingEvents, flush } from './helpers.js';

const exec = (cmd: string): Probe => ({
  exec: { command: [cmd] },
  periodSeconds: 1,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 1,
  initialDelaySeconds: 0,
});

function setup(answers: Record<string, ExecResult> = {}) {
  const clock = new FakeClock(Date.parse('2026-01-01T00:00:10Z'));
  const events = new RecordingEvents();
  const woken: string[] = [];
  const execs: string[] = [];
  const m = new ProberManager({
    exec: async (_id, cmd) => {
      execs.push(cmd[0]!);
      return answers[cmd[0]!] ?? { exitCode: 0, output: '', timedOut: false };
    },
    events,
    clock,
    log: silentLogger(),
    wake: (uid) => woken.push(uid),
    execConcurrency: 2,
    startedAt: clock.now() - 3_600_000,
  });
  const running: PodStatus = { phase: 'Running' };
  const step = async (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      clock.advance(100);
      await flush();
    }
  };
  return { clock, events, woken, execs, m, running, step };
}

/** A pod with an app container carrying all three probes and a sidecar with readiness. */
function probedPod(): ValidPod {
  const p = pod({ sidecars: ['side'], init: ['setup'] });
  p.spec.initContainers = [p.spec.initContainers![1]!, p.spec.initContainers![0]!]; // setup first
  const app = p.spec.containers[0]!;
  app.livenessProbe = exec('live');
  app.readinessProbe = exec('ready');
  app.startupProbe = exec('start');
  p.spec.initContainers!.find((c) => c.name === 'side')!.readinessProbe = exec('side-ready');
  // A regular init container never gets a worker (validation rejects probes there anyway).
  p.spec.initContainers!.find((c) => c.name === 'setup')!.livenessProbe = exec('never');
  return p;
}

describe('ProberManager', () => {
  test('one worker per (container, probe) for app containers and sidecars, none for regular init containers', () => {
    const p = probedPod();
    const s = setup();
    s.m.updatePodProbes(p, runtimeStatus(p, [sandbox()], []), s.running);
    assert.equal(s.m.workerCount(p.metadata.uid), 4);
    assert.equal(s.m.pendingTimers(), 4);
    s.m.removePod(p.metadata.uid);
  });

  test('startup gates liveness/readiness; startup success triggers readiness at once; results reach the maps', async () => {
    const p = probedPod();
    const s = setup();
    const app = instance(p, 'app');
    const rt = runtimeStatus(p, [sandbox()], [app]);
    s.m.updatePodProbes(p, rt, s.running);
    s.clock.advance(0);
    await flush();
    // The first ticks: only startup may probe; liveness and readiness wait for `started`.
    const app1 = s.execs.filter((e) => e !== 'side-ready');
    assert.equal(app1[0], 'start');
    assert.ok(!app1.includes('live'));
    assert.equal(s.m.startupFor(rt).get(app.id), true);
    // readiness ran right after `started` flipped, without waiting for a tick.
    assert.deepEqual(app1, ['start', 'ready']);
    assert.equal(s.m.readinessFor(rt).get(app.id), true);
    assert.ok(s.woken.includes(p.metadata.uid));
    s.m.removePod(p.metadata.uid);
  });

  test('a liveness Failure is offered to the sync as a kill, with an Unhealthy event', async () => {
    const p = probedPod();
    const s = setup({ live: { exitCode: 1, output: 'dead', timedOut: false } });
    const app = instance(p, 'app');
    const rt = runtimeStatus(p, [sandbox()], [app]);
    s.m.updatePodProbes(p, rt, s.running);
    await s.step(1500);
    assert.equal(s.m.failuresFor(p.metadata.uid).get(app.id), 'liveness');
    assert.ok(s.events.events.some((e) => e.reason === 'Unhealthy' && e.message === 'Liveness probe failed: dead'));
    s.m.removePod(p.metadata.uid);
  });

  test('termination: liveness and startup stop with Success, readiness goes on; removal leaves nothing', async () => {
    const p = probedPod();
    const s = setup();
    const app = instance(p, 'app');
    const rt = runtimeStatus(p, [sandbox()], [app]);
    s.m.updatePodProbes(p, rt, s.running);
    await s.step(1000);
    s.m.stopLivenessAndStartup(p.metadata.uid);
    assert.equal(s.m.workerCount(p.metadata.uid), 2, 'the two readiness workers');
    // A later sync of the deleting pod does not bring them back.
    const deleting: ValidPod = { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-01-01T00:01:00Z' } };
    s.m.updatePodProbes(deleting, rt, s.running);
    assert.equal(s.m.workerCount(p.metadata.uid), 2);
    const before = s.execs.length;
    await s.step(2000);
    assert.ok(s.execs.slice(before).every((e) => e === 'ready' || e === 'side-ready'));
    s.m.removePod(p.metadata.uid);
    assert.equal(s.m.workerCount(), 0);
    assert.equal(s.m.pendingTimers(), 0);
    assert.equal(s.clock.pendingTimers(), 0);
    assert.equal(s.m.readiness.size() + s.m.liveness.size() + s.m.startup.size(), 0);
  });

  test('a terminal pod drops its workers', () => {
    const p = probedPod();
    const s = setup();
    s.m.updatePodProbes(p, runtimeStatus(p, [sandbox()], []), s.running);
    s.m.updatePodProbes(p, runtimeStatus(p, [sandbox()], []), { phase: 'Failed' });
    assert.equal(s.m.workerCount(), 0);
    assert.equal(s.clock.pendingTimers(), 0);
  });

  test('exec probes are bounded by execConcurrency', async () => {
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:10Z'));
    let inFlight = 0;
    let max = 0;
    const releases: (() => void)[] = [];
    const m = new ProberManager({
      exec: async () => {
        inFlight++;
        max = Math.max(max, inFlight);
        await new Promise<void>((r) => releases.push(r));
        inFlight--;
        return { exitCode: 0, output: '', timedOut: false };
      },
      events: new RecordingEvents(),
      clock,
      log: silentLogger(),
      wake: () => undefined,
      execConcurrency: 2,
      startedAt: clock.now() - 3_600_000,
    });
    const p = pod({ containers: ['a', 'b', 'c', 'd'] });
    for (const c of p.spec.containers) c.livenessProbe = exec('x');
    m.updatePodProbes(
      p,
      runtimeStatus(
        p,
        [sandbox()],
        p.spec.containers.map((c) => instance(p, c.name)),
      ),
      { phase: 'Running' },
    );
    clock.advance(0);
    await flush();
    assert.equal(max, 2);
    assert.equal(m.probesInFlight(), 4, 'two run, two wait in the queue');
    while (releases.length) {
      releases.shift()!();
      await flush();
    }
    assert.equal(max, 2);
    m.stop();
    assert.equal(m.workerCount(), 0);
  });
});
