// Image pulls against a real registry with htpasswd (bcrypt) auth on loopback:
// imagePullSecrets, wrong and missing credentials, back-off and recovery, shared
// pulls, pull policies, and no credential anywhere in logs, events or labels.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { removeLocalImage, startRegistry, type TestRegistry } from '../../harness/registry.js';
import { createLogger } from '../../../src/util/logger.js';
import type { Pod } from '../../../src/apis/core/types.js';
import { followPulls } from '../../../src/cli/apply-progress.js';

const SLEEP = ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'];

describe('private registry pulls', () => {
  let registry: TestRegistry;
  let agent: TestAgent;
  let image: string;
  let shared: string;
  const logs: string[] = [];

  before(async () => {
    registry = await startRegistry();
    image = await registry.push(BUSYBOX, 'private/app:v1');
    shared = await registry.push(BUSYBOX, 'private/shared:v1');
    const log = createLogger({
      level: 'debug',
      destination: new Writable({
        write(chunk, _enc, cb) {
          logs.push(String(chunk));
          cb();
        },
      }),
    });
    agent = await startTestAgent({ imageCredentialsFile: '' }, { log });
  });
  after(async () => {
    await agent?.cleanup();
    await registry?.stop();
  });

  const dockerconfigjson = (password: string) =>
    Buffer.from(
      JSON.stringify({
        auths: {
          [registry.host]: {
            username: registry.username,
            password,
            auth: Buffer.from(`${registry.username}:${password}`).toString('base64'),
          },
        },
      }),
    ).toString('base64');
  const secret = (name: string, password: string) =>
    agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': dockerconfigjson(password) },
    });
  const pod = (name: string, img: string, secrets: string[], policy = 'Always') =>
    agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        containers: [{ name: 'app', image: img, imagePullPolicy: policy, command: SLEEP }],
        ...(secrets.length ? { imagePullSecrets: secrets.map((s) => ({ name: s })) } : {}),
      },
    });
  const waiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state?.waiting;
  const running = (name: string, timeoutMs = 30_000) =>
    waitFor(
      `${name} Running`,
      async () => {
        const p = await agent.client.getPod('default', name);
        return p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready ? p : undefined;
      },
      timeoutMs,
    );
  const events = async (name: string) =>
    (await agent.client.listEvents('default')).filter((e) => e.involvedObject.name === name);

  test('the right secret pulls the private image and the pod runs', async () => {
    await secret('regcred', registry.password);
    await pod('good', image, ['regcred']);
    const p = await running('good');
    assert.equal(p.status?.containerStatuses?.[0]?.image, image);
    const evs = await events('good');
    assert.ok(evs.some((e) => e.reason === 'Pulling' && e.message === `Pulling image "${image}"`));
    const pulled = evs.find((e) => e.reason === 'Pulled');
    assert.match(
      pulled?.message ?? '',
      new RegExp(
        `^Successfully pulled image "${image.replace(/[.]/g, '\\.')}" in [\\d.]+m?s \\([\\d.]+m?s including waiting\\)\\. Image size: \\d+ bytes\\.$`,
      ),
    );
  });

  test('a wrong password: ErrImagePull with the registry reason, then ImagePullBackOff with growing delays', async () => {
    await secret('badcred', 'not-the-password');
    // Every status change of the pod (ErrImagePull can be replaced within milliseconds).
    const reasons = new Set<string>();
    let backOffMessage = '';
    let errMessage = '';
    const ac = new AbortController();
    void agent.client
      .watchPods(
        'default',
        (e) => {
          const w = e.object.metadata.name === 'wrong' ? waiting(e.object) : undefined;
          if (!w?.reason) return;
          reasons.add(w.reason);
          if (w.reason === 'ErrImagePull') errMessage = w.message ?? '';
          if (w.reason === 'ImagePullBackOff') backOffMessage = w.message ?? '';
        },
        ac.signal,
      )
      .catch(() => undefined);
    // Each engine pull is one attempt: time them.
    const images = agent.kubelet.images;
    const base = images.enginePullsOf(image);
    await pod('wrong', image, ['badcred']);
    const attempts: number[] = [];
    await waitFor(
      'four failed pulls',
      () => {
        while (images.enginePullsOf(image) - base > attempts.length) attempts.push(Date.now());
        return attempts.length >= 4;
      },
      30_000,
      20,
    );
    await waitFor('ImagePullBackOff seen', () => reasons.has('ImagePullBackOff'), 5000);
    ac.abort();
    assert.ok(reasons.has('ErrImagePull'), [...reasons].join());
    assert.equal(errMessage, 'unauthorized: authentication required');
    assert.equal(
      backOffMessage,
      `Back-off pulling image "${image}": ErrImagePull: unauthorized: authentication required`,
    );
    // Back-off 1 s doubling to 4 s (test options): each retry waits at least its delay.
    // Only lower bounds: a loaded machine can make a gap longer, never shorter (the exact
    // doubling is unit-tested on the fake clock in test/unit/images/image-manager.test.ts).
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    assert.ok(gaps[0]! >= 800, `gaps ${gaps}`);
    assert.ok(gaps[1]! >= 1800, `gaps ${gaps}`);
    assert.ok(gaps[2]! >= 3600, `gaps ${gaps}`);
    const evs = await events('wrong');
    assert.ok(
      evs.some(
        (e) =>
          e.reason === 'Failed' &&
          e.message === `Failed to pull image "${image}": unauthorized: authentication required`,
      ),
    );
    assert.ok(evs.some((e) => e.reason === 'Failed' && e.message === 'Error: ErrImagePull'));
    assert.ok(evs.some((e) => e.reason === 'Failed' && e.message === 'Error: ImagePullBackOff'));
    assert.ok(evs.some((e) => e.reason === 'BackOff' && e.message === `Back-off pulling image "${image}"`));
    await agent.client.deletePod('default', 'wrong', 0);
  });

  test('no secret: the registry asks for credentials', async () => {
    await pod('anon', image, []);
    const w = await waitFor('ErrImagePull', async () => {
      const s = waiting(await agent.client.getPod('default', 'anon'));
      return s?.reason === 'ErrImagePull' ? s : undefined;
    });
    assert.match(w.message ?? '', /no basic auth credentials/);
    await agent.client.deletePod('default', 'anon', 0);
  });

  test('a secret fixed while backing off: the next retry uses it and the pod recovers', async () => {
    await secret('fixme', 'wrong-at-first');
    await pod('recovers', image, ['fixme']);
    await waitFor(
      'ImagePullBackOff',
      async () => waiting(await agent.client.getPod('default', 'recovers'))?.reason === 'ImagePullBackOff',
    );
    const updated = await secret('fixme', registry.password);
    assert.equal(updated.action, 'configured');
    await running('recovers', 20_000);
  });

  test('a missing secret is reported and the pull goes on with the others', async () => {
    await pod('partial', image, ['does-not-exist', 'regcred']);
    await running('partial');
    const evs = await events('partial');
    assert.ok(
      evs.some(
        (e) =>
          e.type === 'Warning' &&
          e.reason === 'FailedToRetrieveImagePullSecret' &&
          e.message ===
            'Unable to retrieve some image pull secrets (does-not-exist); attempting to pull the image may not succeed.',
      ),
    );
  });

  test('two pods pulling the same image at once share one pull', async () => {
    await removeLocalImage(shared);
    const before = agent.kubelet.images.enginePullsOf(shared);
    const fetchesBefore = registry.manifestFetches('private/shared', 'v1');
    await Promise.all([
      pod('twin-a', shared, ['regcred'], 'IfNotPresent'),
      pod('twin-b', shared, ['regcred'], 'IfNotPresent'),
    ]);
    await Promise.all([running('twin-a'), running('twin-b')]);
    assert.equal(agent.kubelet.images.enginePullsOf(shared) - before, 1);
    assert.equal(registry.manifestFetches('private/shared', 'v1') - fetchesBefore, 1);
  });

  test('apply-style progress: the pulls endpoint and following a new pod until its image is there', async () => {
    assert.deepEqual(await agent.client.listPulls(), []);
    await removeLocalImage(shared);
    const lines: string[] = [];
    await pod('followed', shared, ['regcred'], 'IfNotPresent');
    await followPulls(
      agent.client,
      [{ namespace: 'default', name: 'followed' }],
      { write: (s: string) => lines.push(s) },
      false,
    );
    const p = await agent.client.getPod('default', 'followed');
    assert.notEqual(p.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ContainerCreating');
    assert.ok(
      lines.every((l) => l.startsWith(`pulling ${shared}: `)),
      lines.join(''),
    );
    await running('followed');
  });

  test('Never with a missing image: ErrImageNeverPull', async () => {
    const missing = `${registry.host}/private/never:v1`;
    await pod('never', missing, [], 'Never');
    const w = await waitFor('ErrImageNeverPull', async () => {
      const s = waiting(await agent.client.getPod('default', 'never'));
      return s?.reason === 'ErrImageNeverPull' ? s : undefined;
    });
    assert.equal(w.message, `Container image "${missing}" is not present with pull policy of Never`);
    assert.ok((await events('never')).some((e) => e.reason === 'ErrImageNeverPull' && e.type === 'Warning'));
  });

  test('an invalid reference: InvalidImageName', async () => {
    await pod('invalid', `${registry.host}/Private/App:v1`, []);
    const w = await waitFor('InvalidImageName', async () => {
      const s = waiting(await agent.client.getPod('default', 'invalid'));
      return s?.reason === 'InvalidImageName' ? s : undefined;
    });
    assert.match(
      w.message ?? '',
      /^Failed to apply default image tag ".*": couldn't parse image name ".*": repository name must be lowercase$/,
    );
    assert.ok((await events('invalid')).some((e) => e.reason === 'InspectFailed'));
  });

  test('no credential in logs, events, errors or container labels', async () => {
    const b64 = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    const secretDoc = dockerconfigjson(registry.password);
    const forbidden = [registry.password, b64, secretDoc];
    assert.ok(logs.length > 0, 'the agent logged something');
    const logText = logs.join('');
    const eventText = JSON.stringify(await agent.client.listEvents());
    const podText = JSON.stringify(await agent.client.listPods());
    const inspected = await Promise.all(
      (await agent.containers()).map((c) => agent.docker.getContainer(c.Id).inspect()),
    );
    const inspectText = JSON.stringify(inspected);
    for (const s of forbidden) {
      for (const [where, text] of [
        ['logs', logText],
        ['events', eventText],
        ['pods', podText],
        ['docker inspect', inspectText],
      ] as const) {
        assert.ok(!text.includes(s), `credential found in ${where}`);
      }
    }
  });
});
