// ImageManager with a FakeClock and a scripted image service: policies, back-off
// alternation, shared pulls, credentials in order, stall deadline, event texts.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { ImageError, ImageManager, type ImageService } from '../../../src/images/image-manager.js';
import { goDuration } from '../../../src/util/go-duration.js';
import { BasicKeyring } from '../../../src/images/keyring.js';
import type { RegistryAuth } from '../../../src/runtime/docker-client.js';
import type { PullProgress } from '../../../src/runtime/runtime.js';
import { admitPod } from '../../../src/apis/core/admit.js';
import type { Secret, ValidPod } from '../../../src/apis/core/types.js';
import { FakeClock } from '../../fakes/fake-clock.js';

interface Pull {
  image: string;
  auth?: RegistryAuth;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
  resolve(): void;
  reject(e: Error): void;
}

class FakeImages implements ImageService {
  present = new Set<string>();
  pulls: Pull[] = [];
  /** Called for each pull; return an error to fail it at once, 'hold' to keep it pending. */
  script: (p: Pull) => Error | 'hold' | undefined = () => undefined;
  async imageExists(image: string) {
    return this.present.has(image);
  }
  async imageSize() {
    return 4242;
  }
  pullImage(
    image: string,
    onProgress?: (p: PullProgress) => void,
    signal?: AbortSignal,
    auth?: RegistryAuth,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const p: Pull = {
        image,
        ...(auth ? { auth } : {}),
        ...(onProgress ? { onProgress } : {}),
        ...(signal ? { signal } : {}),
        resolve: () => {
          this.present.add(image);
          resolve();
        },
        reject,
      };
      this.pulls.push(p);
      signal?.addEventListener('abort', () => reject(new Error(`pull of ${image} aborted`)));
      const r = this.script(p);
      if (r === 'hold') return;
      if (r) reject(r);
      else p.resolve();
    });
  }
}

interface Ev {
  type: string;
  reason: string;
  message: string;
  pod: string;
}

function setup(
  o: { concurrency?: number; secrets?: Record<string, Secret>; node?: BasicKeyring; stallMs?: number } = {},
) {
  const clock = new FakeClock();
  const images = new FakeImages();
  const events: Ev[] = [];
  const mgr = new ImageManager({
    runtime: images,
    clock,
    pullConcurrency: o.concurrency ?? 3,
    backOffBaseMs: 1000,
    backOffMaxMs: 4000,
    events: { event: (pod, type, reason, message) => events.push({ type, reason, message, pod: pod.metadata.name }) },
    ...(o.secrets ? { secrets: (_ns: string, name: string) => o.secrets![name] } : {}),
    ...(o.node ? { nodeKeyring: o.node } : {}),
    ...(o.stallMs !== undefined ? { pullStallTimeoutMs: o.stallMs } : {}),
  });
  return { clock, images, events, mgr };
}

function mkPod(name: string, image: string, policy?: string, pullSecrets: string[] = []): ValidPod {
  return admitPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      containers: [{ name: 'c', image, ...(policy ? { imagePullPolicy: policy } : {}) }],
      imagePullSecrets: pullSecrets.map((n) => ({ name: n })),
    },
  });
}
const ensure = (mgr: ImageManager, p: ValidPod) => mgr.ensureImageExists(p, p.spec.containers[0]!);
const reasonOf = async (pr: Promise<void>) => {
  try {
    await pr;
    return 'ok';
  } catch (e) {
    return e instanceof ImageError ? `${e.reason}: ${e.message}` : `other: ${String(e)}`;
  }
};
const tick = () => new Promise((r) => setImmediate(r));

