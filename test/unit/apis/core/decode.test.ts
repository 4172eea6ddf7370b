import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { decodeManifests } from '../../../../src/apis/core/decode.js';

describe('decodeManifests', () => {
  test('several YAML documents, empty ones skipped, kinds reported', () => {
    const docs = decodeManifests(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n---\n# only a comment\n---\napiVersion: v1\nkind: Secret\n',
    );
    assert.deepEqual(
      docs.map((d) => [d.index, d.kind]),
      [
        [0, 'Pod'],
        [3, 'Secret'],
      ],
    );
    assert.deepEqual(docs[0]!.object, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } });
  });

  test('JSON, including tab indentation', () => {
    const docs = decodeManifests('{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"data": {"k": "v"}\n}');
    assert.equal(docs.length, 1);
    assert.equal(docs[0]!.kind, 'ConfigMap');
    assert.deepEqual((docs[0]!.object as { data: unknown }).data, { k: 'v' });
  });

  test('a List is flattened into its items', () => {
    const docs = decodeManifests(
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod}\n- {apiVersion: v1, kind: ConfigMap}\n',
    );
    assert.deepEqual(
      docs.map((d) => [d.index, d.item, d.kind]),
      [
        [0, 0, 'Pod'],
        [0, 1, 'ConfigMap'],
      ],
    );
  });

  test('a YAML syntax error names its document and line; other documents survive', () => {
    const docs = decodeManifests('kind: Pod\n---\nkind: Pod\nmetadata: [oops\n---\nkind: Secret\n', 'pod.yaml');
    assert.equal(docs.length, 3);
    assert.equal(docs[0]!.kind, 'Pod');
    assert.match(docs[1]!.error!, /^pod\.yaml: document 1: error converting YAML to JSON: yaml: line \d+: /);
    assert.equal(docs[1]!.object, undefined);
    assert.equal(docs[2]!.kind, 'Secret');
  });

  test('duplicate keys are an error, as in strict decoding', () => {
    const [d] = decodeManifests('kind: Pod\nkind: Secret\n');
    assert.match(d!.error!, /document 0: .*line 2: key "kind" already set in map/);
  });

  const notMappings: [string, string, RegExp][] = [
    ['a list', '- a\n- b\n', /document 0: expected a mapping .*got a list/],
    ['a scalar', 'hello\n', /document 0: expected a mapping .*got a string/],
    ['a List item', 'kind: List\nitems:\n- 3\n', /document 0: items\[0\]: expected a mapping, got a number/],
  ];
  for (const [name, text, re] of notMappings) {
    test(`${name} is an error, not a throw`, () => {
      const docs = decodeManifests(text);
      assert.equal(docs.length, 1);
      assert.match(docs[0]!.error!, re);
    });
  }

  test('an empty file yields no documents', () => {
    assert.deepEqual(decodeManifests(''), []);
    assert.deepEqual(decodeManifests('---\n---\n'), []);
  });
});
