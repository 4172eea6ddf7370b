// Agent start-up (issue #17, lever 3): time from spawning `minikubelet serve --listen
// 127.0.0.1:0` to the first 200 on /healthz, N times (median/p90), and the agent's RSS
// after it has idled. Run after `npm run build`:
//
//   node dist/test/bench/agent-start.js [--runs 10] [--idle-ms 10000] [--fresh]
//        [--node-flags="--cpu-prof --cpu-prof-dir=/tmp/prof"]
//
// By default every run reuses one root dir (the credentials exist after the first, as
// on any restart); --fresh gives each run a new root dir (first start: CA, certificate,
// token and signing key are created). The first run is a warm-up and is not counted.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveKubeconfig } from '../../src/client/kubeconfig.js';
import { median, percentile, round, sleep } from './stats.js';
import { sampleProc } from './agent.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'idle-ms': { type: 'string', default: '10000' },
    fresh: { type: 'boolean', default: false },
    'node-flags': { type: 'string', default: '' },
    cli: { type: 'string', default: new URL('../../cmd/minikubelet.js', import.meta.url).pathname },
  },
});
const runs = Number(values.runs);
const idleMs = Number(values['idle-ms']);
const nodeFlags = values['node-flags'] ? values['node-flags'].split(/\s+/) : [];

function newRoot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkl-start-'));
  writeFileSync(join(dir, 'agent-id'), `mklbench-${process.pid}-start\n`, { mode: 0o600 });
  return dir;
}

function healthz(server: string, caPem: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const req = get(`${server}/healthz`, { ca: caPem, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
}

interface Run {
  ms: number;
  /** The agent's CPU time (user + system) until then: less sensitive to a loaded machine than ms. */
  cpuMs: number;
  rssMiB?: number;
}

/** One start: spawn, wait for the kubeconfig (written once the API listens), then for a 200. */
async function once(rootDir: string, measureIdle: boolean): Promise<Run> {
  const kubeconfig = join(rootDir, 'kubeconfig');
  rmSync(kubeconfig, { force: true });
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [...nodeFlags, values.cli, 'serve', '--root-dir', rootDir, '--listen', '127.0.0.1:0', '--node-name', 'start-node'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MINIKUBELET_LOG_LEVEL: 'info' } },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let exited = false;
  const exit = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  try {
    let ms = 0;
    let cpuMs = 0;
    for (;;) {
      if (exited) throw new Error(`agent exited:\n${stderr.slice(-2000)}`);
      if (performance.now() - t0 > 60_000) throw new Error(`no 200 on /healthz within 60 s:\n${stderr.slice(-2000)}`);
      if (existsSync(kubeconfig)) {
        const k = resolveKubeconfig({ kubeconfig });
        if ((await healthz(k.server, k.caPem)) === 200) {
          ms = performance.now() - t0;
          cpuMs = sampleProc(child.pid!).cpuSeconds * 1000;
          break;
        }
      }
      await sleep(5);
    }
    let rssMiB: number | undefined;
    if (measureIdle) {
      await sleep(idleMs);
      rssMiB = sampleProc(child.pid!).rssBytes / 2 ** 20;
    }
    return { ms, cpuMs, ...(rssMiB !== undefined ? { rssMiB } : {}) };
  } finally {
    if (!exited) child.kill('SIGTERM');
    await Promise.race([exit, sleep(10_000)]);
    if (!exited) child.kill('SIGKILL');
  }
}

const shared = values.fresh ? undefined : newRoot();
const times: number[] = [];
const cpu: number[] = [];
let rss: number | undefined;
try {
  for (let i = 0; i <= runs; i++) {
    const root = shared ?? newRoot();
    try {
      // The last run also idles, for the RSS figure.
      const r = await once(root, i === runs);
      if (i > 0) {
        times.push(r.ms);
        cpu.push(r.cpuMs);
      }
      if (r.rssMiB !== undefined) rss = r.rssMiB;
      process.stderr.write(`run ${i}${i === 0 ? ' (warm-up)' : ''}: ${round(r.ms)} ms, CPU ${round(r.cpuMs)} ms\n`);
    } finally {
      if (!shared) rmSync(root, { recursive: true, force: true });
    }
  }
} finally {
  if (shared) rmSync(shared, { recursive: true, force: true });
}
const out = {
  mode: values.fresh ? 'fresh root dir' : 'existing root dir',
  runs,
  start_median_ms: round(median(times)),
  start_p90_ms: round(percentile(times, 90)),
  start_cpu_median_ms: round(median(cpu)),
  load_average: loadavg()[0],
  idle_rss_mib: rss !== undefined ? round(rss, 1) : undefined,
  idle_ms: idleMs,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
