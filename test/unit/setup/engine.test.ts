// ensureEngine's refusals need no engine: an address that is not the default local
// socket is never started, only reported.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ensureEngine } from '../../../src/setup/engine.js';
import { silentLogger } from '../../../src/util/logger.js';

const log = silentLogger();
/** Never written: the engine these tests meet is not started by them. */
const rootDir = join(tmpdir(), 'mkl-setup-unused');

test('an unreachable tcp engine gives an error naming the address and what to do', async () => {
  await assert.rejects(
    ensureEngine({ dockerHost: 'tcp://127.0.0.1:1', log, rootDir, install: false }),
    /tcp:\/\/127\.0\.0\.1:1 does not answer.*DOCKER_HOST/,
  );
});

test('a non-default unix socket is not started', async () => {
  await assert.rejects(
    ensureEngine({ dockerHost: 'unix:///nonexistent/docker.sock', log, rootDir, install: false }),
    /unix:\/\/\/nonexistent\/docker\.sock does not answer/,
  );
});

test('an invalid address is rejected before any call', async () => {
  await assert.rejects(ensureEngine({ dockerHost: 'ftp://x', log, rootDir }), /unsupported/);
});
