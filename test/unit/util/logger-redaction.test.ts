// Every path where a registry credential could travel is redacted in log lines.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/util/logger.js';

test('credentials never reach a log line', () => {
  const out: string[] = [];
  const log = createLogger({
    level: 'debug',
    destination: new Writable({
      write(c, _e, cb) {
        out.push(String(c));
        cb();
      },
    }),
  });
  const s = 'hunter2-secret';
  log.info({ auth: { username: 'u', password: s } }, 'a');
  log.info({ authconfig: { password: s } }, 'b');
  log.info({ secret: { data: { '.dockerconfigjson': s } } }, 'c');
  log.info({ obj: { stringData: { x: s } } }, 'd');
  log.info({ config: { auths: { 'reg.io': { auth: s } } } }, 'e');
  log.info({ auths: { 'reg.io': { identitytoken: s } } }, 'f');
  log.info({ req: { headers: { 'x-registry-auth': s, authorization: s } } }, 'g');
  log.info({ creds: [{ username: 'u', password: s }] }, 'h');
  log.info({ registryAuth: s, password: s }, 'i');
  assert.equal(out.length, 9);
  for (const line of out) assert.ok(!line.includes(s), line);
});
