import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { filepathMatch } from '../../../src/util/filepath-match.js';

// The table of Go's src/path/filepath/match_test.go (matchTests); ErrBadPattern rows expect false.
const GO_CASES: [string, string, boolean][] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'x', true],
  ['[\\-x]', '-', true],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', false],
  ['[-]', '-', false],
  ['[x-]', 'x', false],
  ['[x-]', '-', false],
  ['[x-]', 'z', false],
  ['[-x]', 'x', false],
  ['[-x]', '-', false],
  ['[-x]', 'a', false],
  ['\\', 'a', false],
  ['[a-b-c]', 'a', false],
  ['[', 'a', false],
  ['[^', 'a', false],
  ['[^bc', 'a', false],
  ['a[', 'a', false],
  ['a[', 'ab', false],
  ['a[', 'x', false],
  ['a/b[', 'x', false],
  ['*x', 'xxx', true],
];

describe('filepathMatch (Go path/filepath.Match)', () => {
  for (const [pattern, name, want] of GO_CASES) {
    test(`Match(${JSON.stringify(pattern)}, ${JSON.stringify(name)}) = ${want}`, () =>
      assert.equal(filepathMatch(pattern, name), want));
  }

  test('star-heavy patterns stay linear: 1,000 pathological matches finish within the test timeout', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const name = 'a'.repeat(200);
    for (let i = 0; i < 1000; i++) assert.equal(filepathMatch(pattern, name), false);
    assert.equal(filepathMatch(pattern, `${name}b`), true);
  });
});