describe('pull policy', () => {
  const cases: [string, string | undefined, boolean, string, number][] = [
    // image, policy, present, outcome, engine pulls
    ['app:1', 'IfNotPresent', true, 'ok', 0],
    ['app:1', 'IfNotPresent', false, 'ok', 1],
    ['app:1', 'Always', true, 'ok', 1],
    ['app:1', 'Never', true, 'ok', 0],
    ['app:1', 'Never', false, 'ErrImageNeverPull: Container image "app:1" is not present with pull policy of Never', 0],
    ['app', undefined, false, 'ok', 1], // defaulted to Always, pulls app:latest
    [
      'Upper/App:1',
      'IfNotPresent',
      false,
      'InvalidImageName: Failed to apply default image tag "Upper/App:1": couldn\'t parse image name "Upper/App:1": repository name must be lowercase',
      0,
    ],
    [
      'app:1:2',
      'IfNotPresent',
      false,
      'InvalidImageName: Failed to apply default image tag "app:1:2": couldn\'t parse image name "app:1:2": invalid reference format',
      0,
    ],
  ];
  for (const [image, policy, present, want, pulls] of cases) {
    test(`${image} ${policy ?? '(default)'} ${present ? 'present' : 'absent'} → ${want.split(':')[0]}`, async () => {
      const { mgr, images } = setup();
      if (present) images.present.add(image.includes(':') ? image : `${image}:latest`);
      assert.equal(await reasonOf(ensure(mgr, mkPod('p', image, policy))), want);
      assert.equal(images.pulls.length, pulls);
      if (pulls && image === 'app') assert.equal(images.pulls[0]!.image, 'app:latest');
    });
  }

  test('events: already present, and the Pulled message with size and waiting time', async () => {
    const { mgr, images, events, clock } = setup();
    images.present.add('app:1');
    await ensure(mgr, mkPod('p', 'app:1'));
    assert.equal(events.at(-1)!.message, 'Container image "app:1" already present on machine');
    images.script = (p) => {
      clock.advance(1234);
      p.resolve();
      return 'hold';
    };
    await ensure(mgr, mkPod('q', 'app:2', 'Always'));
    assert.deepEqual(
      events.slice(-2).map((e) => `${e.reason}: ${e.message}`),
      [
        'Pulling: Pulling image "app:2"',
        'Pulled: Successfully pulled image "app:2" in 1.234s (1.234s including waiting). Image size: 4242 bytes.',
      ],
    );
  });

  test('goDuration', () => {
    assert.deepEqual([0, 812, 1000, 1234, 61_500, 3_600_000].map(goDuration), [
      '0s',
      '812ms',
      '1s',
      '1.234s',
      '1m1.5s',
      '1h0m0s',
    ]);
  });
});

describe('image pull back-off', () => {
  test('ErrImagePull and ImagePullBackOff alternate; delays double to the max', async () => {
    const { mgr, images, clock, events } = setup();
    images.script = () => new Error('unauthorized: authentication required');
    const p = mkPod('p', 'reg.io/app:1', 'Always');
    const backOff =
      'ImagePullBackOff: Back-off pulling image "reg.io/app:1": ErrImagePull: unauthorized: authentication required';
    assert.equal(await reasonOf(ensure(mgr, p)), 'ErrImagePull: unauthorized: authentication required');
    assert.equal(mgr.nextRetryMs(p.metadata.uid), 500); // look again to show ImagePullBackOff
    assert.equal(await reasonOf(ensure(mgr, p)), backOff);
    clock.advance(500);
    assert.equal(mgr.nextRetryMs(p.metadata.uid), 500); // then when the 1 s back-off ends
    assert.equal(await reasonOf(ensure(mgr, p)), backOff);
    clock.advance(500);
    assert.equal(await reasonOf(ensure(mgr, p)), 'ErrImagePull: unauthorized: authentication required');
    // 2 s now, then 4 s, then capped at 4 s.
    for (const delay of [2000, 4000, 4000]) {
      clock.advance(delay - 1);
      assert.match(await reasonOf(ensure(mgr, p)), /^ImagePullBackOff/);
      clock.advance(1);
      assert.match(await reasonOf(ensure(mgr, p)), /^ErrImagePull/);
    }
    assert.equal(images.pulls.length, 5);
    assert.ok(events.some((e) => e.reason === 'BackOff' && e.message === 'Back-off pulling image "reg.io/app:1"'));
    assert.ok(
      events.some(
        (e) =>
          e.type === 'Warning' &&
          e.reason === 'Failed' &&
          e.message === 'Failed to pull image "reg.io/app:1": unauthorized: authentication required',
      ),
    );
    // Another pod pulling the same image has its own back-off.
    assert.equal(
      await reasonOf(ensure(mgr, mkPod('other', 'reg.io/app:1', 'Always'))),
      'ErrImagePull: unauthorized: authentication required',
    );
    // A success ends the back-off state; forgetPod drops it.
    mgr.forgetPod(p.metadata.uid);
    assert.equal(mgr.nextRetryMs(p.metadata.uid), undefined);
  });
});

