// The start cases' peer (issue #17): ratio and goals, rows without a peer, the table, run order.
import assert from 'node:assert/strict';
import { test } from '../../harness/node-test.js';
import { engineRow, rotate } from '../../bench/cases.js';
import {
  lastErrorLine,
  PEER_NAME,
  PodmanPeer,
  peerGoal,
  stalePeerPods,
  withPeer,
  withoutPeer,
} from '../../bench/peer.js';
import { podManifest } from '../../bench/pods.js';
import { formatTable, isValidResults, type BenchRow } from '../../bench/results.js';

const row = (agent_ms: number): BenchRow => ({ case: 'start: 1 container', agent_ms, raw_ms: 500, ratio: 1.2, n: 5 });

test('peer_ratio is agent ÷ peer median, rounded to 2 digits, with the goal for the container count', () => {
  const r = withPeer(
    row(600),
    [
      { ms: 400, ok: true },
      { ms: 500, ok: true },
      { ms: 450, ok: true },
    ],
    peerGoal(1),
  );
  assert.equal(r.peer, PEER_NAME);
  assert.equal(r.peer_ms, 450);
  assert.equal(r.peer_p90_ms, 500);
  assert.equal(r.peer_ratio, 1.33);
  assert.equal(r.peer_n, 3);
  assert.equal(r.peer_goal, '≤ 1.00× peer');
  assert.equal(r.peer_met, false);
  // The agent's own fields are kept as they were.
  assert.equal(r.ratio, 1.2);
  assert.equal(r.raw_ms, 500);
});

test('peer goals: 1 container ≤ 1.0×, several ≤ 0.75× (issue #17)', () => {
  assert.equal(peerGoal(1), 1.0);
  assert.equal(peerGoal(3), 0.75);
  const met = withPeer(row(700), [{ ms: 1000, ok: true }], peerGoal(3));
  assert.equal(met.peer_ratio, 0.7);
  assert.equal(met.peer_met, true);
  const missed = withPeer(row(800), [{ ms: 1000, ok: true }], peerGoal(3));
  assert.equal(missed.peer_met, false);
});

test('failed peer runs are left out of peer_ms, said in peer_note and leave no verdict; none ok → no ratio', () => {
  const some = withPeer(
    row(600),
    [
      { ms: 400, ok: true },
      { ms: 20_600, ok: false, error: 'Error: failed to remove once init container x' },
    ],
    1,
  );
  assert.equal(some.peer_ms, 400);
  assert.equal(some.peer_n, 1);
  assert.equal(some.peer_ratio, 1.5);
  assert.equal(some.peer_met, undefined, 'no verdict against a peer that failed');
  assert.match(
    some.peer_note!,
    /^1 of 2 podman runs failed \(median 20600 ms until the exit\): Error: failed to remove/,
  );
  const none = withPeer(row(600), [{ ms: 20_000, ok: false }], 1);
  assert.equal(none.peer_ms, undefined);
  assert.equal(none.peer_ratio, undefined);
  assert.equal(none.peer_met, undefined);
  assert.equal(none.peer_n, 0);
});

test('without podman the row says so, and the table and results shape carry it', () => {
  const r = withoutPeer(row(600), 'podman is not installed (not on PATH)');
  assert.equal(r.peer, PEER_NAME);
  assert.equal(r.peer_ms, undefined);
  assert.equal(r.peer_note, 'not measured: podman is not installed (not on PATH)');
  const table = formatTable([r, withPeer(row(600), [{ ms: 450, ok: true }], 1)]);
  assert.match(table, /peer ms \(ratio\)/);
  assert.match(table, /450 \(1\.33x\)/);
  assert.match(table, /podman kube play: not measured: podman is not installed/);
  assert.match(table, /peer NO/);
  assert.ok(
    isValidResults({
      date: 'd',
      mode: 'start',
      machine: {},
      results: [r],
      notes: [],
      peer: { name: PEER_NAME, available: false },
    }),
  );
});

test('lastErrorLine keeps podman’s last non-empty stderr line, bounded', () => {
  assert.equal(lastErrorLine('time="x" level=warn\nError: boom\n\n'), 'Error: boom');
  assert.equal(lastErrorLine(''), '');
  assert.equal(lastErrorLine('x'.repeat(1000)).length, 300);
});

test('rotate: each run starts with the next of agent, raw, peer', () => {
  assert.deepEqual(rotate(['a', 'r', 'p'], 0), ['a', 'r', 'p']);
  assert.deepEqual(rotate(['a', 'r', 'p'], 1), ['r', 'p', 'a']);
  assert.deepEqual(rotate(['a', 'r', 'p'], 5), ['p', 'a', 'r']);
  assert.deepEqual(rotate([], 3), []);
});

test('the 3-container start pod has three app containers and no init', () => {
  const m = podManifest('three', 'x', 'run');
  assert.deepEqual(
    m.spec.containers.map((c) => c.name),
    ['c0', 'c1', 'c2'],
  );
  assert.equal(m.spec.initContainers, undefined);
});

test('the engine row sits beside the agent: value, raw side, ratio and the breakdown', () => {
  const e = (dockerd: number) => ({
    totalPct: dockerd + 1,
    byRole: { dockerd, containerd: 0.5, shims: 0.5 },
    procs: 4,
  });
  const r = engineRow('steady 20 pods @10s', 20, e(3), e(1));
  assert.equal(r.case, 'steady 20 pods @10s: engine CPU, dockerd + containerd + shims (% of one core)');
  assert.equal(r.value, 4);
  assert.equal(r.raw_value, 2);
  assert.equal(r.ratio, 2);
  assert.equal(r.unit, '%');
  assert.equal(r.n, 20, 'n is the window in seconds, as for the agent CPU row');
  assert.match(r.note!, /beside the agent: dockerd 3 %, containerd 0\.5 %, shims 0\.5 % \(4 processes\)/);
  assert.equal(engineRow('t', 20, e(3)).raw_value, undefined);
});

test('without podman on PATH the peer is reported as not installed, never thrown', async () => {
  const found = await PodmanPeer.detect('mklbench-no-such-podman');
  assert.ok(!(found instanceof PodmanPeer));
  assert.deepEqual(found, {
    name: PEER_NAME,
    available: false,
    reason: 'mklbench-no-such-podman is not installed (not on PATH)',
  });
});

test('stale peer pods: only mklbench-<pid>-pm-… of a bench process that is gone', () => {
  const names = 'mklbench-100-pm-a\nmklbench-200-pm-b\nmy-own-pod\nmklbench-300-a0\n\nmklbench-100-pm-c\n';
  assert.deepEqual(
    stalePeerPods(names, (pid) => pid === 200),
    ['mklbench-100-pm-a', 'mklbench-100-pm-c'],
  );
  assert.deepEqual(
    stalePeerPods('', () => false),
    [],
  );
});
