// What `serve` loads before its API answers (#17): the modules behind probes, streams,
// protobuf bodies, certificate issuance and the client verbs load on first use, and the
// testing library never loads in the agent. A static import added anywhere in the agent's
// graph would bring one back: this lists the packages a fresh process holds after loading
// the `serve` verb and the agent (the CommonJS cache: each of these packages is CommonJS
// or loads CommonJS parts).
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SERVE = new URL('../../../src/cli/serve.js', import.meta.url).href;
const KUBELET = new URL('../../../src/kubelet.js', import.meta.url).href;
/** cmd/minikubelet.ts imports it for every verb (formatError). */
const OUTPUT = new URL('../../../src/cli/output.js', import.meta.url).href;

const DEFERRED = [
  'undici', // httpGet probes and hooks; the client verbs
  '@grpc/grpc-js', // grpc probes; dockerode's BuildKit session
  '@grpc/proto-loader',
  'protobufjs', // protobuf request bodies; grpc probes
  '@peculiar/x509', // issuing certificates
  'tsyringe',
  'ws', // exec, attach, port-forward
  'ssh2', // docker-modem's ssh:// transport
  'testcontainers', // the testing library
  'yaml', // manifests, YAML bodies, reading kubeconfigs (the written one is emitted without it)
];

test('loading serve and the agent loads none of the deferred packages', async () => {
  const script = `import { createRequire } from 'node:module';
await import(${JSON.stringify(SERVE)});
await import(${JSON.stringify(KUBELET)});
await import(${JSON.stringify(OUTPUT)});
const files = Object.keys(createRequire(import.meta.url).cache);
const loaded = ${JSON.stringify(DEFERRED)}.filter((p) => files.some((f) => f.includes('/node_modules/' + p + '/')));
const dockerode = files.some((f) => f.includes('/node_modules/dockerode/'));
console.log(JSON.stringify({ loaded, dockerode }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  // dockerode itself is loaded: the check would pass vacuously if the cache were not the one it uses.
  assert.deepEqual(JSON.parse(stdout), { loaded: [], dockerode: true });
});