describe('shared and bounded pulls', () => {
  test('concurrent pulls of one image with the same credentials share one engine pull', async () => {
    const { mgr, images } = setup();
    images.script = () => 'hold';
    const a = ensure(mgr, mkPod('a', 'app:1', 'Always'));
    const b = ensure(mgr, mkPod('b', 'app:1', 'Always'));
    await tick();
    assert.equal(images.pulls.length, 1);
    assert.deepEqual(mgr.pulls()[0]!.pods, ['default/a', 'default/b']);
    images.pulls[0]!.resolve();
    await Promise.all([a, b]);
    assert.equal(mgr.enginePulls, 1);
    assert.deepEqual(mgr.pulls(), []);
  });

  test('different credentials do not share a pull', async () => {
    const json = (pw: string): Secret => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: pw, namespace: 'default' },
      type: 'kubernetes.io/dockerconfigjson',
      data: {
        '.dockerconfigjson': Buffer.from(
          JSON.stringify({ auths: { 'reg.io': { username: 'u', password: pw } } }),
        ).toString('base64'),
      },
    });
    const { mgr, images } = setup({ secrets: { one: json('one'), two: json('two') } });
    images.script = () => 'hold';
    const a = ensure(mgr, mkPod('a', 'reg.io/app:1', 'Always', ['one']));
    const b = ensure(mgr, mkPod('b', 'reg.io/app:1', 'Always', ['two']));
    await tick();
    assert.deepEqual(
      images.pulls.map((p) => p.auth?.password),
      ['one', 'two'],
    );
    for (const p of images.pulls) p.resolve();
    await Promise.all([a, b]);
  });

  test('pull concurrency is bounded; queued time counts as waiting', async () => {
    const { mgr, images, clock, events } = setup({ concurrency: 1 });
    images.script = () => 'hold';
    const a = ensure(mgr, mkPod('a', 'one:1', 'Always'));
    const b = ensure(mgr, mkPod('b', 'two:1', 'Always'));
    await tick();
    assert.equal(images.pulls.length, 1);
    assert.deepEqual(
      mgr
        .pulls()
        .map((s) => s.phase)
        .sort(),
      ['pulling', 'queued'],
    );
    clock.advance(2000);
    images.pulls[0]!.resolve();
    await a;
    await tick();
    assert.equal(images.pulls.length, 2);
    clock.advance(500);
    images.pulls[1]!.resolve();
    await b;
    const pulled = events.filter((e) => e.reason === 'Pulled' && e.pod === 'b')[0]!;
    assert.equal(
      pulled.message,
      'Successfully pulled image "two:1" in 500ms (2.5s including waiting). Image size: 4242 bytes.',
    );
  });

  test('a pull without progress for the stall deadline is cancelled', async () => {
    const { mgr, images, clock } = setup({ stallMs: 60_000 });
    images.script = () => 'hold';
    const r = reasonOf(ensure(mgr, mkPod('a', 'slow:1', 'Always')));
    await tick();
    clock.advance(30_000);
    images.pulls[0]!.onProgress!({ status: 'Downloading', id: 'abcdef012345', current: 1, total: 10 });
    clock.advance(59_000); // progress re-armed the deadline
    assert.equal(images.pulls[0]!.signal!.aborted, false);
    images.pulls[0]!.onProgress!({ status: 'Pulling from x' });
    clock.advance(60_000);
    assert.equal(
      await r,
      'ErrImagePull: cancelled pulling image "slow:1" because of no progress for 1m0s, latest progress: "Pulling from x"',
    );
  });
});

