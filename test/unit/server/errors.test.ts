import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { errorToStatus, INTERNAL_DETAIL } from '../../../src/server/errors.js';
import { startApiServer } from '../../../src/server/api-server.js';
import { KubeletError, ValidationError, alreadyExistsError } from '../../../src/util/errors.js';
import { FakeNode } from '../../fakes/fake-node.js';
import { getJson, postJson } from './helpers.js';

test('errorToStatus: codes, reasons and details', () => {
  const cases: [KubeletError, number, string][] = [
    [new KubeletError('NotFound', 'pods "a" not found'), 404, 'NotFound'],
    [new KubeletError('AlreadyExists', 'pods "a" already exists'), 409, 'AlreadyExists'],
    [new KubeletError('BadRequest', 'bad'), 400, 'BadRequest'],
    [new KubeletError('Conflict', 'conflict'), 409, 'Conflict'],
    [new KubeletError('UnsupportedMediaType', 'pb'), 415, 'UnsupportedMediaType'],
    [new KubeletError('MethodNotAllowed', 'no'), 405, 'MethodNotAllowed'],
    [new KubeletError('Unavailable', 'later'), 503, 'ServiceUnavailable'],
    [new KubeletError('Internal', 'boom'), 500, 'InternalError'],
  ];
  for (const [err, code, reason] of cases) {
    const s = errorToStatus(err);
    assert.deepEqual([s.code, s.reason, s.status, s.kind, s.apiVersion], [code, reason, 'Failure', 'Status', 'v1']);
  }
  assert.deepEqual(
    errorToStatus(new KubeletError('NotFound', 'pods "a" not found'), { resource: 'pods', name: 'a' }).details,
    { name: 'a', kind: 'pods' },
  );
  assert.deepEqual(errorToStatus(alreadyExistsError('secrets', 's')).details, {
    name: 's',
    kind: 'secrets',
  });
  const plain = errorToStatus(new Error('kaput'));
  // An unexpected error's text (it may name files under the root dir) stays in the log.
  assert.deepEqual(
    [plain.code, plain.reason, plain.message],
    [500, 'InternalError', `Internal error occurred: ${INTERNAL_DETAIL}`],
  );
  const v = errorToStatus(
    new ValidationError('Pod', 'p', [
      {
        path: 'spec.restartPolicy',
        type: 'Unsupported value',
        value: 'Sometimes',
        detail: 'supported values: "Always", "Never", "OnFailure"',
      },
      { path: 'spec.containers[0].name', type: 'Required value' },
    ]),
  );
  assert.equal(v.code, 422);
  assert.equal(
    v.message,
    'Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure", spec.containers[0].name: Required value',
  );
  assert.deepEqual(v.details, {
    name: 'p',
    kind: 'Pod',
    causes: [
      {
        reason: 'FieldValueNotSupported',
        message: 'Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"',
        field: 'spec.restartPolicy',
      },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers[0].name' },
    ],
  });
});

test('a node failure is a 500 Status, logged once at warn; secret bodies never reach the log', async () => {
  // pino's JSON lines, as far as this test reads them.
  const lines: { level: number; msg?: string; err?: string; path?: string; code?: number }[] = [];
  const dest = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  const log = pino({ level: 'debug' }, dest);
  const node = new FakeNode();
  node.listEvents = () => {
    throw new Error('disk on fire');
  };
  const server = await startApiServer({ node, listen: '127.0.0.1:0', log });
  try {
    const r = await getJson(`${server.url}/api/v1/events`);
    assert.equal(r.status, 500);
    assert.equal(r.body.reason, 'InternalError');
    assert.equal(r.body.message, `Internal error occurred: ${INTERNAL_DETAIL}`);
    await postJson(`${server.url}/api/v1/namespaces/default/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      stringData: { password: 'hunter2-very-secret' },
    });
    await getJson(`${server.url}/api/v1/namespaces/default/secrets/s`);
  } finally {
    await server.close();
  }
  const warns = lines.filter((l) => l.level === 40);
  assert.equal(warns.length, 1);
  assert.match(warns[0]!.err!, /disk on fire/);
  assert.ok(lines.some((l) => l.msg === 'request' && l.path === '/api/v1/events' && l.code === 500));
  assert.ok(!JSON.stringify(lines).includes('hunter2'));
});

test('errorToStatus: details come from the error fields, never from its message', () => {
  const named = new KubeletError('Conflict', 'the object has been modified', { resource: 'pods', name: 'web' });
  assert.deepEqual(errorToStatus(named).details, { name: 'web', kind: 'pods' });
  assert.equal(errorToStatus(new KubeletError('NotFound', 'pods "a" not found')).details, undefined);
  // The URL's resource wins; a name for another resource is not reported.
  assert.deepEqual(errorToStatus(named, { resource: 'secrets' }).details, { kind: 'secrets' });
});
