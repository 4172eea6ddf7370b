// Cordon as the node lifecycle controller shows it (doNoScheduleTaintingPass): spec.unschedulable
// brings the node.kubernetes.io/unschedulable:NoSchedule taint, uncordon takes it away,
// and the user's own taints are kept apart from it.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeManager } from '../../../src/node/node-manager.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeRuntime } from '../../fakes/fake-runtime.js';

test('cordon adds the unschedulable taint, uncordon removes it, user taints stay', (t) => {
  const rootDir = mkdtempSync(join(tmpdir(), 'node-cordon-'));
  t.after(() => rmSync(rootDir, { recursive: true }));
  const clock = new FakeClock();
  const nodes = new NodeManager({
    nodeName: 'n1',
    rootDir,
    runtime: new FakeRuntime(clock),
    clock,
    rvs: new ResourceVersions(),
    hostIP: '127.0.0.1',
    podCidr: '10.88.0.0/16',
    maxPods: 110,
    systemReserved: {},
    kubeletVersion: 'v1.32.0',
    updateFrequencyMs: 10_000,
    log: silentLogger(),
  });
  const live = nodes.get('n1');
  const userTaint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  const cordoned = nodes.update('n1', { ...live, spec: { ...live.spec, unschedulable: true, taints: [userTaint] } });
  assert.equal(cordoned.spec.unschedulable, true);
  assert.deepEqual(cordoned.spec.taints, [
    userTaint,
    { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' },
  ]);
  // kubectl uncordon: {"spec":{"unschedulable":null}} merged into the live node, its taints included.
  const { unschedulable: _, ...rest } = cordoned.spec;
  const uncordoned = nodes.update('n1', { ...cordoned, spec: rest });
  assert.equal(uncordoned.spec.unschedulable, undefined);
  assert.deepEqual(uncordoned.spec.taints, [userTaint]);
  nodes.stop();
});
