// The manifests directory watched while the agent runs (issue #13): a file added starts
// its pod, an edit replaces it (new UID), a removal stops it and removes its containers,
// an identical re-add brings back the same UID, a bad file is reported on the Node
// without hurting the others, dotfiles and editor temp files are ignored, and a Secret
// file lives and dies with its file. The periodic re-read is set far beyond each test's
// waits, so what is tested here is the watch.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../src/apis/core/types.js';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';

const NODE = 'test-node';

/** A tiny pod: busybox sleeping, never pulled, stopped at once. */
function sleepPod(name: string, opts: { command?: string[] } = {}): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'c', image: BUSYBOX, imagePullPolicy: 'Never', command: opts.command ?? ['sleep', '3600'] }],
    },
  });
}

async function running(agent: TestAgent, name: string): Promise<Pod> {
  return waitFor(`${name} Running`, async () => {
    const p = await agent.client.getPod('default', `${name}-${NODE}`);
    return p.status?.phase === 'Running' && !p.metadata.deletionTimestamp ? p : undefined;
  });
}

async function containersOf(agent: TestAgent, uid: string | undefined) {
  assert.ok(uid, 'a pod has a uid');
  return agent.containers(`io.kubernetes.pod.uid=${uid}`);
}

describe('static pods from a watched directory', () => {
  let agent: TestAgent;
  const dir = mkdtempSync(join(tmpdir(), 'mkl-watch-'));
  before(async () => {
    agent = await startTestAgent({ manifestsDir: dir, fileCheckFrequencyMs: 600_000 });
  });
  after(async () => {
    await agent.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a file written while the agent runs starts its pod', async () => {
    writeFileSync(join(dir, 'web.json'), sleepPod('web'));
    const pod = await running(agent, 'web');
    assert.equal(pod.metadata.annotations?.['kubernetes.io/config.source'], 'file');
    assert.equal(pod.metadata.annotations?.['kubernetes.io/config.hash'], pod.metadata.uid);
  });

  test('editing the file replaces the pod: a new UID, the old containers gone', async () => {
    const old = await running(agent, 'web');
    writeFileSync(join(dir, 'web.json'), sleepPod('web', { command: ['sleep', '7200'] }));
    const next = await waitFor('the replacement Running', async () => {
      const p = await running(agent, 'web');
      return p.metadata.uid !== old.metadata.uid ? p : undefined;
    });
    assert.deepEqual(next.spec.containers[0]?.command, ['sleep', '7200']);
    assert.deepEqual(await containersOf(agent, old.metadata.uid), []);
  });

  test('removing the file deletes the pod and its containers; re-adding it identically brings the same UID back', async () => {
    const pod = await running(agent, 'web');
    const content = sleepPod('web', { command: ['sleep', '7200'] });
    rmSync(join(dir, 'web.json'));
    await agent.client.waitForPodGone('default', `web-${NODE}`, 30_000);
    await waitFor('containers removed', async () => (await containersOf(agent, pod.metadata.uid)).length === 0);
    writeFileSync(join(dir, 'web.json'), content);
    const again = await running(agent, 'web');
    assert.equal(again.metadata.uid, pod.metadata.uid);
  });

  test('a bad file beside good ones: the good ones run, an event on the Node names the bad file; dotfiles and temp files are ignored', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {containers: [{name: c}]}\n',
    );
    writeFileSync(join(dir, '.dot.json'), sleepPod('dot'));
    writeFileSync(join(dir, 'tilde.json~'), sleepPod('tilde'));
    writeFileSync(join(dir, '.swap.json.swp'), sleepPod('swap'));
    writeFileSync(join(dir, 'good.json'), sleepPod('good'));
    await running(agent, 'good');
    const ev = await waitFor('a Warning about bad.yaml', async () =>
      (await agent.client.listEvents('default')).find(
        (e) => e.involvedObject.kind === 'Node' && e.message.includes('bad.yaml'),
      ),
    );
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.involvedObject.name, NODE);
    assert.match(ev.message, /spec\.containers\[0\]\.image: Required value/);
    const names = (await agent.client.listPods('default')).map((p) => p.metadata.name).sort();
    assert.deepEqual(names, [`good-${NODE}`, `web-${NODE}`]);
    for (const f of ['bad.yaml', '.dot.json', 'tilde.json~', '.swap.json.swp', 'good.json']) rmSync(join(dir, f));
    await agent.client.waitForPodGone('default', `good-${NODE}`, 30_000);
  });

  test('a Secret file: stored while the file is there, removed with it', async () => {
    const file = join(dir, 'creds.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds}\nstringData: {token: abc}\n');
    await waitFor('Secret stored', async () =>
      (await agent.client.listObjects('Secret', 'default')).find((o) => o.metadata.name === 'creds'),
    );
    rmSync(file);
    await waitFor(
      'Secret removed',
      async () => !(await agent.client.listObjects('Secret', 'default')).some((o) => o.metadata.name === 'creds'),
    );
  });
});

describe('200 manifests written at once', () => {
  const COUNT = 200;
  let agent: TestAgent;
  const dir = mkdtempSync(join(tmpdir(), 'mkl-watch-many-'));
  before(async () => {
    agent = await startTestAgent({ manifestsDir: dir, fileCheckFrequencyMs: 600_000, maxPods: COUNT + 10 });
  });
  after(async () => {
    await agent.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test('all 200 start, and all are gone once their files are removed', { timeout: 240_000 }, async () => {
    for (let i = 0; i < COUNT; i++) writeFileSync(join(dir, `p${String(i).padStart(3, '0')}.json`), sleepPod(`p${i}`));
    const started = Date.now();
    await waitFor(
      `${COUNT} pods Running`,
      async () => {
        const pods = await agent.client.listPods('default');
        return pods.filter((p) => p.status?.phase === 'Running').length === COUNT;
      },
      180_000,
      1_000,
    );
    process.stderr.write(`# ${COUNT} static pods Running after ${Date.now() - started} ms\n`);
    for (const f of readdirSync(dir)) rmSync(join(dir, f));
    await waitFor('every pod gone', async () => (await agent.client.listPods('default')).length === 0, 120_000, 1_000);
    await waitFor('every container removed', async () => (await agent.containers()).length === 0, 60_000, 1_000);
  });
});
