import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonDepth, MAX_NESTING_DEPTH, yamlDepth } from '../../../../src/apis/core/nesting.js';
import { decodeDocument, decodeManifests } from '../../../../src/apis/core/decode.js';

const blockMaps = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}a:\n`).join('');

describe('jsonDepth', () => {
  test('counts collections, not brackets inside strings or after escapes', () => {
    assert.equal(jsonDepth('{"a": [1, {"b": "[[[{{{"}], "c": "\\"[["}'), 3);
    assert.equal(jsonDepth('"just a string"'), 0);
    assert.equal(jsonDepth('['.repeat(700) + ']'.repeat(700)), MAX_NESTING_DEPTH + 1); // stops past the limit
  });
});

describe('yamlDepth', () => {
  const cases: [string, string, number][] = [
    ['a flat mapping', 'a: 1\nb: 2\n', 1],
    ['block nesting by indentation', 'a:\n  b:\n    c: 1\n', 3],
    ['compact sequences', '- - - x\n', 4],
    ['flow collections', 'a: {b: [1, [2]]}\n', 4],
    ['brackets in quotes and comments', 'a: "[[[[" # [[[[\nb: \'{{{{\'\nc: x[0]\n', 1],
    ['brackets in a block scalar', 'script: |\n  [[ -f x ]] && echo "{{{"\n  echo [[[[[[\nnext: 1\n', 1],
  ];
  for (const [name, text, want] of cases) test(name, () => assert.equal(yamlDepth(text), want));

  test('deep flow and deep block nesting are measured without parsing', () => {
    assert.ok(yamlDepth(`a: ${'['.repeat(10_001)}`) > MAX_NESTING_DEPTH);
    assert.ok(yamlDepth(blockMaps(600)) > MAX_NESTING_DEPTH);
    assert.ok(yamlDepth('- '.repeat(600)) > MAX_NESTING_DEPTH);
  });

  test('every shipped example manifest is far below the limit and decodes', () => {
    const dir = join(process.cwd(), 'manifests');
    for (const f of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.ok(yamlDepth(text) < 30, f);
      assert.ok(
        decodeManifests(text).every((d) => d.error === undefined),
        f,
      );
    }
  });
});

describe('decoding bounds nesting before parsing', () => {
  test('a 10,001-level YAML document is refused, not parsed', () => {
    const [d] = decodeManifests(`a: ${'['.repeat(10_001)}${']'.repeat(10_001)}`, 'deep.yaml');
    assert.equal(d!.error, `deep.yaml: document 0: error converting YAML to JSON: yaml: exceeded max depth of 500`);
    assert.throws(() => decodeDocument(blockMaps(10_001), true), /exceeded max depth of 500/);
  });

  test('a 9,000-level JSON body is refused; one at the limit decodes', () => {
    const nest = (n: number) => `{"a": ${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
    assert.throws(() => decodeDocument(nest(9000), false), /^Error: exceeded max depth of 500$/);
    assert.ok(decodeDocument(nest(MAX_NESTING_DEPTH), false));
    assert.ok(decodeDocument(nest(MAX_NESTING_DEPTH), true));
  });

  test('a YAML document just under the limit decodes', () => {
    assert.ok(decodeDocument(`a: ${'['.repeat(MAX_NESTING_DEPTH - 2)}${']'.repeat(MAX_NESTING_DEPTH - 2)}`, true));
    assert.ok(decodeDocument(blockMaps(MAX_NESTING_DEPTH - 2), true));
  });

  test('alias bombs are still refused', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const [d] = decodeManifests(`${levels.join('\n')}\n`);
    assert.match(d!.error!, /[Ee]xcessive alias count/);
  });

  test('many distinct keys are checked for duplicates in linear time', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    assert.equal(Object.keys(decodeDocument(keys, true) as object).length, 20_000);
    assert.throws(() => decodeDocument(`${keys}\nk7: again\n`, true), /line 20001: key "k7" already set in map/);
  });
});

describe('decoded objects cannot reach Object.prototype', () => {
  for (const [name, text, yaml] of [
    ['JSON', '{"__proto__": {"polluted": 1}}', false],
    ['YAML', '__proto__: {polluted: 1}\n', true],
  ] as const) {
    test(`${name}: __proto__ stays an own key`, () => {
      const o = decodeDocument(text, yaml) as Record<string, unknown>;
      assert.deepEqual(Object.keys(o), ['__proto__']);
      assert.equal(Object.getPrototypeOf(o), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }
});
