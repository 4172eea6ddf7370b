// The dryRun parameter: All from the query or DeleteOptions, the API server's Invalid
// for other values, and the refusal of a dry run a handler cannot honour.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { readDeleteOptions } from '../../../src/server/delete-options.js';
import { dryRunCapable, dryRunParam, refuseUnsupportedDryRun } from '../../../src/server/dry-run.js';
import type { Handler } from '../../../src/server/http-util.js';
import { describe, test } from '../../harness/node-test.js';

const q = (s: string) => new URLSearchParams(s);

describe('dryRun parameter', () => {
  test('absent is a real write; All from the query or the DeleteOptions body is a dry run', () => {
    assert.equal(dryRunParam(q(''), 'CreateOptions'), false);
    assert.equal(dryRunParam(q('dryRun=All'), 'CreateOptions'), true);
    assert.equal(dryRunParam(q(''), 'DeleteOptions', ['All']), true);
    assert.equal(dryRunParam(q(''), 'DeleteOptions', []), false);
  });

  test('any other value is Invalid with the options kind and every value named', () => {
    assert.throws(() => dryRunParam(q('dryRun=All&dryRun=x'), 'PatchOptions'), {
      code: 'Invalid',
      message:
        'PatchOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "x"}: supported values: "All"',
    });
    assert.throws(() => dryRunParam(q(''), 'DeleteOptions', 'All'), { code: 'BadRequest' });
  });

  test('DeleteOptions from the query and the body; the body wins for the grace period', async () => {
    const req = (body: string) =>
      Object.assign(Readable.from(body ? [Buffer.from(body)] : []), {
        headers: { 'content-type': 'application/json' },
      }) as unknown as IncomingMessage;
    assert.deepEqual(await readDeleteOptions(req(''), q('gracePeriodSeconds=5')), {
      gracePeriodSeconds: 5,
      dryRun: false,
    });
    assert.deepEqual(
      await readDeleteOptions(
        req('{"kind":"DeleteOptions","gracePeriodSeconds":0,"dryRun":["All"]}'),
        q('gracePeriodSeconds=5'),
      ),
      { gracePeriodSeconds: 0, dryRun: true },
    );
    await assert.rejects(readDeleteOptions(req('[]'), q('')), {
      code: 'BadRequest',
      message: 'DeleteOptions must be an object',
    });
    await assert.rejects(readDeleteOptions(req('{"gracePeriodSeconds":-1}'), q('')), {
      code: 'BadRequest',
      message: 'gracePeriodSeconds: Invalid value: -1: must be >= 0',
    });
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
