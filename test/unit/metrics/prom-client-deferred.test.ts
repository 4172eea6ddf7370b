// prom-client's @opentelemetry/api is not loaded with the agent's metrics, and is there,
// whole, on first use (#17). Each check runs in a fresh node process: this test process
// may have loaded it already.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const METRICS = new URL('../../../src/metrics/prometheus.js', import.meta.url).href;

async function inFreshNode(body: string): Promise<Record<string, unknown>> {
  const script = `import { createRequire } from 'node:module';
import { dirname } from 'node:path';
const { PrometheusMetrics } = await import(${JSON.stringify(METRICS)});
const require = createRequire(${JSON.stringify(METRICS)});
// The stand-in holds the package's main file alone; the real package brings its other files.
const loaded = () => Object.keys(require.cache).filter((f) => f.includes('/node_modules/@opentelemetry/api/')).length > 1;
const otel = () => require(require.resolve('@opentelemetry/api', { paths: [dirname(require.resolve('prom-client/lib/metrics/processCpuTotal.js'))] }));
${body}`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

test('the metrics, scraped, do not load @opentelemetry/api', async () => {
  const r = await inFreshNode(`
const m = new PrometheusMetrics();
const { body } = await m.scrape('all');
console.log(JSON.stringify({ loaded: loaded(), cpu: /process_cpu_seconds_total \\d/.test(body) }));`);
  assert.deepEqual(r, { loaded: false, cpu: true });
});

test('the stand-in loads the real module on first use and gives its exports', async () => {
  const r = await inFreshNode(`
const api = otel();
const before = loaded();
const span = api.trace.getSpan(api.context.active());
console.log(JSON.stringify({ before, after: loaded(), trace: typeof api.trace.getTracer, span: span === undefined, keys: Object.keys(api).includes('context') }));`);
  assert.deepEqual(r, { before: false, after: true, trace: 'function', span: true, keys: true });
});
