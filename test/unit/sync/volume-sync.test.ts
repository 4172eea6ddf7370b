// syncPod keeps configMap volumes up to date (the volume manager's periodic remount):
// every sync of a running pod hands the runtime the current payload, and a missing
// ConfigMap is a FailedMount that starts nothing.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { DataObject, ValidPod } from '../../../src/apis/core/types.js';
import type { VolumePayloads } from '../../../src/runtime/projected-volumes.js';
import { pod } from '../../fixtures/pods.js';
import { newTestSync } from '../../fakes/sync-harness.js';

function withConfigVolume(p: ValidPod): ValidPod {
  return { ...p, spec: { ...p.spec, volumes: [{ name: 'conf', configMap: { name: 'cfg' } }] } };
}

const cfg = (value: string): DataObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default' },
  data: { k: value },
});

describe('syncPod: configMap volumes', () => {
  test('each sync of a running pod passes the current payload; a missing ConfigMap starts nothing', async () => {
    const h = newTestSync();
    let stored: DataObject | undefined;
    h.deps.objects = () => stored;
    const p = withConfigVolume(pod({ containers: ['a'] }));
    h.admit(p);

    await h.sync(p);
    assert.deepEqual(h.runtime.created(), [], 'nothing created before the ConfigMap exists');
    assert.ok(
      h.events.list().some((e) => e.reason === 'FailedMount' && e.message?.includes('configmap "cfg" not found')),
    );

    stored = cfg('one');
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['a']);

    stored = cfg('two');
    await h.sync(p);
    assert.deepEqual(h.runtime.created(), ['a'], 'nothing restarted');
    const last = h.runtime.callsOf('setUpPodVolumes').at(-1)!.args[1] as VolumePayloads;
    assert.equal(last.get('conf')?.payload.get('k')?.data.toString(), 'two');
  });
});
