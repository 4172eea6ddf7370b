// Real kubectl 1.32 changing pods through the agent: apply (created / unchanged /
// configured), label, annotate, selectors, edit (an image change restarts that
// container; a restartPolicy change is refused with the API server's message),
// set image, and server-side apply. Runs on the real engine with local images only:
// a second tag of the busybox image is made for the image changes and removed after.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerStatus } from '../../src/apis/core/types.js';
import { BUSYBOX, docker, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor } from '../harness/kubectl.js';
import { which } from '../harness/which.js';

const kubectl = which('kubectl');
const OTHER_REPO = 'minikubelet.local/busybox';
const OTHER_TAG = 'patch-e2e';
const OTHER = `${OTHER_REPO}:${OTHER_TAG}`;

function manifest(name: string, image: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}${extra}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${image}
    command: ["sleep", "3600"]
  - name: side
    image: ${BUSYBOX}
    command: ["sleep", "3600"]
`;
}

describe('kubectl: apply, label, annotate, edit, set image, server-side apply', { skip: !kubectl }, () => {
  let agent: TestAgent;
  let dir: string;

  let kube: Kubectl;
  const run = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await kube(args, { env });
    return { status: r.status ?? 1, out: r.stdout.trim(), err: r.stderr.trim() };
  };
  const ok = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = await run(args, env);
    assert.equal(r.status, 0, `kubectl ${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const status = async (pod: string, c: string): Promise<ContainerStatus | undefined> =>
    (await agent.client.getPod('default', pod)).status?.containerStatuses?.find((s) => s.name === c);
  const running = (pod: string, c: string, pred: (s: ContainerStatus) => boolean = () => true) =>
    waitFor(`${pod}/${c} running`, async () => {
      const s = await status(pod, c);
      return s?.state.running && pred(s) ? s : undefined;
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mkl-kubectl-patch-'));
    await docker.getImage(BUSYBOX).tag({ repo: OTHER_REPO, tag: OTHER_TAG });
    agent = await startTestAgent();
    kube = kubectlFor(agent)!;
  });
  after(async () => {
    await agent?.cleanup();
    await docker
      .getImage(OTHER)
      .remove()
      .catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  test('apply: created, then unchanged, then configured with a new image that restarts only that container', async () => {
    // Validation on (kubectl's default): the agent's /openapi/v3 carries the merge keys kubectl builds its patch from.
    const f = file('web.yaml', manifest('web', BUSYBOX));
    assert.equal(await ok(['apply', '-f', f]), 'pod/web created');
    const app = await running('web', 'app');
    const side = await running('web', 'side');
    assert.equal(await ok(['apply', '-f', f]), 'pod/web unchanged');

    file('web.yaml', manifest('web', OTHER));
    assert.equal(await ok(['apply', '-f', f]), 'pod/web configured');
    const restarted = await running('web', 'app', (s) => s.restartCount === 1 && s.containerID !== app.containerID);
    assert.equal(restarted.image, OTHER);
    const sideNow = await status('web', 'side');
    assert.equal(sideNow?.containerID, side.containerID, 'the other container is untouched');
    assert.equal(sideNow?.restartCount, 0);
    const events = await agent.client.listEvents('default');
    assert.ok(
      events.some((e) => e.reason === 'Killing' && e.message === 'Container app definition changed, will be restarted'),
      events.map((e) => `${e.reason}: ${e.message}`).join('\n'),
    );
  });

  test('label, annotate, and label / field selectors', async () => {
    assert.equal(await ok(['label', 'pod', 'web', 'tier=web']), 'pod/web labeled');
    assert.equal(await ok(['annotate', 'pod', 'web', 'note=x']), 'pod/web annotated');
    assert.equal(await ok(['get', 'po', '-l', 'tier=web', '-o', 'name']), 'pod/web');
    assert.equal(await ok(['get', 'po', '-l', 'tier in (web,api)', '-o', 'name']), 'pod/web');
    assert.equal(await ok(['get', 'po', '-l', '!tier', '-o', 'name']), '');
    assert.equal(await ok(['get', 'po', '--field-selector', 'status.phase=Running', '-o', 'name']), 'pod/web');
    assert.equal(
      await ok(['get', 'po', '--field-selector', 'metadata.name=web,spec.restartPolicy=Always', '-o', 'name']),
      'pod/web',
    );
    assert.equal(await ok(['get', 'po', 'web', '-o', 'jsonpath={.metadata.annotations.note}']), 'x');
    const bad = await run(['get', 'po', '--field-selector', 'foo=bar']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.err, /field label not supported: foo/);
  });

  test('edit: an image change restarts the container; a restartPolicy change is refused', async () => {
    const before = await running('web', 'app');
    const imageEditor = file('image-editor.sh', `#!/bin/sh\nsed -i 's#image: ${OTHER}#image: ${BUSYBOX}#' "$1"\n`);
    chmodSync(imageEditor, 0o755);
    assert.equal(await ok(['edit', 'pod', 'web'], { EDITOR: imageEditor, KUBE_EDITOR: imageEditor }), 'pod/web edited');
    const after = await running('web', 'app', (s) => s.restartCount === before.restartCount + 1);
    assert.equal(after.image, BUSYBOX);

    const policyEditor = file(
      'policy-editor.sh',
      `#!/bin/sh\nsed -i 's#restartPolicy: Always#restartPolicy: Never#' "$1"\n`,
    );
    chmodSync(policyEditor, 0o755);
    const refused = await run(['edit', 'pod', 'web'], {
      EDITOR: policyEditor,
      KUBE_EDITOR: policyEditor,
    });
    assert.notEqual(refused.status, 0);
    // As against a real API server: kubectl reopens the file with the server's causes as
    // comments (the editor changes nothing more), cancels, and keeps a copy of it.
    assert.match(refused.err, /error: pods "web" is invalid/);
    const copy = /stored to "([^"]+)"/.exec(refused.err)?.[1];
    assert.ok(copy, refused.err);
    const saved = readFileSync(copy, 'utf8');
    rmSync(copy, { force: true });
    assert.match(
      saved,
      /# \* spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/,
    );
    assert.match(saved, /# - \tRestartPolicy: "Always",\n# \+ \tRestartPolicy: "Never",/);
    assert.equal((await agent.client.getPod('default', 'web')).spec.restartPolicy, 'Always');
  });

  test('set image: strategic merge patch, the container restarts', async () => {
    const before = await running('web', 'app');
    assert.equal(await ok(['set', 'image', 'pod/web', `app=${OTHER}`]), 'pod/web image updated');
    const after = await running('web', 'app', (s) => s.restartCount === before.restartCount + 1);
    assert.equal(after.image, OTHER);
  });

  test('apply --server-side: serverside-applied on create and on update', async () => {
    const f = file('ssa.yaml', manifest('ssa', BUSYBOX));
    assert.equal(await ok(['apply', '--server-side', '-f', f]), 'pod/ssa serverside-applied');
    await running('ssa', 'app');
    file('ssa.yaml', manifest('ssa', BUSYBOX, '\n  labels:\n    applied: "yes"'));
    assert.equal(await ok(['apply', '--server-side', '-f', f]), 'pod/ssa serverside-applied');
    const pod = await agent.client.getPod('default', 'ssa');
    assert.equal(pod.metadata.labels?.applied, 'yes');
    assert.ok((pod.metadata.managedFields as { manager: string }[]).some((e) => e.manager === 'kubectl'));
  });
});
