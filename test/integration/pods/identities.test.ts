// The server owns identities and storage (issue #11 §2, §4 --max-pods, §5, §6), on the
// real engine: a client's uid is ignored (traversal uids harm nothing, another pod's uid
// takes nothing over), an API pod cannot declare itself static, long names are stored
// and survive a restart, an invalid PUT leaves the stored Secret intact, --max-pods
// rejects a bound pod with OutOfpods (an unbound one waits, Too many pods), and the root dir and state files are private.
import { after, before, describe, test } from '../../harness/node-test.js';
import { rawApiRequest } from '../../harness/raw-request.js';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Secret } from '../../../src/apis/core/types.js';
import { ObjectStore } from '../../../src/sources/object-store.js';
import { JsonDir } from '../../../src/sources/json-dir.js';
import { ResourceVersions } from '../../../src/util/resource-versions.js';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LONG_NAME = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

const sleeper = (name: string, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...metadata },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [
      { name: 'app', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
    ],
  },
});

async function request(agent: TestAgent, path: string, method: string, body?: unknown) {
  const r = await rawApiRequest(agent, method, path, {
    ...(body !== undefined ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
  });
  return { status: r.status, body: r.body as Record<string, unknown> & { message?: string } };
}

describe('identities and storage', () => {
  let agent: TestAgent;
  let base: string;
  let rootDir: string;
  before(async () => {
    // A root dir the agent creates itself, two levels down, to check the mode it gets.
    base = mkdtempSync(join(tmpdir(), 'mkl-ident-'));
    rootDir = join(base, 'fresh', 'root');
    agent = await startTestAgent({ rootDir });
  });
  after(async () => {
    await agent.cleanup();
    rmSync(base, { recursive: true, force: true });
  });

  const running = (name: string) =>
    waitFor(`${name} running`, async () => {
      const p = await agent.client.getPod('default', name);
      return p.status?.containerStatuses?.[0]?.state.running ? p : undefined;
    });

  test('a client-chosen uid is ignored; traversal uids delete nothing outside the root dir', async () => {
    // <root>/containers/<uid> would be <base>/victim for this uid.
    const victim = join(base, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep'), 'x');
    for (const [name, uid] of [
      ['trav', '../../../victim'],
      ['dotdot', '..'],
    ] as const) {
      const created = await agent.client.createPod('default', sleeper(name, { uid, resourceVersion: '7' }));
      assert.match(created.metadata.uid!, UUID);
      assert.equal(created.metadata.generation, undefined);
      await running(name);
      await agent.client.deletePod('default', name);
      await agent.client.waitForPodGone('default', name, 30_000);
    }
    assert.ok(existsSync(join(victim, 'keep')), 'the victim directory survived');
    assert.ok(existsSync(rootDir), 'the root dir survived');
  });

  test("reusing another pod's uid takes nothing over", async () => {
    const first = await agent.client.createPod('default', sleeper('owner'));
    await running('owner');
    const second = await agent.client.createPod('default', sleeper('thief', { uid: first.metadata.uid }));
    assert.notEqual(second.metadata.uid, first.metadata.uid);
    await running('thief');
    const owner = await agent.client.getPod('default', 'owner');
    assert.equal(owner.metadata.uid, first.metadata.uid);
    assert.ok(owner.status?.containerStatuses?.[0]?.state.running, 'the first pod still runs');
    await agent.client.deletePod('default', 'thief');
    await agent.client.deletePod('default', 'owner');
  });

  test('an API pod claiming config.source file is an API pod: deletable through the API', async () => {
    const created = await agent.client.createPod(
      'default',
      sleeper('claims-static', { annotations: { 'kubernetes.io/config.source': 'file' } }),
    );
    assert.equal(created.metadata.annotations?.['kubernetes.io/config.source'], 'api');
    const deleted = await agent.client.deletePod('default', 'claims-static');
    assert.ok(deleted.metadata.deletionTimestamp);
    await agent.client.waitForPodGone('default', 'claims-static', 30_000);
  });

  test('an invalid PUT leaves the Secret intact; a stale resourceVersion is 409; an absent one is 404', async () => {
    const url = '/api/v1/namespaces/default/secrets';
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, data: { password: 'b2xk' } };
    const created = await request(agent, url, 'POST', secret);
    assert.equal(created.status, 201);
    const before = await request(agent, `${url}/creds`, 'GET');

    const invalid = await request(agent, `${url}/creds`, 'PUT', { ...secret, data: { password: 'not base64!' } });
    assert.equal(invalid.status, 422);
    assert.match(invalid.body.message!, /data\[password\]/);
    assert.deepEqual((await request(agent, `${url}/creds`, 'GET')).body, before.body);

    const stale = await request(agent, `${url}/creds`, 'PUT', {
      ...secret,
      metadata: { name: 'creds', resourceVersion: '1' },
      data: { password: 'bmV3' },
    });
    assert.equal(stale.status, 409);
    assert.match(stale.body.message!, /Operation cannot be fulfilled on secrets "creds": the object has been modified/);

    const ok = await request(agent, `${url}/creds`, 'PUT', { ...secret, data: { password: 'bmV3' } });
    assert.equal(ok.status, 200);
    const meta = (o: Record<string, unknown>) => o.metadata as Record<string, string>;
    assert.equal(meta(ok.body).uid, meta(before.body).uid);
    assert.equal(meta(ok.body).creationTimestamp, meta(before.body).creationTimestamp);
    assert.notEqual(meta(ok.body).resourceVersion, meta(before.body).resourceVersion);

    assert.equal(
      (await request(agent, `${url}/absent`, 'PUT', { ...secret, metadata: { name: 'absent' } })).status,
      404,
    );
  });

  test('a Secret and a pod with a 253-character name are created and stored; they survive a restart', async () => {
    const s = await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: LONG_NAME },
      stringData: { k: 'v' },
    });
    assert.equal(s.action, 'created');
    const pod = await agent.client.createPod('default', sleeper(LONG_NAME));
    assert.equal(pod.metadata.name, LONG_NAME);
    const store = new ObjectStore(rootDir, new ResourceVersions(), (f) => assert.fail(`unreadable ${f}`));
    assert.equal((store.get('Secret', 'default', LONG_NAME) as Secret).data?.k, 'dg==');
    const pods = new JsonDir<{ metadata: { name: string } }>(join(rootDir, 'pods')).readAll((f) =>
      assert.fail(`unreadable ${f}`),
    );
    assert.ok(pods.some((p) => p.metadata.name === LONG_NAME));
    await agent.client.deletePod('default', LONG_NAME);
  });

  test('the root dir the agent created is 0700 and its state files are 0600', () => {
    assert.equal(statSync(rootDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(base, 'fresh')).mode & 0o777, 0o700);
    const files = [
      join(rootDir, 'agent-id'),
      join(rootDir, 'kubeconfig'),
      ...readdirSync(join(rootDir, 'objects', 'secrets')).map((f) => join(rootDir, 'objects', 'secrets', f)),
    ];
    assert.ok(files.length >= 3);
    for (const f of files) assert.equal(statSync(f).mode & 0o777, 0o600, f);
    for (const d of ['pods', 'objects/secrets', 'containers'])
      assert.equal(statSync(join(rootDir, d)).mode & 0o777, 0o700, d);
  });
});

