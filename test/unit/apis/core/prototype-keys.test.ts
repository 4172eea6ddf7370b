// Client keys named after Object.prototype members are data, in every path that walks
// a body: field-validation pruning, strategic-merge and JSON merge patches.
import assert from 'node:assert/strict';
import { jsonMergePatch } from '../../../../src/apis/core/patch/json-patch.js';
import { POD_PATCH_META } from '../../../../src/apis/core/patch/patch-meta.js';
import { strategicMergePatch } from '../../../../src/apis/core/patch/strategic-merge.js';
import { CONFIGMAP_SCHEMA, POD_SCHEMA } from '../../../../src/apis/core/schema.js';
import { withoutUnknownFields } from '../../../../src/apis/core/unknown-fields.js';
import { test } from '../../../harness/node-test.js';

const proto = (v: unknown) => JSON.parse(`{"__proto__": ${JSON.stringify(v)}}`) as Record<string, unknown>;

test('pruning unknown fields drops a __proto__ field and keeps a __proto__ data key', () => {
  const pod = { metadata: { name: 'p', ...proto({ polluted: 1 }) }, spec: { containers: [], ...proto({ x: 1 }) } };
  const pruned = withoutUnknownFields(pod, POD_SCHEMA) as { metadata: object; spec: object };
  assert.deepEqual(Object.keys(pruned.metadata), ['name']);
  assert.deepEqual(Object.keys(pruned.spec), ['containers']);
  const cm = { data: { ...proto('v'), constructor: 'c' } };
  const kept = withoutUnknownFields(cm, CONFIGMAP_SCHEMA) as { data: Record<string, unknown> };
  assert.deepEqual(Object.keys(kept.data).sort(), ['__proto__', 'constructor']);
  assert.equal(Object.getPrototypeOf(kept.data), Object.prototype);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('patches set __proto__ and constructor as own keys, never as prototypes', () => {
  const live = { metadata: { name: 'p', labels: { a: '1' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
  const patch = { metadata: { labels: { ...proto({ polluted: true }), constructor: 'x' } } };
  for (const out of [
    strategicMergePatch(live, patch, POD_PATCH_META) as typeof live,
    jsonMergePatch(live, patch) as typeof live,
  ]) {
    const labels = out.metadata.labels as Record<string, unknown>;
    assert.deepEqual(Object.keys(labels).sort(), ['__proto__', 'a', 'constructor']);
    assert.equal(Object.getPrototypeOf(labels), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});