describe('credentials', () => {
  const cfg = (name: string, entries: Record<string, { username: string; password: string }>): Secret => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths: entries })).toString('base64') },
  });

  test('every matching credential is tried in order: pod secrets, then the node keyring', async () => {
    const node = new BasicKeyring().add({ 'reg.io:5000': { username: 'node', password: 'n' } });
    const secrets = {
      s: cfg('s', {
        'reg.io:5000/team': { username: 'path', password: 'x' },
        'reg.io:5000': { username: 'host', password: 'y' },
      }),
    };
    const { mgr, images } = setup({ secrets, node });
    images.script = (p) =>
      p.auth?.username === 'node' ? undefined : new Error('unauthorized: authentication required');
    assert.equal(await reasonOf(ensure(mgr, mkPod('a', 'reg.io:5000/team/app:1', 'Always', ['s']))), 'ok');
    assert.deepEqual(
      images.pulls.map((p) => p.auth?.username),
      ['path', 'host', 'node'],
    );
    assert.equal(images.pulls[0]!.auth?.serveraddress, 'reg.io:5000');
  });

  test('all credentials failing: their distinct errors aggregated', async () => {
    const secrets = {
      s: cfg('s', { 'reg.io': { username: 'a', password: 'x' } }),
      t: cfg('t', { 'reg.io': { username: 'b', password: 'y' } }),
    };
    const { mgr, images } = setup({ secrets });
    let n = 0;
    images.script = () =>
      new Error(
        n++ === 0 ? 'unauthorized: authentication required' : 'denied: requested access to the resource is denied',
      );
    assert.equal(
      await reasonOf(ensure(mgr, mkPod('a', 'reg.io/app:1', 'Always', ['s', 't']))),
      'ErrImagePull: [unauthorized: authentication required, denied: requested access to the resource is denied]',
    );
  });

  test('no match: anonymous pull; a missing secret warns and the pull proceeds', async () => {
    const { mgr, images, events } = setup({ secrets: {} });
    assert.equal(await reasonOf(ensure(mgr, mkPod('a', 'reg.io/app:1', 'Always', ['gone', 'also-gone']))), 'ok');
    assert.equal(images.pulls[0]!.auth, undefined);
    const w = events.find((e) => e.reason === 'FailedToRetrieveImagePullSecret')!;
    assert.equal(w.type, 'Warning');
    assert.equal(
      w.message,
      'Unable to retrieve some image pull secrets (gone, also-gone); attempting to pull the image may not succeed.',
    );
  });

  test('secrets are read at every pull: an updated secret is used at the next retry', async () => {
    const secrets: Record<string, Secret> = { s: cfg('s', { 'reg.io': { username: 'u', password: 'wrong' } }) };
    const { mgr, images, clock } = setup({ secrets });
    images.script = (p) =>
      p.auth?.password === 'right' ? undefined : new Error('unauthorized: authentication required');
    const p = mkPod('a', 'reg.io/app:1', 'Always', ['s']);
    assert.match(await reasonOf(ensure(mgr, p)), /^ErrImagePull/);
    secrets.s = cfg('s', { 'reg.io': { username: 'u', password: 'right' } });
    clock.advance(1000);
    assert.equal(await reasonOf(ensure(mgr, p)), 'ok');
  });

  test('a password echoed by the engine never reaches the error or events', async () => {
    const { mgr, images, events } = setup({
      secrets: { s: cfg('s', { 'reg.io': { username: 'u', password: 'hunter2' } }) },
    });
    images.script = (p) => new Error(`login failed for ${p.auth?.username}:${p.auth?.password}`);
    const r = await reasonOf(ensure(mgr, mkPod('a', 'reg.io/app:1', 'Always', ['s'])));
    assert.equal(r, 'ErrImagePull: login failed for u:[REDACTED]');
    assert.ok(!JSON.stringify(events).includes('hunter2'));
  });
});
