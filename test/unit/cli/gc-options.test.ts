// serve's garbage-collection flags: the kubelet's names and defaults, validated.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { agentOptions, GC_FLAGS } from '../../../src/cli/agent-options.js';
import { AGENT_FLAGS, parse } from '../../../src/cli/args.js';

const FLAGS = { ...AGENT_FLAGS, ...GC_FLAGS };
const opts = (...argv: string[]) => agentOptions(parse(argv, FLAGS));

describe('GC flags', () => {
  test("defaults are the kubelet's, image GC off", () => {
    const o = opts();
    assert.equal(o.maxDeadContainersPerContainer, 1);
    assert.equal(o.minimumContainerTtlMs, 0);
    assert.equal(o.imageGcHighThresholdPercent, undefined);
    assert.equal(o.imageGcLowThresholdPercent, 80);
    assert.equal(o.imageMinimumGcAgeMs, 120_000);
  });
  test('values are parsed', () => {
    const o = opts(
      '--maximum-dead-containers-per-container=-1',
      '--minimum-container-ttl-duration=1m',
      '--image-gc-high-threshold=90',
      '--image-gc-low-threshold=70',
      '--image-minimum-gc-age=5m',
    );
    assert.equal(o.maxDeadContainersPerContainer, -1);
    assert.equal(o.minimumContainerTtlMs, 60_000);
    assert.equal(o.imageGcHighThresholdPercent, 90);
    assert.equal(o.imageGcLowThresholdPercent, 70);
    assert.equal(o.imageMinimumGcAgeMs, 300_000);
  });
  test('bad values name the flag', () => {
    assert.throws(() => opts('--maximum-dead-containers-per-container=-2'), /--maximum-dead-containers-per-container/);
    assert.throws(() => opts('--image-gc-high-threshold=101'), /--image-gc-high-threshold: "101"/);
    assert.throws(
      () => opts('--image-gc-high-threshold=70'),
      /--image-gc-low-threshold: 80 is above --image-gc-high-threshold 70/,
    );
    assert.throws(() => opts('--minimum-container-ttl-duration=soon'), /--minimum-container-ttl-duration/);
  });
});
