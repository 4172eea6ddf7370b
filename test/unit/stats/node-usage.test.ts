// The node's usage from /proc: busy CPU time, boot time, working set and availability.
import assert from 'node:assert/strict';
import { test } from '../../harness/node-test.js';
import {
  bootTimeFromProcStat,
  cpuNsFromProcStat,
  memoryFromMeminfo,
  NodeUsageSource,
} from '../../../src/stats/node-usage.js';

const STAT = 'cpu  22737 5 10474 55405 331 7 159 456 0 0\ncpu0 11076 0 4884 28558 30 0 20 221 0 0\nbtime 1796214894\n';
const MEMINFO =
  'MemTotal:       24683652 kB\nMemFree:        22191032 kB\nMemAvailable:   23946248 kB\nInactive(file):  1375268 kB\n';

test('/proc/stat: user+nice+system+irq+softirq+steal ticks as ns (idle and iowait excluded)', () => {
  assert.equal(cpuNsFromProcStat(STAT), (22737 + 5 + 10474 + 7 + 159 + 456) * 1e7);
  assert.equal(bootTimeFromProcStat(STAT), 1796214894000);
  assert.equal(cpuNsFromProcStat('nothing'), undefined);
});

test('/proc/meminfo: usage = total - free, working set = usage - Inactive(file), available = total - ws', () => {
  const m = memoryFromMeminfo(MEMINFO)!;
  const usage = (24683652 - 22191032) * 1024;
  assert.equal(m.usageBytes, usage);
  assert.equal(m.workingSetBytes, usage - 1375268 * 1024);
  assert.equal(m.availableBytes, 24683652 * 1024 - m.workingSetBytes);
});

test('a two-point reading pauses a second between two reads of /proc/stat', async () => {
  const ticks = [1000, 1050];
  let t = 0;
  const paused: number[] = [];
  const src = new NodeUsageSource(
    { read: (p) => (p === '/proc/stat' ? `cpu  ${ticks.shift() ?? 0} 0 0 0\n` : MEMINFO) },
    async (ms) => {
      paused.push(ms);
      t += ms;
    },
    () => t,
  );
  const s = await src.sample('node', false);
  assert.deepEqual(paused, [1000]);
  assert.deepEqual(s.previous, { readMs: 0, cpuNs: 1000 * 1e7 });
  assert.equal(s.cpuNs, 1050 * 1e7);
  assert.equal(s.readMs, 1000);
  const one = await src.sample('node', true);
  assert.equal(one.previous, undefined);
});
