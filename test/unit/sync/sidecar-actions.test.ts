// computePodActions for native sidecars, as a table (kubelet 1.32 kuberuntime_container.go
// computeInitContainerActions + kuberuntime_manager.go computePodActions): the init
// sequence waits for a sidecar to be Running and started; sidecars restart whatever the
// pod's policy; after initialization their restarts do not hold the app containers; and
// they never keep a pod whose app containers are done alive.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Container, RestartPolicy, ValidPod } from '../../../src/apis/core/types.js';
import type { RuntimeContainer } from '../../../src/runtime/runtime.js';
import { backoffKey, computePodActions, type PlanContext } from '../../../src/sync/pod-actions.js';
import { Backoff } from '../../../src/util/backoff.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { exited, instance, pod, runtimeStatus, sandbox } from '../../fixtures/pods.js';

const box = (name: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: 'minikubelet.local/busybox:1.35',
  imagePullPolicy: 'IfNotPresent',
  ...extra,
});
const STARTUP = { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 3 };

/** init: [sc1 (sidecar, with a startup probe if asked), i1, sc2 (sidecar)]; containers: [a, b]. */
function sidecarPod(opts: { policy?: RestartPolicy; sc1Startup?: boolean } = {}): ValidPod {
  const p = pod({ containers: ['a', 'b'], restartPolicy: opts.policy ?? 'Always' });
  const sc1 = box('sc1', { restartPolicy: 'Always', ...(opts.sc1Startup ? { startupProbe: STARTUP as never } : {}) });
  return { ...p, spec: { ...p.spec, initContainers: [sc1, box('i1'), box('sc2', { restartPolicy: 'Always' })] } };
}

interface Row {
  name: string;
  pod?: { policy?: RestartPolicy; sc1Startup?: boolean };
  containers: (p: ValidPod) => RuntimeContainer[];
  /** Startup results by container name (absent: no result yet). */
  startup?: Record<string, boolean>;
  probeFailures?: Record<string, 'liveness' | 'startup'>;
  /** Containers whose restart is held by an earlier back-off entry. */
  inBackOff?: string[];
  want: {
    init?: string;
    sidecars?: string[];
    apps?: string[];
    kills?: string[];
    held?: string[];
    podDone?: boolean;
  };
}

const run = (p: ValidPod, name: string) => instance(p, name);
const FINISHED = '2026-01-01T00:00:05Z';

const rows: Row[] = [
  {
    name: 'the first sidecar starts first',
    containers: () => [],
    want: { init: 'sc1' },
  },
  {
    name: 'a running sidecar without startup probe lets the next init container start',
    containers: (p) => [run(p, 'sc1')],
    want: { init: 'i1' },
  },
  {
    name: 'a sidecar whose startup probe has no result yet holds the sequence',
    pod: { sc1Startup: true },
    containers: (p) => [run(p, 'sc1')],
    startup: {},
    want: {},
  },
  {
    name: 'a sidecar whose startup probe has not succeeded yet holds the sequence',
    pod: { sc1Startup: true },
    containers: (p) => [run(p, 'sc1')],
    startup: { sc1: false },
    want: {},
  },
  {
    name: 'once the startup probe succeeded the next init container starts',
    pod: { sc1Startup: true },
    containers: (p) => [run(p, 'sc1')],
    startup: { sc1: true },
    want: { init: 'i1' },
  },
  {
    name: 'a sidecar failing its startup probe is killed and started again',
    pod: { sc1Startup: true },
    containers: (p) => [run(p, 'sc1')],
    startup: { sc1: false },
    probeFailures: { sc1: 'startup' },
    want: { kills: ['Init container sc1 failed startup probe'], sidecars: ['sc1'] },
  },
  {
    name: 'a regular init container runs: wait',
    containers: (p) => [run(p, 'i1'), run(p, 'sc1')],
    want: {},
  },
  {
    name: 'the regular init container done: the second sidecar starts',
    containers: (p) => [exited(p, 'i1', 0), run(p, 'sc1')],
    want: { init: 'sc2' },
  },
  {
    name: 'the last sidecar started: the pod is initialized and the app containers start together',
    containers: (p) => [run(p, 'sc2'), exited(p, 'i1', 0), run(p, 'sc1')],
    want: { apps: ['a', 'b'] },
  },
  {
    name: 'a sidecar that exited during initialization restarts; the running init container goes on',
    containers: (p) => [run(p, 'i1'), exited(p, 'sc1', 1, { finishedAt: FINISHED })],
    want: { sidecars: ['sc1'] },
  },
  {
    name: 'a sidecar in back-off does not hold the next init container once it had started',
    containers: (p) => [exited(p, 'i1', 0), exited(p, 'sc1', 1, { finishedAt: FINISHED })],
    inBackOff: ['sc1'],
    want: { init: 'sc2', held: ['sc1'] },
  },
  {
    name: 'after initialization a sidecar restarts beside the app containers (a crashed app restarts in the same sync)',
    containers: (p) => [
      run(p, 'a'),
      exited(p, 'b', 1, { finishedAt: FINISHED }),
      run(p, 'sc2'),
      exited(p, 'i1', 0),
      exited(p, 'sc1', 0, { finishedAt: FINISHED }),
    ],
    want: { sidecars: ['sc1'], apps: ['b'] },
  },
  {
    name: 'a sidecar restarts even under restartPolicy Never',
    pod: { policy: 'Never' },
    containers: (p) => [run(p, 'a'), run(p, 'b'), run(p, 'sc2'), exited(p, 'i1', 0), exited(p, 'sc1', 0)],
    want: { sidecars: ['sc1'] },
  },
  {
    name: 'a sidecar failing liveness after initialization is killed and restarted; apps untouched',
    containers: (p) => [run(p, 'a'), run(p, 'b'), run(p, 'sc2'), exited(p, 'i1', 0), run(p, 'sc1')],
    probeFailures: { sc1: 'liveness' },
    want: { kills: ['Init container sc1 failed liveness probe'], sidecars: ['sc1'] },
  },
  {
    name: 'Job-style (Never): the app containers are done, so the pod is, with sidecars running',
    pod: { policy: 'Never' },
    containers: (p) => [exited(p, 'a', 0), exited(p, 'b', 1), run(p, 'sc2'), exited(p, 'i1', 0), run(p, 'sc1')],
    want: { podDone: true },
  },
  {
    name: 'Job-style: a sidecar that crashed as the apps finished is not restarted',
    pod: { policy: 'Never' },
    containers: (p) => [
      exited(p, 'a', 0),
      exited(p, 'b', 0),
      run(p, 'sc2'),
      exited(p, 'i1', 0),
      exited(p, 'sc1', 137, { finishedAt: FINISHED }),
    ],
    want: { podDone: true },
  },
  {
    // The kubelet's quirk, kept: with no app container running, only a started *last*
    // init container proves initialization, so that sidecar is started once more and
    // the next sync finds the pod done (computePodActions returns before the app loop).
    name: 'Job-style: the last sidecar down as the apps finished is started again before the pod is done',
    pod: { policy: 'Never' },
    containers: (p) => [
      exited(p, 'a', 0),
      exited(p, 'b', 0),
      exited(p, 'sc2', 137, { finishedAt: FINISHED }),
      exited(p, 'i1', 0),
      run(p, 'sc1'),
    ],
    want: { sidecars: ['sc2'] },
  },
  {
    name: 'OnFailure: a failed app container restarts; sidecars keep running',
    pod: { policy: 'OnFailure' },
    containers: (p) => [
      exited(p, 'a', 0),
      exited(p, 'b', 2, { finishedAt: FINISHED }),
      run(p, 'sc2'),
      exited(p, 'i1', 0),
      run(p, 'sc1'),
    ],
    want: { apps: ['b'] },
  },
  {
    name: 'OnFailure: every app container succeeded, the pod is done',
    pod: { policy: 'OnFailure' },
    containers: (p) => [exited(p, 'a', 0), exited(p, 'b', 0), run(p, 'sc2'), exited(p, 'i1', 0), run(p, 'sc1')],
    want: { podDone: true },
  },
  {
    name: 'a regular init container failing under Never fails the pod, sidecars or not',
    pod: { policy: 'Never' },
    containers: (p) => [exited(p, 'i1', 1), run(p, 'sc1')],
    want: { podDone: true },
  },
];

