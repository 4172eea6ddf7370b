// dockerode's BuildKit session (grpc) and docker-modem's ssh transport are not loaded
// with the agent's engine client, and still work when first called (#17). Each check
// runs in a fresh node process: this test process may have loaded them already.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLIENT = new URL('../../../src/runtime/docker-client.js', import.meta.url).href;

async function inFreshNode(body: string): Promise<Record<string, unknown>> {
  const script = `import { createRequire } from 'node:module';
await import(${JSON.stringify(CLIENT)});
const require = createRequire(${JSON.stringify(CLIENT)});
const loaded = (name) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + name + '/'));
${body}`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

test('loading the engine client loads neither ssh2 nor @grpc/grpc-js', async () => {
  const r = await inFreshNode(`
const D = require('dockerode');
console.log(JSON.stringify({ ssh2: loaded('ssh2'), grpc: loaded('@grpc/grpc-js'), docker: typeof D }));`);
  assert.deepEqual(r, { ssh2: false, grpc: false, docker: 'function' });
});

test('the deferred ssh transport loads ssh2 on its first call and returns its agent', async () => {
  const r = await inFreshNode(`
const { dirname } = await import('node:path');
const file = require.resolve('docker-modem/lib/ssh.js', { paths: [dirname(require.resolve('dockerode'))] });
const agent = require.cache[file].exports({ host: '127.0.0.1' });
console.log(JSON.stringify({ ssh2: loaded('ssh2'), createConnection: typeof agent.createConnection }));`);
  assert.deepEqual(r, { ssh2: true, createConnection: 'function' });
});
