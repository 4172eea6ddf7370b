// Pure parts of the testing library: reading manifests, withEnvironment, the wait
// strategies (with a fake pod view), the failure summary, and the Multus annotation parse.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { Pod } from '../../../src/apis/core/types.js';
import { readManifests, setEnvironment } from '../../../src/testing/manifests.js';
import { Wait, waitUntil, type WaitContext } from '../../../src/testing/wait.js';
import { summarizePod } from '../../../src/testing/pod-summary.js';
import { attachmentNames } from '../../../src/runtime/pod-attachments.js';

const YAML = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers: [{name: i, image: x}]
  containers: [{name: app, image: x, env: [{name: A, value: "1"}, {name: B, value: "2"}]}]
---
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData: {k: v}
`;

function pod(status: Pod['status']): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u' }, spec: { containers: [] }, status } as Pod;
}
const ctx = (p: Pod, log = ''): WaitContext => ({ pod: async () => p, logs: async () => log });

describe('PodContainer manifests', () => {
  test('several documents: objects first, pods apart; the input is not modified', () => {
    const m = readManifests(YAML);
    assert.deepEqual(
      m.objects.map((o) => o.kind),
      ['Secret'],
    );
    assert.equal(m.pods[0]?.metadata.name, 'p');
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'c' }] } };
    const m2 = readManifests(obj);
    setEnvironment(m2.pods, 'c', { X: 'y' });
    assert.equal((obj.spec.containers[0] as { env?: unknown }).env, undefined);
  });
  test('refusals name the document or the container', () => {
    assert.throws(() => readManifests({ kind: 'Deployment' }), /document 0: kind "Deployment" is not supported/);
    assert.throws(() => readManifests({ kind: 'Secret' }), /the manifests hold no Pod/);
    assert.throws(() => setEnvironment(readManifests(YAML).pods, 'nope', {}), /no container named "nope"/);
  });
  test('withEnvironment replaces same-named vars and appends the others, init containers included', () => {
    const m = readManifests(YAML);
    setEnvironment(m.pods, 'app', { B: 'two', C: '3' });
    setEnvironment(m.pods, 'i', { D: '4' });
    assert.deepEqual(m.pods[0]?.spec.containers[0]?.env, [
      { name: 'A', value: '1' },
      { name: 'B', value: 'two' },
      { name: 'C', value: '3' },
    ]);
    assert.deepEqual(m.pods[0]?.spec.initContainers?.[0]?.env, [{ name: 'D', value: '4' }]);
  });
});

describe('PodContainer wait strategies', () => {
  const ready = pod({
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '' }],
  });
  const failed = pod({
    phase: 'Failed',
    containerStatuses: [
      {
        name: 'c',
        ready: false,
        restartCount: 0,
        image: 'x',
        imageID: '',
        state: { terminated: { exitCode: 1, reason: 'Error' } },
        lastState: {},
      } as never,
    ],
  });
  test('forPodReady: met, not yet, impossible once the pod ended', async () => {
    assert.deepEqual(await Wait.forPodReady().check(ctx(ready)), { met: true });
    assert.deepEqual(await Wait.forPodReady().check(ctx(pod({ phase: 'Pending' }))), { met: false });
    assert.deepEqual(await Wait.forPodReady().check(ctx(failed)), {
      met: false,
      impossible: "the pod's phase is Failed",
    });
  });
  test('forPhase, forContainerLog (text lines, regex, times), forProbe', async () => {
    assert.deepEqual(await Wait.forPhase('Failed').check(ctx(failed)), { met: true });
    assert.equal((await Wait.forPhase('Succeeded').check(ctx(failed))).met, false);
    const running = pod({ phase: 'Running' });
    assert.equal((await Wait.forContainerLog('c', 'up').check(ctx(running, 'a\nup\n'))).met, true);
    assert.equal((await Wait.forContainerLog('c', 'up', 2).check(ctx(running, 'up\nup\n'))).met, true);
    assert.equal((await Wait.forContainerLog('c', /u+p/, 3).check(ctx(running, 'up uup\n'))).met, false);
    assert.equal((await Wait.forProbe('c', 'startup').check(ctx(failed))).met, false);
  });
  test('a timeout names the strategy and the pod, then the summary', async () => {
    await assert.rejects(
      waitUntil(Wait.forPodReady(), ctx(pod({ phase: 'Pending' })), {
        timeoutMs: 30,
        intervalMs: 5,
        podRef: 'default/p',
        describe: async () => 'SUMMARY',
      }),
      { message: 'PodContainer: waiting for the pod to be Ready of pod default/p: timed out after 30 ms\nSUMMARY' },
    );
  });
  test('the summary shows phase, conditions, containers and events', () => {
    const text = summarizePod(failed, [
      { type: 'Warning', reason: 'BackOff', count: 2, message: 'Back-off restarting' } as never,
    ]);
    assert.equal(
      text,
      '  phase: Failed\n  container c: terminated Error (exit code 1), ready=false, restarts=0\n  events:\n    Warning BackOff (x2): Back-off restarting',
    );
  });
});

describe('Multus network attachments annotation', () => {
  test('short form, namespace/name@iface, duplicates and blanks', () => {
    const p = pod(undefined);
    p.metadata.annotations = { 'k8s.v1.cni.cncf.io/networks': 'a, ns/b@eth1,,a' };
    assert.deepEqual(attachmentNames(p as never), ['a', 'b']);
    assert.deepEqual(attachmentNames(pod(undefined) as never), []);
    p.metadata.annotations = { 'k8s.v1.cni.cncf.io/networks': '[{"name":"x","namespace":"ns"},{"name":"y"},{}]' };
    assert.deepEqual(attachmentNames(p as never), ['x', 'y']);
    p.metadata.annotations = { 'k8s.v1.cni.cncf.io/networks': '[{"name":' };
    assert.deepEqual(attachmentNames(p as never), []);
  });
});
