// Bodies the API server refuses before decoding them, as kube-apiserver does:
// oversize (413, limitedReadBody) and too deep (400), each answered with a Status.
import { describe, test, before, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { getJson, postJson, startHarness, type Harness } from './helpers.js';

describe('API bodies: size and nesting limits', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  const pods = () => `${h.url}/api/v1/namespaces/default/pods`;

  test('a body over 3 MiB is 413 RequestEntityTooLarge', async () => {
    const big = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, pad: 'x'.repeat(3 << 20) });
    const r = await postJson(pods(), big);
    assert.equal(r.status, 413);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.reason, 'RequestEntityTooLarge');
    assert.equal(r.body.message, 'Request entity too large: limit is 3145728');
  });

  const deepYaml = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\n  x: ${'['.repeat(10_001)}${']'.repeat(10_001)}\n`;
  const deepJson = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"deep","x":${'['.repeat(9000)}${']'.repeat(9000)}}}`;
  for (const [name, body, type] of [
    ['a 10,001-level YAML body', deepYaml, 'application/yaml'],
    ['a 9,000-level JSON body', deepJson, 'application/json'],
  ] as const) {
    test(`${name} is 400 BadRequest and the server keeps answering`, async () => {
      const r = await postJson(pods(), body, 'POST', type);
      assert.equal(r.status, 400);
      assert.equal(r.body.kind, 'Status');
      assert.match(r.body.message, /exceeded max depth of 500/);
      assert.equal((await getJson(pods())).status, 200);
    });
  }

  test('a YAML body that is JSON is decoded as JSON', async () => {
    const r = await postJson(
      pods(),
      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "y"}}',
      'POST',
      'application/yaml',
    );
    // Decoded (then refused by validation for its missing containers), not a syntax error.
    assert.equal(r.status, 422);
    assert.match(r.body.message, /spec.containers: Required value/);
  });
});
