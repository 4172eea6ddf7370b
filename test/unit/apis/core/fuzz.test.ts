// Unit-level fuzz of decoding and admission: thousands of generated and mutated
// manifests; each one decodes to objects or errors and is admitted or refused with
// a KubeletError: never another exception (TypeError, RangeError), never a pollution.
import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { decodeManifests } from '../../../../src/apis/core/decode.js';
import { admitObject } from '../../../../src/apis/core/admit.js';
import { KubeletError } from '../../../../src/util/errors.js';
import { ManifestFuzzer } from '../../../fuzz/manifests.js';

const SEED = Number(process.env.MKL_FUZZ_SEED) || 20_261_123;
const COUNT = 3000;
/** Inputs per test: each test stays far inside the unit suite's per-test bound. */
const CHUNK = 500;

describe('fuzz: decodeManifests + admitObject', () => {
  const fz = new ManifestFuzzer(SEED, 'unit');
  for (let from = 0; from < COUNT; from += CHUNK) {
    test(`mutated manifests ${from}–${from + CHUNK - 1} are decoded and admitted or refused cleanly (seed ${SEED})`, () => {
      let admitted = 0;
      let refused = 0;
      for (let i = from; i < from + CHUNK; i++) {
        const input = fz.next(i);
        let docs: ReturnType<typeof decodeManifests>;
        try {
          docs = decodeManifests(input.text, 'fuzz');
        } catch (err) {
          assert.fail(`${input.what}: decodeManifests threw ${String(err)}`);
        }
        for (const d of docs) {
          if (d.error !== undefined) {
            assert.ok(d.error.length > 0, input.what);
            refused++;
            continue;
          }
          try {
            admitObject(d.object, { namespace: 'default' });
            admitted++;
          } catch (err) {
            assert.ok(err instanceof KubeletError, `${input.what}: ${String(err)}`);
            assert.ok(err.message.length > 0, input.what);
            refused++;
          }
        }
        assert.equal(({} as Record<string, unknown>).polluted, undefined, input.what);
      }
      // The mix exercises both outcomes.
      assert.ok(admitted > 5 && refused > CHUNK / 2, `admitted ${admitted}, refused ${refused} (seed ${SEED})`);
    });
  }
});
