// The engine's CPU for the bench (issue #17): /proc/<pid>/stat parsing and deltas over a window.
import assert from 'node:assert/strict';
import { test } from '../../harness/node-test.js';
import {
  engineCpuBetween,
  engineRole,
  engineSnapshotOf,
  parseProcStat,
  snapshotEngine,
} from '../../bench/engine-cpu.js';

/** A stat line as the kernel writes it: pid (comm) state, then fields 4..; utime 14, stime 15, starttime 22. */
function stat(pid: number, comm: string, utime: number, stime: number, start = 1000): string {
  const f = [
    'S',
    '1',
    pid,
    pid,
    '0',
    '-1',
    '4194560',
    '100',
    '0',
    '0',
    '0',
    utime,
    stime,
    '7',
    '9',
    '20',
    '0',
    '12',
    '0',
    start,
    '1000',
    '200',
  ];
  return `${pid} (${comm}) ${f.join(' ')}\n`;
}

test('parseProcStat reads comm, utime, stime and starttime (fields 2, 14, 15, 22)', () => {
  assert.deepEqual(parseProcStat(stat(42, 'dockerd', 123, 45, 678)), {
    comm: 'dockerd',
    utimeTicks: 123,
    stimeTicks: 45,
    startTicks: 678,
  });
  // cutime/cstime (16, 17) are children's: not ours.
  assert.equal(parseProcStat(stat(1, 'x', 1, 2))!.utimeTicks + parseProcStat(stat(1, 'x', 1, 2))!.stimeTicks, 3);
});

test('parseProcStat keeps a comm with spaces and parentheses whole (the last ")" ends it)', () => {
  const s = parseProcStat(stat(7, 'we (i) rd) x', 5, 6));
  assert.equal(s?.comm, 'we (i) rd) x');
  assert.equal(s?.utimeTicks, 5);
  assert.equal(s?.stimeTicks, 6);
});

test('parseProcStat rejects what is not a stat line', () => {
  assert.equal(parseProcStat(''), undefined);
  assert.equal(parseProcStat('12 (x) S 1 2'), undefined);
  assert.equal(parseProcStat('no parens here 1 2 3'), undefined);
});

test('the engine is dockerd, containerd and every containerd-shim* (comm is cut to 15 chars)', () => {
  assert.equal(engineRole('dockerd'), 'dockerd');
  assert.equal(engineRole('containerd'), 'containerd');
  assert.equal(engineRole('containerd-shim'), 'shims');
  assert.equal(engineRole('containerd-shim-runc-v2'), 'shims');
  for (const other of ['node', 'docker', 'docker-proxy', 'runc', 'containerd-ctr', 'podman', 'conmon'])
    assert.equal(engineRole(other), undefined, other);
});

test('engine CPU over a window: deltas of survivors, all ticks of new processes, per role', () => {
  const a = engineSnapshotOf(
    [
      [10, stat(10, 'dockerd', 1000, 500)],
      [11, stat(11, 'containerd', 300, 100)],
      [20, stat(20, 'containerd-shim', 50, 50)],
      [30, stat(30, 'node', 9999, 9999)],
      [40, stat(40, 'containerd-shim', 70, 0, 500)],
    ],
    0,
  );
  const b = engineSnapshotOf(
    [
      [10, stat(10, 'dockerd', 1150, 550)], // +200 ticks
      [11, stat(11, 'containerd', 330, 120)], // +50
      [20, stat(20, 'containerd-shim', 60, 60)], // +20
      [21, stat(21, 'containerd-shim', 5, 5)], // new in the window: all 10
      [30, stat(30, 'node', 99999, 99999)], // not the engine
      [40, stat(40, 'containerd-shim', 3, 2, 900)], // pid reused (other start time): all 5
    ],
    10_000,
  );
  assert.equal(a.procs.size, 4, 'node is not an engine process');
  const cpu = engineCpuBetween(a, b);
  // 10 s window, 100 ticks/s: 1 tick = 0.1 % of one core.
  const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-9, `${x} ≈ ${y}`);
  close(cpu.byRole.dockerd, 20);
  close(cpu.byRole.containerd, 5);
  close(cpu.byRole.shims, (20 + 10 + 5) / 10);
  close(cpu.totalPct, (200 + 50 + 35) / 10);
  assert.equal(cpu.procs, 5);
});

test('engine CPU never goes negative and is NaN for an empty window', () => {
  const a = engineSnapshotOf([[10, stat(10, 'dockerd', 100, 0)]], 0);
  const b = engineSnapshotOf([[10, stat(10, 'dockerd', 90, 0)]], 1000);
  assert.equal(engineCpuBetween(a, b).totalPct, 0);
  assert.ok(Number.isNaN(engineCpuBetween(a, a).totalPct));
});

test('snapshotEngine reads this machine’s /proc without throwing', () => {
  const s = snapshotEngine();
  for (const p of s.procs.values()) assert.ok(p.ticks >= 0);
});
