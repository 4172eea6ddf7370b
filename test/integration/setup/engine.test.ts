// With the engine running, ensureEngine is one GET /version and starts nothing.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureEngine } from '../../../src/setup/engine.js';
import { ensureSetup } from '../../../src/setup/index.js';
import { silentLogger } from '../../../src/util/logger.js';

const log = silentLogger();
/** Never written: the engine these tests meet is not started by them. */
const rootDir = join(tmpdir(), 'mkl-setup-unused');

test('a running engine is found and not restarted', async () => {
  const e = await ensureEngine({ log, rootDir, install: false });
  assert.equal(e.started, false);
  assert.match(e.apiVersion, /^1\.\d+$/);
  assert.ok(e.version.length > 0);
});

test('ensureSetup returns a Dockerode that talks to the found engine', async () => {
  const { docker, engine } = await ensureSetup({ log, rootDir, install: false });
  const v = await docker.version();
  assert.equal(v.ApiVersion, engine.apiVersion);
  assert.equal(await docker.ping().then((b) => String(b)), 'OK');
});
