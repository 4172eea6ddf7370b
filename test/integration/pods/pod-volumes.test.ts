// Issue #14: emptyDir content lives as long as the pod (across restarts, from an init
// container to the app), and configMap/secret/downwardAPI/projected volumes are written
// the kubelet's way: updates reach mounted files (not subPath mounts), secrets on tmpfs
// with their modes, a missing ConfigMap holds the pod in ContainerCreating (FailedMount).
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUSYBOX, execIn, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Container, Pod } from '../../../src/apis/core/types.js';
import { MERGE_PATCH } from '../../../src/client/api-client.js';
import { mountsUnder } from '../../../src/runtime/mounts.js';

const LOOP = 'trap "exit 0" TERM; while true; do sleep 1; done';

describe('pod volumes (issue #14)', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const status = async (pod: string, c: string) =>
    (await agent.client.getPod('default', pod)).status?.containerStatuses?.find((s) => s.name === c);
  const logs = async (pod: string, c: string) => readText(await agent.client.podLogs('default', pod, { container: c }));
  const events = async (pod: string) =>
    (await agent.client.listEvents('default')).filter((e) => e.involvedObject.name === pod);
  const running = (pod: string, c: string) =>
    waitFor(`${pod}/${c} running`, async () => (await status(pod, c))?.state.running, 60_000);
  /** Run a command in the pod's running container `c`; its output. */
  const exec = async (pod: string, c: string, cmd: string) => {
    const list = await agent.containers(`io.kubernetes.pod.name=${pod}`);
    const id = list.find((x) => x.Labels['io.kubernetes.container.name'] === c && x.State === 'running')?.Id;
    assert.ok(id, `no running container ${c} in ${pod}`);
    return (await execIn(id, ['sh', '-c', cmd])).output;
  };
  const removed = async (pod: string) => {
    await agent.client.deletePod('default', pod, 0);
    await agent.client.waitForPodGone('default', pod, 30_000);
  };

  test('an emptyDir mounted over an image directory with files starts empty (no Docker copy-up)', async () => {
    // The nginx stand-in image has /usr/share/nginx/html/index.html; Docker would copy it
    // into an empty named volume on first mount, Kubernetes' emptyDir is empty.
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'nocopy' },
      spec: {
        volumes: [{ name: 'html', emptyDir: {} }],
        containers: [
          {
            name: 'web',
            image: 'minikubelet.local/nginx:stand-in',
            volumeMounts: [{ name: 'html', mountPath: '/usr/share/nginx/html' }],
          },
        ],
      },
    });
    await running('nocopy', 'web');
    assert.equal(await exec('nocopy', 'web', 'ls -A /usr/share/nginx/html | wc -l'), '0\n');
    await removed('nocopy');
  });

  test('emptyDir (disk and Memory) keeps a counter across three restarts and from the init container', async () => {
    // Each instance adds one and crashes until the count reaches 104: the init
    // container's 100 and three restarts. A lost file would restart the count at 1.
    const counter = (name: string, dir: string): Container => ({
      name,
      image: BUSYBOX,
      command: [
        'sh',
        '-c',
        `n=$(($(cat ${dir}/n) + 1)); echo $n > ${dir}/n; echo $n; [ $n -ge 104 ] || exit 1; ${LOOP}`,
      ],
      volumeMounts: [{ name: name, mountPath: dir }],
    });
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'counter' },
      spec: {
        restartPolicy: 'Always',
        volumes: [
          { name: 'disk', emptyDir: {} },
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } },
        ],
        initContainers: [
          {
            name: 'seed',
            image: BUSYBOX,
            command: ['sh', '-c', 'echo 100 > /d/n; echo 100 > /m/n'],
            volumeMounts: [
              { name: 'disk', mountPath: '/d' },
              { name: 'mem', mountPath: '/m' },
            ],
          },
        ],
        containers: [counter('disk', '/d'), counter('mem', '/m')],
      },
    });
    for (const c of ['disk', 'mem']) {
      await waitFor(
        `${c} counted to 104 over three restarts`,
        async () => {
          const s = await status('counter', c);
          return s?.state.running && s.restartCount === 3 && (await logs('counter', c)) === '104\n';
        },
        90_000,
      );
    }
    // The Memory emptyDir is a tmpfs of its sizeLimit (8Mi = 8192k).
    const mounts = await exec('counter', 'mem', "grep ' /m ' /proc/mounts");
    assert.match(mounts, /^tmpfs \/m tmpfs .*size=8192k/);
    await removed('counter');
  });

  test('configMap, secret, downwardAPI and projected volumes: content, modes, tmpfs, live updates', async () => {
    await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg' },
      data: { greeting: 'hello', other: 'o' },
    });
    await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sec' },
      data: { pw: Buffer.from('hunter2').toString('base64') },
    });
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'files', labels: { app: 'files', tier: 'web' } },
      spec: {
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'sec', secret: { secretName: 'sec', defaultMode: 0o400 } },
          { name: 'sec-default', secret: { secretName: 'sec' } },
          {
            name: 'dapi',
            downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] },
          },
          {
            name: 'proj',
            projected: {
              sources: [
                { configMap: { name: 'cfg', items: [{ key: 'greeting', path: 'conf/greeting' }] } },
                { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
              ],
            },
          },
        ],
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', LOOP],
            volumeMounts: [
              { name: 'cfg', mountPath: '/cfg' },
              { name: 'cfg', mountPath: '/pinned', subPath: 'greeting' },
              { name: 'sec', mountPath: '/sec' },
              { name: 'sec-default', mountPath: '/sec2' },
              { name: 'dapi', mountPath: '/dapi' },
              { name: 'proj', mountPath: '/proj' },
            ],
          },
        ],
      },
    };
    const created = await agent.client.createPod('default', pod);
    await running('files', 'app');
    assert.equal(await exec('files', 'app', 'cat /cfg/greeting /pinned'), 'hellohello');
    assert.equal(await exec('files', 'app', 'ls /cfg'), 'greeting\nother\n');
    assert.equal(await exec('files', 'app', 'readlink /cfg/greeting'), '..data/greeting\n');
    assert.equal(await exec('files', 'app', 'cat /sec/pw'), 'hunter2');
    assert.equal(await exec('files', 'app', 'stat -L -c %a /sec/pw /sec2/pw'), '400\n644\n');
    // Secret data is on a tmpfs, on the host as in the container; the configMap is not.
    const mountsOf = (p: string) => exec('files', 'app', `grep ' ${p} ' /proc/mounts | cut -d' ' -f3`);
    assert.equal(await mountsOf('/sec'), 'tmpfs\n');
    assert.notEqual(await mountsOf('/cfg'), 'tmpfs\n');
    const volDir = join(agent.options.rootDir, 'pods', created.metadata!.uid!, 'volumes');
    assert.deepEqual(mountsUnder(join(volDir, 'kubernetes.io~secret')).sort(), [
      join(volDir, 'kubernetes.io~secret/sec'),
      join(volDir, 'kubernetes.io~secret/sec-default'),
    ]);
    assert.equal(await exec('files', 'app', 'cat /dapi/labels'), 'app="files"\ntier="web"');
    assert.equal(await exec('files', 'app', 'cat /proj/conf/greeting /proj/name'), 'hellofiles');
    assert.equal(
      await exec('files', 'app', 'touch /cfg/x 2>&1 || echo refused'),
      'touch: /cfg/x: Read-only file system\nrefused\n',
    );

    // An update reaches the mounted file (and the projected one), not the subPath mount.
    await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg' },
      data: { greeting: 'bye', other: 'o' },
    });
    await waitFor(
      'the update reached /cfg/greeting',
      async () => (await exec('files', 'app', 'cat /cfg/greeting')) === 'bye',
    );
    await waitFor(
      'and /proj/conf/greeting',
      async () => (await exec('files', 'app', 'cat /proj/conf/greeting')) === 'bye',
    );
    assert.equal(await exec('files', 'app', 'cat /pinned'), 'hello');

    // Labels are updated live in the downwardAPI file.
    await agent.client.patchObject(
      'default',
      'pods',
      'files',
      { metadata: { labels: { tier: 'db' } } },
      {
        contentType: MERGE_PATCH,
        fieldManager: 'test',
      },
    );
    await waitFor(
      'the label change reached /dapi/labels',
      async () => (await exec('files', 'app', 'cat /dapi/labels')) === 'app="files"\ntier="db"',
    );
    await removed('files');
    // TearDown: no tmpfs left behind, the pod's volume dir gone.
    await waitFor('volume dir removed', async () => !existsSync(volDir));
    assert.deepEqual(mountsUnder(volDir), []);
  });

  test('a non-root user reads configMap/secret volumes; fsGroup gives them its group (g+r, setgid dirs)', async () => {
    await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg-nonroot' },
      data: { greeting: 'hi' },
    });
    await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sec-nonroot' },
      data: { pw: Buffer.from('s3cret').toString('base64') },
    });
    const volumes = [
      { name: 'cfg', configMap: { name: 'cfg-nonroot' } },
      { name: 'sec', secret: { secretName: 'sec-nonroot', defaultMode: 0o400 } },
    ];
    const app: Container = {
      name: 'app',
      image: BUSYBOX,
      command: ['sh', '-c', LOOP],
      volumeMounts: [
        { name: 'cfg', mountPath: '/cfg' },
        { name: 'sec', mountPath: '/sec' },
      ],
    };
    const pod = (name: string, fsGroup?: number): Pod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        securityContext: { runAsUser: 1000, runAsGroup: 1000, ...(fsGroup ? { fsGroup } : {}) },
        volumes,
        containers: [app],
      },
    });
    // Without fsGroup: the 0644 configMap file is readable, the 0400 secret (root's) is not.
    await agent.client.createPod('default', pod('nonroot'));
    await running('nonroot', 'app');
    assert.equal(await exec('nonroot', 'app', 'cat /cfg/greeting'), 'hi');
    assert.equal(await exec('nonroot', 'app', 'cat /sec/pw >/dev/null 2>&1 || echo denied'), 'denied\n');
    assert.equal(await exec('nonroot', 'app', 'stat -c %a /cfg'), '777\n');
    // With fsGroup 2000: the files are group 2000 and g+r (0400 → 0440), dirs setgid.
    await agent.client.createPod('default', pod('fsgroup', 2000));
    await running('fsgroup', 'app');
    assert.equal(await exec('fsgroup', 'app', 'cat /sec/pw'), 's3cret');
    assert.equal(await exec('fsgroup', 'app', 'stat -L -c "%a %g" /sec/pw /cfg/greeting'), '440 2000\n644 2000\n');
    assert.equal(await exec('fsgroup', 'app', 'stat -c "%a %g" /sec/..data/'), '2755 2000\n');
    await removed('nonroot');
    await removed('fsgroup');
  });

  test('a missing ConfigMap: ContainerCreating with FailedMount until it is created', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'waits' },
      spec: {
        volumes: [{ name: 'conf', configMap: { name: 'later' } }],
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', `cat /conf/k; echo; ${LOOP}`],
            volumeMounts: [{ name: 'conf', mountPath: '/conf' }],
          },
        ],
      },
    });
    const msg = 'MountVolume.SetUp failed for volume "conf" : configmap "later" not found';
    await waitFor('FailedMount', async () =>
      (await events('waits')).some((e) => e.reason === 'FailedMount' && e.type === 'Warning' && e.message === msg),
    );
    assert.equal((await status('waits', 'app'))?.state.waiting?.reason, 'ContainerCreating');
    assert.deepEqual(await agent.containers('io.kubernetes.pod.name=waits'), []);
    await agent.client.applyObject('default', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'later' },
      data: { k: 'v' },
    });
    await running('waits', 'app');
    await waitFor('read the file', async () => (await logs('waits', 'app')) === 'v\n');
    await removed('waits');
  });
});
