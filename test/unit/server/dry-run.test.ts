// The dryRun parameter: All from the query or DeleteOptions, the API server's Invalid
// for other values, and the refusal of a dry run a handler cannot honour.
import assert from 'node:assert/strict';
import {
  deleteOptionsDryRun,
  dryRunCapable,
  dryRunParam,
  refuseUnsupportedDryRun,
} from '../../../src/server/dry-run.js';
import type { Handler } from '../../../src/server/http-util.js';
import { describe, test } from '../../harness/node-test.js';

const q = (s: string) => new URLSearchParams(s);

describe('dryRun parameter', () => {
  test('absent is a real write; All from the query or the DeleteOptions body is a dry run', () => {
    assert.equal(dryRunParam(q(''), 'CreateOptions'), false);
    assert.equal(dryRunParam(q('dryRun=All'), 'CreateOptions'), true);
    assert.equal(dryRunParam(q(''), 'DeleteOptions', ['All']), true);
    assert.equal(dryRunParam(q(''), 'DeleteOptions', []), false);
    assert.deepEqual(deleteOptionsDryRun({ kind: 'DeleteOptions', dryRun: ['All'] }), ['All']);
    assert.equal(deleteOptionsDryRun(undefined), undefined);
  });

  test('any other value is Invalid with the options kind and every value named', () => {
    assert.throws(() => dryRunParam(q('dryRun=All&dryRun=x'), 'PatchOptions'), {
      code: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "x"}: supported values: "All"',
    });
    assert.throws(() => dryRunParam(q(''), 'DeleteOptions', 'All'), { code: 'BadRequest' });
    assert.throws(() => deleteOptionsDryRun([]), { code: 'BadRequest', message: 'DeleteOptions must be an object' });
  });

  test('a write with dryRun reaches only a handler that honours it', () => {
    const plain: Handler = async () => {};
    const capable = dryRunCapable(async () => {});
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      assert.throws(() => refuseUnsupportedDryRun(method, q('dryRun=All'), plain, 'namespaces'), {
        code: 'BadRequest',
        message: `dryRun is not supported by minikubelet for ${method} on namespaces; nothing was changed`,
      });
      assert.doesNotThrow(() => refuseUnsupportedDryRun(method, q('dryRun=All'), capable, 'pods'));
      assert.doesNotThrow(() => refuseUnsupportedDryRun(method, q(''), plain, 'namespaces'));
    }
    assert.doesNotThrow(() => refuseUnsupportedDryRun('GET', q('dryRun=All'), plain, 'pods'));
  });
});