describe('--max-pods', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent({ maxPods: 1 });
  });
  after(async () => {
    await agent.cleanup();
  });

  test('a pod bound to the node beyond the limit is Failed/OutOfpods with a Warning event and no container', async () => {
    await agent.client.createPod('default', sleeper('first'));
    // spec.nodeName set: the pod skips the scheduler and meets the kubelet's admission.
    const bound = sleeper('second');
    await agent.client.createPod('default', { ...bound, spec: { ...bound.spec, nodeName: 'test-node' } });
    const p = await waitFor('second rejected', async () => {
      const x = await agent.client.getPod('default', 'second');
      return x.status?.phase === 'Failed' ? x : undefined;
    });
    assert.equal(p.status?.reason, 'OutOfpods');
    assert.equal(
      p.status?.message,
      "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1",
    );
    const events = await agent.client.listEvents('default', 'involvedObject.name=second');
    assert.ok(events.some((e) => e.type === 'Warning' && e.reason === 'OutOfpods'));
    await waitFor('first running', async () => {
      const x = await agent.client.getPod('default', 'first');
      return x.status?.containerStatuses?.[0]?.state.running;
    });
    assert.deepEqual(await agent.containers('io.kubernetes.pod.name=second'), []);
    // Deleting the rejected pod finishes at once: it has nothing to stop.
    await agent.client.deletePod('default', 'second');
    await agent.client.waitForPodGone('default', 'second', 10_000);
  });

  test('an unbound pod beyond the limit waits for the scheduler: Pending, Too many pods', async () => {
    await agent.client.createPod('default', sleeper('third'));
    const p = await waitFor('third unschedulable', async () => {
      const x = await agent.client.getPod('default', 'third');
      return x.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False') ? x : undefined;
    });
    assert.equal(p.status?.phase, 'Pending');
    assert.equal(
      p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message,
      '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
    await agent.client.deletePod('default', 'third');
    await agent.client.waitForPodGone('default', 'third', 10_000);
  });
});
