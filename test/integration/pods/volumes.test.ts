// Volumes cannot escape (issue #11, "Volumes cannot escape"): a subPath symlink planted by an init container
// is refused, legit subPaths (incl. a symlink that stays inside, a ':' in the mount path,
// subPathExpr) work and are shared, and hostPath types are enforced with FailedMount.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUSYBOX, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Container, Pod } from '../../../src/apis/core/types.js';

const LOOP = 'trap "exit 0" TERM; while true; do sleep 1; done';

describe('volumes cannot escape', () => {
  let agent: TestAgent;
  let hostDir: string;
  before(async () => {
    agent = await startTestAgent();
    hostDir = mkdtempSync(join(tmpdir(), 'mkl-hostpath-'));
  });
  after(async () => {
    await agent.cleanup();
    rmSync(hostDir, { recursive: true, force: true });
  });

  const status = async (pod: string, c: string) =>
    (await agent.client.getPod('default', pod)).status?.containerStatuses?.find((s) => s.name === c);
  const configError = (pod: string, c: string) =>
    waitFor(`${c} in CreateContainerConfigError`, async () => {
      const w = (await status(pod, c))?.state.waiting;
      return w?.reason === 'CreateContainerConfigError' ? w : undefined;
    });
  const removed = async (pod: string) => {
    await agent.client.deletePod('default', pod, 0);
    await agent.client.waitForPodGone('default', pod, 30_000);
  };
  const logs = async (pod: string, c: string) => readText(await agent.client.podLogs('default', pod, { container: c }));
  const events = async (pod: string) =>
    (await agent.client.listEvents('default')).filter((e) => e.involvedObject.name === pod);

  test('a symlink planted by an init container cannot lead a subPath out of the volume', async () => {
    const app = (name: string, extra: Partial<Container>): Container => ({ name, image: BUSYBOX, ...extra });
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'subpaths' },
      spec: {
        volumes: [{ name: 'vol', emptyDir: {} }],
        initContainers: [
          app('plant', {
            command: [
              'sh',
              '-c',
              'mkdir /vol/real && echo hello > /vol/real/msg && ln -s real /vol/alias && ln -s / /vol/escape',
            ],
            volumeMounts: [{ name: 'vol', mountPath: '/vol' }],
          }),
        ],
        containers: [
          app('escaper', {
            command: ['sh', '-c', `cat /host/etc/hostname; ${LOOP}`],
            volumeMounts: [{ name: 'vol', mountPath: '/host', subPath: 'escape' }],
          }),
          // A symlink that resolves inside the volume is allowed, as the kubelet allows it;
          // the ':' in the mount path would have been split by a Binds string.
          app('reader', {
            command: [
              'sh',
              '-c',
              `cat /in:side/msg; until [ -f /vol/subpaths/mine/f ]; do sleep 0.1; done; cat /vol/subpaths/mine/f; ${LOOP}`,
            ],
            volumeMounts: [
              { name: 'vol', mountPath: '/in:side', subPath: 'alias' },
              { name: 'vol', mountPath: '/vol' },
            ],
          }),
          // subPathExpr: a per-pod directory the agent creates.
          app('maker', {
            command: ['sh', '-c', `echo made > /m/f; ${LOOP}`],
            env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            volumeMounts: [{ name: 'vol', mountPath: '/m', subPathExpr: '$(POD_NAME)/mine' }],
          }),
        ],
      },
    });
    const waiting = await configError('subpaths', 'escaper');
    const refusal = 'failed to prepare subPath for volumeMount "vol" of container "escaper"';
    assert.equal(waiting.message, refusal);
    assert.ok((await events('subpaths')).some((e) => e.reason === 'Failed' && e.message === `Error: ${refusal}`));
    await waitFor('reader read both files', async () => (await logs('subpaths', 'reader')) === 'hello\nmade\n');
    assert.equal((await status('subpaths', 'maker'))?.state.running !== undefined, true);
    // Still refused on the retries: the escaper never ran, so it never read the host's files.
    assert.equal((await status('subpaths', 'escaper'))?.restartCount, 0);
    assert.equal((await status('subpaths', 'escaper'))?.state.running, undefined);
    await removed('subpaths');
  });

  test("a subPath into a Memory emptyDir is resolved in the pod's tmpfs", async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mem-sub' },
      spec: {
        volumes: [{ name: 'mem', emptyDir: { medium: 'Memory' } }],
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: [
              'sh',
              '-c',
              `echo x > /s/f; cat /all/part/f; grep ' /all ' /proc/mounts | cut -d' ' -f3; ${LOOP}`,
            ],
            volumeMounts: [
              { name: 'mem', mountPath: '/s', subPath: 'part' },
              { name: 'mem', mountPath: '/all' },
            ],
          },
        ],
      },
    });
    await waitFor(
      'wrote through the subPath into the tmpfs',
      async () => (await logs('mem-sub', 'app')) === 'x\ntmpfs\n',
    );
    const uid = (await agent.client.getPod('default', 'mem-sub')).metadata.uid!;
    const hostMount = join(agent.options.rootDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', 'mem');
    assert.ok(
      readFileSync('/proc/mounts', 'utf8').includes(` ${hostMount} tmpfs `),
      'a tmpfs on the host, as the kubelet mounts it',
    );
    await removed('mem-sub');
    assert.ok(!readFileSync('/proc/mounts', 'utf8').includes(hostMount), 'unmounted with the pod');
  });

  test('a Memory emptyDir keeps its data when the sandbox is re-created (SandboxChanged)', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mem-keep' },
      spec: {
        volumes: [{ name: 'mem', emptyDir: { medium: 'Memory' } }],
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            // The first instance writes its own start time; every later one reads it back.
            command: ['sh', '-c', `[ -f /mem/first ] || cat /proc/uptime > /mem/first; cat /mem/first; ${LOOP}`],
            volumeMounts: [{ name: 'mem', mountPath: '/mem' }],
          },
        ],
      },
    });
    const first = await waitFor('the first instance wrote', async () => (await logs('mem-keep', 'app')) || undefined);
    const uid = (await agent.client.getPod('default', 'mem-keep')).metadata.uid!;
    const sandboxes = async (running: boolean) =>
      agent.docker.listContainers({
        all: !running,
        filters: { label: [`io.kubernetes.pod.uid=${uid}`, 'io.kubernetes.docker.type=podsandbox'] },
      });
    const [sandbox] = await sandboxes(true);
    assert.ok(sandbox, 'a running sandbox');
    // The pause container dies: the kubelet kills the pod's containers and starts them in a new sandbox.
    await agent.docker.getContainer(sandbox.Id).kill();
    await waitFor(
      'a new sandbox and the app restarted in it',
      async () =>
        (await sandboxes(true)).some((s) => s.Id !== sandbox.Id) &&
        ((await status('mem-keep', 'app'))?.restartCount ?? 0) >= 1 &&
        (await status('mem-keep', 'app'))?.state.running !== undefined,
      60_000,
    );
    assert.ok(
      (await events('mem-keep')).some((e) => e.reason === 'SandboxChanged'),
      'the sandbox was re-created, not just the container restarted',
    );
    assert.equal(await logs('mem-keep', 'app'), first, 'the new instance read what the first one wrote');
    await removed('mem-keep');
  });

  test('subPathExpr with an unset variable is a CreateContainerConfigError', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unset-expr' },
      spec: {
        volumes: [{ name: 'vol', emptyDir: {} }],
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', LOOP],
            volumeMounts: [{ name: 'vol', mountPath: '/m', subPathExpr: '$(NOPE)' }],
          },
        ],
      },
    });
    const w = await configError('unset-expr', 'app');
    assert.equal(w.message, 'missing value for NOPE');
    await agent.client.deletePod('default', 'unset-expr', 0);
  });

  const hostPathPod = (name: string, path: string, type: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      volumes: [{ name: 'host', hostPath: { path, type } }],
      containers: [
        {
          name: 'app',
          image: BUSYBOX,
          command: ['sh', '-c', `ls -d /h; ${LOOP}`],
          volumeMounts: [{ name: 'host', mountPath: '/h' }],
        },
      ],
    },
  });

  test('hostPath Directory that is missing: FailedMount and ContainerCreating until it exists', async () => {
    const dir = join(hostDir, 'later');
    await agent.client.createPod('default', hostPathPod('hp-dir', dir, 'Directory'));
    const msg = `MountVolume.SetUp failed for volume "host" : hostPath type check failed: ${dir} is not a directory`;
    await waitFor('FailedMount', async () =>
      (await events('hp-dir')).some((e) => e.reason === 'FailedMount' && e.type === 'Warning' && e.message === msg),
    );
    const s = await status('hp-dir', 'app');
    assert.equal(s?.state.waiting?.reason, 'ContainerCreating');
    assert.deepEqual(await agent.containers('io.kubernetes.pod.name=hp-dir'), []);
    mkdirSync(dir);
    await waitFor(
      'running once the directory exists',
      async () => (await status('hp-dir', 'app'))?.state.running,
      30_000,
    );
    await agent.client.deletePod('default', 'hp-dir', 0);
  });

  test('hostPath DirectoryOrCreate creates it; File on a directory fails with the message', async () => {
    const made = join(hostDir, 'made/deep');
    await agent.client.createPod('default', hostPathPod('hp-create', made, 'DirectoryOrCreate'));
    await waitFor('running', async () => (await status('hp-create', 'app'))?.state.running);
    assert.ok(statSync(made).isDirectory());
    await agent.client.createPod('default', hostPathPod('hp-file', hostDir, 'File'));
    const msg = `MountVolume.SetUp failed for volume "host" : hostPath type check failed: ${hostDir} is not a file`;
    await waitFor('FailedMount', async () =>
      (await events('hp-file')).some((e) => e.reason === 'FailedMount' && e.message === msg),
    );
    assert.equal((await status('hp-file', 'app'))?.state.waiting?.reason, 'ContainerCreating');
    await agent.client.deletePod('default', 'hp-create', 0);
    await agent.client.deletePod('default', 'hp-file', 0);
  });

  test('a subPath inside a hostPath stays inside it', async () => {
    const root = join(hostDir, 'hp-root');
    mkdirSync(join(root, 'sub'), { recursive: true });
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hp-sub' },
      spec: {
        volumes: [{ name: 'host', hostPath: { path: root, type: 'Directory' } }],
        initContainers: [
          {
            name: 'plant',
            image: BUSYBOX,
            command: ['sh', '-c', 'ln -s /etc /h/out'],
            volumeMounts: [{ name: 'host', mountPath: '/h' }],
          },
        ],
        containers: [
          {
            name: 'ok',
            image: BUSYBOX,
            command: ['sh', '-c', `echo in > /s/f; ${LOOP}`],
            volumeMounts: [{ name: 'host', mountPath: '/s', subPath: 'sub' }],
          },
          {
            name: 'out',
            image: BUSYBOX,
            command: ['sh', '-c', LOOP],
            volumeMounts: [{ name: 'host', mountPath: '/s', subPath: 'out' }],
          },
        ],
      },
    });
    await waitFor('ok wrote into the hostPath subPath', async () => {
      try {
        return readFileSync(join(root, 'sub/f'), 'utf8') === 'in\n';
      } catch {
        return false;
      }
    });
    const w = await configError('hp-sub', 'out');
    assert.equal(w.message, 'failed to prepare subPath for volumeMount "host" of container "out"');
    await removed('hp-sub');
  });
});
