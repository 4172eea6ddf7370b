// `node dist/test/bench/profile-window.js FILE.cpuprofile [FROM_US TO_US] [--top N]`:
// where a V8 CPU profile (node --cpu-prof, kept by `npm run bench -- --profile`) spent
// its time inside a window — the steady-state case logs its window as CLOCK_MONOTONIC µs,
// the clock of the profile's timestamps. Prints self time by function and by module
// (our src/ files by path, dependencies by package, Node's internals as "node:"), and the
// share of idle, GC and program time, so a CPU figure in the README has a measured why.
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Which module a frame belongs to: a src/ path, a package name, node: internals or a V8 pseudo-frame. */
export function moduleOf(f: CallFrame): string {
  if (!f.url) return `(${f.functionName || 'anonymous'})`;
  if (f.url.startsWith('node:')) return `node:${f.url.slice(5).split('/')[0]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url);
  if (pkg) return pkg[1]!;
  const own = /\/dist\/(.+)$/.exec(f.url);
  return own ? own[1]! : f.url;
}

export interface WindowTotals {
  totalUs: number;
  byFunction: Map<string, number>;
  byModule: Map<string, number>;
  /** Each sample charged to the innermost frame of our own code on its stack: who caused the work. */
  byOwnCaller: Map<string, number>;
}

const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${moduleOf(f)}:${f.lineNumber + 1}`;

/** Self time per function and per module of the samples taken in [fromUs, toUs]. */
export function selfTimes(p: CpuProfile, fromUs = -Infinity, toUs = Infinity): WindowTotals {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const ownCaller = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (moduleOf(f).startsWith('src/') || moduleOf(f).startsWith('cmd/')) return label(f);
    }
    return `(no own frame) ${moduleOf(byId.get(id)!.callFrame)}`;
  };
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  const byOwnCaller = new Map<string, number>();
  let t = p.startTime;
  let totalUs = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromUs || t > toUs) continue;
    const node = byId.get(p.samples[i]!);
    if (!node) continue;
    // A sample stands for the time since the previous one.
    add(byFunction, label(node.callFrame), dt);
    add(byModule, moduleOf(node.callFrame), dt);
    if (moduleOf(node.callFrame) !== '((idle))') add(byOwnCaller, ownCaller(node.id), dt);
    totalUs += dt;
  }
  return { totalUs, byFunction, byModule, byOwnCaller };
}

function top(m: Map<string, number>, n: number, totalUs: number, busyUs: number): string[] {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([k, us]) =>
        `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} % of wall ${((100 * us) / busyUs).toFixed(1).padStart(5)} % of busy  ${k}`,
    );
}

function main(argv: string[]): void {
  const file = argv[0];
  if (!file) throw new Error('usage: profile-window FILE.cpuprofile [FROM_US TO_US] [--top N]');
  const topIdx = argv.indexOf('--top');
  const n = topIdx >= 0 ? Number(argv[topIdx + 1]) : 25;
  const nums = argv.slice(1).filter((a, i, all) => /^\d+$/.test(a) && all[i - 1] !== '--top');
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const w = selfTimes(p, nums[0] ? Number(nums[0]) : undefined, nums[1] ? Number(nums[1]) : undefined);
  const idle = w.byModule.get('((idle))') ?? 0;
  const busy = w.totalUs - idle;
  console.log(
    `window ${(w.totalUs / 1e6).toFixed(1)} s: busy ${(busy / 1000).toFixed(0)} ms = ${((100 * busy) / w.totalUs).toFixed(2)} % of one core (idle excluded)`,
  );
  console.log('\nby module (self time):');
  for (const l of top(w.byModule, n, w.totalUs, busy)) console.log(l);
  console.log('\nby function (self time):');
  for (const l of top(w.byFunction, n, w.totalUs, busy)) console.log(l);
  console.log('\nby our innermost frame on the stack (what in src/ caused the busy time):');
  for (const l of top(w.byOwnCaller, n, w.totalUs, busy)) console.log(l);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) main(process.argv.slice(2));
