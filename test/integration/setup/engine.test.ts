// With the engine running, ensureEngine is one GET /version and starts nothing.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { ensureEngine } from '../../../src/setup/engine.js';
import { ensureSetup } from '../../../src/setup/index.js';
import { silentLogger } from '../../../src/util/logger.js';

const log = silentLogger();

test('a running engine is found and not restarted', async () => {
  const e = await ensureEngine({ log, install: false });
  assert.equal(e.started, false);
  assert.match(e.apiVersion, /^1\.\d+$/);
  assert.ok(e.version.length > 0);
});

test('ensureSetup returns a Dockerode that talks to the found engine', async () => {
  const { docker, engine } = await ensureSetup({ log, install: false });
  const v = await docker.version();
  assert.equal(v.ApiVersion, engine.apiVersion);
  assert.equal(await docker.ping().then((b) => String(b)), 'OK');
});
