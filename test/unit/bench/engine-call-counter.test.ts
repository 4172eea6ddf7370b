// The engine-call counter's reading of request lines: API version dropped, IDs and names
// folded, query strings collapsed, several pipelined requests in one chunk all counted.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { callKey, requestsIn } from '../../bench/engine-call-counter.js';

test('callKey folds versions, IDs, names and queries', () => {
  assert.equal(callKey('POST', `/v1.41/containers/${'a'.repeat(64)}/start`), 'POST /containers/:id/start');
  assert.equal(callKey('GET', '/v1.41/containers/json?all=1&filters=%7B%7D'), 'GET /containers/:id?…');
  assert.equal(callKey('GET', '/exec/abc/json'), 'GET /exec/:id/json');
  assert.equal(callKey('GET', '/info'), 'GET /info');
});

test('requestsIn finds every request line of a chunk, and none in a body', () => {
  const chunk = Buffer.from(
    'POST /v1.41/containers/k8s_app/exec HTTP/1.1\r\nHost: docker\r\n\r\n{"Cmd":["GET / HTTP/1.1"]}' +
      'GET /v1.41/exec/e1/json HTTP/1.1\r\nHost: docker\r\n\r\n',
  );
  assert.deepEqual(requestsIn(chunk), ['POST /containers/:id/exec', 'GET /exec/:id/json']);
  assert.deepEqual(requestsIn(Buffer.from('{"Status":"ok"}')), []);
});
