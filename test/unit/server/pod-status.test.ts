// The pods/status subresource over HTTP against a FakeNode: GET, the three PATCH types
// kubectl sends with --subresource=status, PUT, discovery's verbs, and what the node is handed.
import { test, beforeEach, afterEach } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { startHarness, postJson, getJson, type Harness } from './helpers.js';
import { podManifest } from '../../fakes/fake-node.js';
import type { Pod, PodCondition } from '../../../src/apis/core/types.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  const r = await postJson(`${h.url}/api/v1/namespaces/default/pods`, podManifest('web'));
  assert.equal(r.status, 201);
  // The kubelet's conditions as a sync would have published them.
  const pod = h.node.pods.get('default/web')!;
  pod.status = {
    phase: 'Running',
    conditions: [cond('Ready', 'False'), cond('ContainersReady', 'True'), cond('example.com/old', 'True')],
  };
});
afterEach(() => h.close());

function cond(type: string, status: 'True' | 'False'): PodCondition {
  return { type, status, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' };
}

const statusUrl = () => `${h.url}/api/v1/namespaces/default/pods/web/status`;
const sentTypes = () => h.node.statusCalls.at(-1)!.body.status!.conditions!.map((c) => `${c.type}=${c.status}`);
const GATE = { type: 'example.com/lb', status: 'True' };

test('strategic merge patch merges conditions by type', async () => {
  const r = await postJson<Pod>(
    statusUrl(),
    { status: { conditions: [GATE, { type: 'Ready', status: 'True' }] } },
    'PATCH',
    'application/strategic-merge-patch+json',
  );
  assert.equal(r.status, 200);
  assert.deepEqual(sentTypes(), ['Ready=True', 'ContainersReady=True', 'example.com/old=True', 'example.com/lb=True']);
  assert.equal(h.node.updateCalls.length, 0, 'the status write is not a pod update');
});

test('JSON merge patch replaces the list', async () => {
  const r = await postJson(statusUrl(), { status: { conditions: [GATE] } }, 'PATCH', 'application/merge-patch+json');
  assert.equal(r.status, 200);
  assert.deepEqual(sentTypes(), ['example.com/lb=True']);
});

test('JSON patch adds one condition', async () => {
  const r = await postJson(
    statusUrl(),
    [{ op: 'add', path: '/status/conditions/-', value: GATE }],
    'PATCH',
    'application/json-patch+json',
  );
  assert.equal(r.status, 200);
  assert.deepEqual(sentTypes(), ['Ready=False', 'ContainersReady=True', 'example.com/old=True', 'example.com/lb=True']);
});

test('PUT of the whole pod, with the resourceVersion precondition', async () => {
  const live = (await getJson<Pod>(statusUrl())).body;
  assert.equal(live.metadata.name, 'web');
  live.status!.conditions = [{ ...cond('example.com/lb', 'False') }];
  const ok = await postJson(statusUrl(), live, 'PUT');
  assert.equal(ok.status, 200);
  assert.deepEqual(sentTypes(), ['example.com/lb=False']);
  const stale = await postJson<{ reason: string }>(statusUrl(), live, 'PUT');
  assert.equal(stale.status, 409);
  assert.equal(stale.body.reason, 'Conflict');
});

test('an absent pod is NotFound; another media type is 415', async () => {
  const gone = await postJson<{ reason: string; message: string }>(
    `${h.url}/api/v1/namespaces/default/pods/nope/status`,
    { status: {} },
    'PATCH',
    'application/merge-patch+json',
  );
  assert.equal(gone.status, 404);
  assert.equal(gone.body.message, 'pods "nope" not found');
  const bad = await postJson(statusUrl(), { status: {} }, 'PATCH', 'text/plain');
  assert.equal(bad.status, 415);
});

test('discovery lists patch and update for pods/status', async () => {
  const r = await getJson<{ resources: { name: string; verbs: string[] }[] }>(`${h.url}/api/v1`);
  assert.deepEqual(r.body.resources.find((x) => x.name === 'pods/status')!.verbs, ['get', 'patch', 'update']);
});
