// Runs the compiled test files with node's test runner, one runner invocation per suite:
// unit first (seconds, no Docker; a failure stops the run before the Docker suites), then
// integration and e2e. Usage: node test/run-tests.mjs [unit|integration|e2e ...]
//
// Nothing here can hang:
// - Every test and hook has a time bound: test files take test/describe/hooks from
//   test/harness/node-test.ts, which gives each a default `timeout` (MKL_TEST_TIMEOUT_MS, set
//   here per suite), so an await that never settles fails that test.
// - Each suite also runs with --test-timeout, which Node 20 applies to each test *file*, as a
//   second bound sized from measured file durations with a wide margin for a loaded 2-core
//   machine.
// - The whole run has a hard bound (MKL_TEST_TOTAL_MINUTES, default 25): when it passes, the
//   running invocation's process group is killed and the run fails.
//
// Each invocation ends with node's own summary (`# pass N` / `# fail N` with the TAP reporter
// CI gets) and one line of ours, `run-tests: <suite>: ...`, read from a TAP copy of the report.
// The exit code is non-zero if any invocation failed, timed out or could not start.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const repo = new URL('../', import.meta.url).pathname;
const root = join(repo, 'dist/test/');

/** Per-file timeout and file concurrency of each suite. */
const SUITES = {
  // Unit files take up to ~3 s each; no unit test waits on anything real.
  unit: { testTimeoutMs: 10_000, fileTimeoutMs: 60_000, concurrency: 2 },
  // Integration tests share one engine, so at most two files run at once; the longest files
  // (restarts with back-off, image pulls) take a few minutes, their longest test about one.
  integration: { testTimeoutMs: 180_000, fileTimeoutMs: 600_000, concurrency: 2 },
  e2e: { testTimeoutMs: 180_000, fileTimeoutMs: 300_000, concurrency: 1 },
};

const totalMs = Number(process.env.MKL_TEST_TOTAL_MINUTES ?? 25) * 60_000;
const deadline = Date.now() + totalMs;
const requested = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
for (const s of requested) {
  if (!(s in SUITES)) {
    console.error(`run-tests: unknown suite ${s} (known: ${Object.keys(SUITES).join(', ')})`);
    process.exit(2);
  }
}

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return collect(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

/** A compiled test whose .ts is gone (renamed or deleted) is stale output in dist/: skip it. */
function hasSource(file) {
  return existsSync(join(repo, 'test', relative(root, file)).replace(/\.js$/, '.ts'));
}

/** Counts from node's TAP summary (`# pass 3`). */
function tapCounts(tap) {
  const counts = {};
  for (const m of tap.matchAll(/^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) counts[m[1]] = Number(m[2]);
  return counts;
}

let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) killGroup(current, 'SIGKILL');
    process.exit(130);
  });
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** One runner invocation; resolves to its exit code (non-zero on failure or timeout). */
function runSuite(suite, files) {
  const { testTimeoutMs, fileTimeoutMs, concurrency } = SUITES[suite];
  const dir = mkdtempSync(join(tmpdir(), 'mkl-tests-'));
  const tapFile = join(dir, `${suite}.tap`);
  // Keep the reporter node would pick (spec on a terminal, TAP otherwise) and add a TAP copy.
  const reporter = process.stdout.isTTY ? 'spec' : 'tap';
  const args = [
    '--test',
    `--test-concurrency=${concurrency}`,
    `--test-timeout=${fileTimeoutMs}`,
    `--test-reporter=${reporter}`,
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  const started = Date.now();
  console.log(
    `run-tests: ${suite}: ${files.length} files, ${testTimeoutMs / 1000} s per test, ${fileTimeoutMs / 1000} s per file`,
  );
  return new Promise((resolve) => {
    // Its own process group, so a timeout kills the runner and every test file it started.
    const env = { ...process.env, MKL_TEST_TIMEOUT_MS: String(testTimeoutMs) };
    const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true, env });
    current = child;
    let timedOut = false;
    const left = deadline - Date.now();
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`run-tests: ${suite}: the run exceeded ${totalMs / 60_000} min in total; killing it`);
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, left);
    let done = false;
    const finish = (code, detail) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      current = undefined;
      const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      const c = tapCounts(tap);
      const counts = ['tests', 'pass', 'fail', 'cancelled', 'skipped', 'todo'].map((k) => `${k} ${c[k] ?? '?'}`);
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const status = timedOut ? 1 : code;
      console.log(`run-tests: ${suite}: ${counts.join(', ')}; exit ${status}${detail} in ${secs} s`);
      resolve(status);
    };
    child.once('error', (err) => finish(1, ` (${err.message})`));
    child.once('exit', (code, signal) => finish(code ?? 1, signal ? ` (${signal})` : timedOut ? ' (timed out)' : ''));
  });
}

let failed = 0;
for (const suite of requested) {
  const all = collect(join(root, suite)).sort();
  const files = all.filter(hasSource);
  for (const stale of all.filter((f) => !hasSource(f)))
    console.log(`run-tests: skipping stale ${relative(repo, stale)}`);
  if (files.length === 0) {
    console.error(`run-tests: no test files under ${join(root, suite)}: run \`npm run build\` first`);
    process.exit(1);
  }
  if (Date.now() >= deadline) {
    console.error(`run-tests: ${suite}: not run, the ${totalMs / 60_000} min bound is spent`);
    failed++;
    break;
  }
  const code = await runSuite(suite, files);
  if (code !== 0) {
    failed++;
    // A unit failure is reported in seconds; the Docker suites would only add minutes.
    if (suite === 'unit') {
      console.error('run-tests: unit tests failed; not running the Docker suites');
      break;
    }
  }
}
console.log(`run-tests: ${failed === 0 ? 'all suites passed' : `${failed} suite(s) failed`}`);
process.exit(failed === 0 ? 0 : 1);
