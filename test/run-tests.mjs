// Runs the compiled test files with node's test runner. Node 20's --test takes no
// globs, so the files are collected here. Usage: node test/run-tests.mjs [unit|integration|e2e ...]
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../dist/test/', import.meta.url).pathname;
const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];

function collect(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return collect(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

const files = suites.flatMap((suite) => collect(join(root, suite))).sort();
if (files.length === 0) {
  console.error(`no test files under ${root} for ${suites.join(', ')}: run \`npm run build\` first`);
  process.exit(1);
}
// One runner invocation, so its closing summary covers every file. Integration tests
// share one engine, so at most two files run at once.
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
