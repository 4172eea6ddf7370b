// Bad input never stops the agent (issue #11 §4), on a real agent and engine: a
// 10,001-level YAML body, a registry key that a RegExp would backtrack on for
// minutes, and a dangling symlink in the manifests directory.
import { describe, test, after } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { rawApiRequest } from '../../harness/raw-request.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/util/logger.js';

describe('bad input never stops the agent', () => {
  const agents: TestAgent[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const a of agents) await a.cleanup();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a 10,001-level YAML pod is 400 with a Status and the agent keeps serving', async () => {
    const agent = await startTestAgent();
    agents.push(agent);
    const deep = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep\nspec:\n  x: ${'['.repeat(10_001)}${']'.repeat(10_001)}\n`;
    const r = await rawApiRequest(agent, 'POST', '/api/v1/namespaces/default/pods', {
      body: deep,
      contentType: 'application/yaml',
    });
    assert.equal(r.status, 400);
    const status = r.body as { kind: string; reason: string; message: string };
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'BadRequest');
    assert.match(status.message, /exceeded max depth of 500/);
    assert.deepEqual(await agent.client.listPods('default'), []);
    assert.equal((await agent.containers('io.kubernetes.pod.name=deep')).length, 0);
  });

  test('a pull secret with a pathological wildcard key fails the pull promptly, agent responsive', async () => {
    const agent = await startTestAgent({ imageCredentialsFile: '' });
    agents.push(agent);
    const key = '*a*a*a*a*a*a*a*a*b.example';
    const config = { auths: { [key]: { username: 'u', password: 'p' } } };
    await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'glob' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
    });
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'glob' },
      spec: {
        imagePullSecrets: [{ name: 'glob' }],
        containers: [{ name: 'c', image: `${'a'.repeat(40)}.example/app:v1`, imagePullPolicy: 'Always' }],
      },
    });
    // The pull is attempted (credentials looked up, the unknown host refused) and the API keeps answering.
    await waitFor('the pull to fail', async () => {
      const pod = await agent.client.getPod('default', 'glob');
      const reason = pod.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return reason === 'ErrImagePull' || reason === 'ImagePullBackOff';
    });
    await agent.client.deletePod('default', 'glob', 0);
  });

  test('a dangling symlink in the manifests dir is skipped; the good manifest runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mkl-dangling-'));
    dirs.push(dir);
    symlinkSync(join(dir, 'gone.yaml'), join(dir, 'a-dangling.yaml'));
    writeFileSync(
      join(dir, 'b-good.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata: {name: good}\nspec:\n  containers:\n  - {name: c, image: ${BUSYBOX}, imagePullPolicy: Never, command: [sleep, '3600']}\n`,
    );
    const logs: string[] = [];
    const log = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _enc, cb) {
          logs.push(String(chunk));
          cb();
        },
      }),
    });
    const agent = await startTestAgent({ manifestsDir: dir, nodeName: 'dangle-node' }, { log });
    agents.push(agent);
    await waitFor('the good static pod running', async () => {
      const pod = await agent.client.getPod('default', 'good-dangle-node');
      return pod.status?.phase === 'Running';
    });
    assert.deepEqual(
      (await agent.client.listPods()).map((p) => p.metadata.name),
      ['good-dangle-node'],
    );
    assert.ok(
      logs.some((l) => l.includes('a-dangling.yaml') && /skipping manifest: cannot read manifest: .*ENOENT/.test(l)),
      logs.join(''),
    );
  });
});
