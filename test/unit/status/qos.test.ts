// QoS class and the OOM score adjust the kubelet gives each container (pkg/kubelet/qos/policy.go).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Container, ValidPod } from '../../../src/apis/core/types.js';
import { oomScoreAdjust, podQOSClass } from '../../../src/status/qos.js';
import { mkPod } from './helpers.js';

const GI = 2 ** 30;
const c = (resources: Container['resources']): Container => ({ name: 'app', image: 'x', resources });
const podOf = (container: Container, extra: Record<string, unknown> = {}): ValidPod => {
  const p = mkPod({ containers: [container] });
  return { ...p, spec: { ...p.spec, ...extra } };
};

describe('oomScoreAdjust', () => {
  const cases: [string, Container, number, string][] = [
    ['BestEffort', c(undefined), 1000, 'BestEffort'],
    ['Guaranteed', c({ limits: { cpu: '1', memory: '1Gi' } }), -997, 'Guaranteed'],
    [
      'Burstable: 1000 − 1000·request/capacity',
      c({ requests: { memory: '1Gi' } }),
      1000 - Math.trunc(1000 / 8),
      'Burstable',
    ],
    ['Burstable asking for nothing of memory: 999, not BestEffort', c({ requests: { cpu: '100m' } }), 999, 'Burstable'],
    [
      'Burstable asking for all memory: 3, above Guaranteed',
      c({ requests: { memory: '8Gi' }, limits: { memory: '16Gi' } }),
      3,
      'Burstable',
    ],
  ];
  for (const [name, container, want, qos] of cases) {
    test(name, () => {
      const pod = podOf(container);
      assert.equal(podQOSClass(pod), qos);
      assert.equal(oomScoreAdjust(pod, container, 8 * GI), want);
    });
  }
  test('a node-critical pod is treated as Guaranteed', () => {
    const container = c(undefined);
    assert.equal(
      oomScoreAdjust(podOf(container, { priorityClassName: 'system-node-critical' }), container, 8 * GI),
      -997,
    );
  });
});