describe('computePodActions: native sidecars', () => {
  for (const row of rows) {
    test(row.name, () => {
      const p = sidecarPod(row.pod);
      const containers = row.containers(p);
      const idOf = (n: string) => containers.find((c) => c.name === n)!.id;
      const clock = new FakeClock(Date.parse('2026-01-01T00:00:06Z'));
      const crashBackoff = new Backoff(clock, 10_000, 300_000, 600_000);
      for (const n of row.inBackOff ?? []) {
        const spec = [...(p.spec.initContainers ?? []), ...p.spec.containers].find((c) => c.name === n)!;
        crashBackoff.next(backoffKey(p, spec), Date.parse(FINISHED));
      }
      const ctx: PlanContext = {
        now: clock.now(),
        crashBackoff,
        probeFailures: new Map(Object.entries(row.probeFailures ?? {}).map(([n, t]) => [idOf(n), t])),
        ...(row.startup ? { startup: new Map(Object.entries(row.startup).map(([n, ok]) => [idOf(n), ok])) } : {}),
      };
      const a = computePodActions(p, runtimeStatus(p, [sandbox()], containers), ctx);
      const w = row.want;
      assert.equal(a.initToStart?.container.name, w.init, 'init container to start');
      assert.deepEqual(
        a.sidecarsToRestart.map((s) => s.container.name),
        w.sidecars ?? [],
        'sidecars to restart',
      );
      assert.deepEqual(
        a.containersToStart.map((s) => s.container.name),
        w.apps ?? [],
        'app containers to start',
      );
      assert.deepEqual(
        a.containersToKill.map((k) => k.message),
        w.kills ?? [],
        'kills',
      );
      assert.deepEqual(
        a.backOff.map((b) => b.name),
        w.held ?? [],
        'held by back-off',
      );
      assert.equal(a.podDone, w.podDone ?? false, 'pod done');
      assert.equal(a.killPod, w.podDone ?? false, 'kill pod');
    });
  }

  test('a sidecar restart counts on from its previous instance', () => {
    const p = sidecarPod();
    const a = computePodActions(
      p,
      runtimeStatus(
        p,
        [sandbox()],
        [run(p, 'a'), run(p, 'b'), run(p, 'sc2'), exited(p, 'i1', 0), exited(p, 'sc1', 1, { restartCount: 3 })],
      ),
      {
        now: Date.parse('2026-01-01T00:00:06Z'),
        crashBackoff: new Backoff(new FakeClock(0), 10_000, 300_000, 600_000),
      },
    );
    assert.equal(a.sidecarsToRestart[0]?.restartCount, 4);
  });
});
