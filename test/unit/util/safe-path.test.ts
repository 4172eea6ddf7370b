import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { childPath } from '../../../src/util/safe-path.js';

test('childPath joins safe components under the parent', () => {
  assert.equal(childPath('/root/state', 'containers', 'abc-123', 'c_0'), '/root/state/containers/abc-123/c_0');
  assert.equal(childPath('/root/state/', 'x.json'), '/root/state/x.json');
});

test('childPath rejects traversal, separators, empty and NUL components', () => {
  for (const bad of ['..', '.', '', '../../victim', '../x', 'a/../..', '/etc', 'a/b', 'a\0b']) {
    assert.throws(() => childPath('/root/state', 'containers', bad), /unsafe path component/, bad);
  }
  assert.throws(() => childPath('/root/state'), /at least one/);
});
