// DELETE of a collection (the deletecollection verb client-go's DeleteCollection and
// Kubernetes' own e2e tests use): the items the selectors pick are deleted with the
// request's DeleteOptions, the answer lists them, the others stay.
import assert from 'node:assert/strict';
import type { Pod, Secret } from '../../../src/apis/core/types.js';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { after, before, describe, test } from '../../harness/node-test.js';

const pod = (name: string, app: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app } },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      { name: 'c', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
    ],
  },
});

describe('deletecollection', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent?.cleanup();
  });

  const del = async (path: string, body?: unknown) => {
    const r = await agent.client.sendRaw('DELETE', path, {
      ...(body ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
    });
    return { status: r.status, body: (await r.json()) as { kind: string; items: Pod[]; message?: string } };
  };
  const names = async () => (await agent.client.listPods('default')).map((p) => p.metadata.name).sort();

  test('pods by label selector: deleted gracefully and listed; a dry run deletes nothing', async () => {
    for (const [n, app] of [
      ['a1', 'a'],
      ['a2', 'a'],
      ['b1', 'b'],
    ])
      await agent.client.createPod('default', pod(n!, app!));
    await waitFor('all running', async () =>
      (await agent.client.listPods('default')).every((p) => p.status?.phase === 'Running'),
    );

    const dry = await del('/api/v1/namespaces/default/pods?labelSelector=app%3Da&dryRun=All');
    assert.equal(dry.status, 200);
    assert.deepEqual(dry.body.items.map((p) => p.metadata.name).sort(), ['a1', 'a2']);
    assert.ok(
      (await agent.client.listPods('default')).every((p) => !p.metadata.deletionTimestamp),
      'a dry run',
    );

    const r = await del('/api/v1/namespaces/default/pods?labelSelector=app%3Da', {
      kind: 'DeleteOptions',
      gracePeriodSeconds: 1,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'PodList');
    assert.deepEqual(r.body.items.map((p) => p.metadata.name).sort(), ['a1', 'a2']);
    assert.ok(
      r.body.items.every((p) => p.metadata.deletionTimestamp),
      'each as its delete answered it',
    );
    await waitFor('a1 and a2 gone', async () => (await names()).join() === 'b1', 60_000);
  });

  test('secrets by field selector; another namespace is untouched', async () => {
    const secret = (name: string, ns: string): Secret =>
      ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'Opaque', data: {} }) as Secret;
    await agent.client.applyObject('default', secret('keep', 'default'));
    await agent.client.applyObject('default', secret('drop', 'default'));
    await agent.client.applyObject('kube-system', secret('drop', 'kube-system'));
    const r = await del('/api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ddrop');
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'SecretList');
    assert.deepEqual(
      r.body.items.map((s) => s.metadata.name),
      ['drop'],
    );
    const left = (await agent.client.listObjects('Secret')).map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    assert.ok(
      left.includes('default/keep') && left.includes('kube-system/drop') && !left.includes('default/drop'),
      left.join(),
    );
  });
});
