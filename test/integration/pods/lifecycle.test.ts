// Never pods reach Succeeded/Failed; emptyDir is shared; deletion leaves nothing;
// a bad manifest is rejected with field paths and creates nothing.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import { KubeletError } from '../../../src/util/errors.js';

describe('pod lifecycle', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const phase = (name: string, want: string) =>
    waitFor(`${name} ${want}`, async () => {
      const p = await agent.client.getPod('default', name);
      return p.status?.phase === want ? p : undefined;
    });

  test('a Never pod whose containers exit 0 is Succeeded; its sandbox is stopped', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'ok' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'a', image: BUSYBOX, command: ['true'] },
          { name: 'b', image: BUSYBOX, command: ['sh', '-c', 'sleep 1'] },
        ],
      },
    });
    const p = await phase('ok', 'Succeeded');
    for (const cs of p.status!.containerStatuses!) {
      assert.equal(cs.state.terminated?.exitCode, 0);
      assert.equal(cs.state.terminated?.reason, 'Completed');
      assert.equal(cs.ready, false);
    }
    const ready = p.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.equal(ready.status, 'False');
    assert.equal(ready.reason, 'PodCompleted');
    await waitFor('sandbox stopped', async () => {
      const sb = (await agent.containers('io.kubernetes.docker.type=podsandbox')).filter(
        (c) => c.Labels['io.kubernetes.pod.name'] === 'ok',
      );
      return sb.length === 1 && sb[0]!.State === 'exited';
    });
  });

  test('a Never pod with a failing container is Failed with its exit code', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad-exit' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'a', image: BUSYBOX, command: ['sh', '-c', 'exit 3'] },
          { name: 'b', image: BUSYBOX, command: ['true'] },
        ],
      },
    });
    const p = await phase('bad-exit', 'Failed');
    const a = p.status!.containerStatuses!.find((c) => c.name === 'a')!;
    assert.equal(a.state.terminated?.exitCode, 3);
    assert.equal(a.state.terminated?.reason, 'Error');
    assert.equal(a.restartCount, 0, 'Never: not restarted');
    assert.equal(p.status!.conditions!.find((c) => c.type === 'ContainersReady')!.reason, 'PodFailed');
  });

  test('a failed init container under Never fails the pod and the app never starts', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'init-fails' },
      spec: {
        restartPolicy: 'Never',
        initContainers: [{ name: 'init', image: BUSYBOX, command: ['sh', '-c', 'exit 1'] }],
        containers: [{ name: 'app', image: BUSYBOX, command: ['true'] }],
      },
    });
    const p = await phase('init-fails', 'Failed');
    assert.equal(p.status!.initContainerStatuses![0]!.state.terminated?.exitCode, 1);
    assert.equal(p.status!.containerStatuses![0]!.state.waiting?.reason, 'PodInitializing');
    const init = p.status!.conditions!.find((c) => c.type === 'Initialized')!;
    assert.equal(init.status, 'False');
    assert.equal(init.message, 'containers with incomplete status: [init]');
    const apps = (await agent.containers('io.kubernetes.docker.type=container')).filter(
      (c) => c.Labels['io.kubernetes.pod.name'] === 'init-fails' && c.Labels['io.kubernetes.container.name'] === 'app',
    );
    assert.equal(apps.length, 0);
  });

  test('emptyDir: what the producer writes, the consumer serves', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'prodcons' },
      spec: {
        restartPolicy: 'Never',
        volumes: [{ name: 'web', emptyDir: {} }],
        containers: [
          {
            name: 'producer',
            image: BUSYBOX,
            command: ['sh', '-c', 'echo "$(hostname) produced" > /out/index.html'],
            volumeMounts: [{ name: 'web', mountPath: '/out' }],
          },
          {
            name: 'consumer',
            image: BUSYBOX,
            command: [
              'sh',
              '-c',
              'for i in $(seq 1 50); do [ -s /in/index.html ] && cat /in/index.html && exit 0; sleep 0.2; done; exit 1',
            ],
            volumeMounts: [{ name: 'web', mountPath: '/in' }],
          },
        ],
      },
    });
    await phase('prodcons', 'Succeeded');
    const logs = await readText(await agent.client.podLogs('default', 'prodcons', { container: 'consumer' }));
    assert.equal(logs.trim(), 'prodcons produced');
  });

  test('delete: graceful stop, then nothing of the pod is left in the engine', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'doomed' },
      spec: {
        volumes: [{ name: 'scratch', emptyDir: {} }],
        containers: [
          {
            name: 'app',
            image: BUSYBOX,
            command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
            volumeMounts: [{ name: 'scratch', mountPath: '/s' }],
          },
        ],
      },
    });
    const p = await phase('doomed', 'Running');
    const deleting = await agent.client.deletePod('default', 'doomed');
    assert.ok(deleting.metadata.deletionTimestamp, 'delete answers with deletionTimestamp set');
    await agent.client.waitForPodGone('default', 'doomed', 30_000);
    const left = await agent.containers(`io.kubernetes.pod.uid=${p.metadata.uid}`);
    assert.deepEqual(
      left.map((c) => c.Names[0]),
      [],
    );
    const vols = await agent.docker.listVolumes({ filters: { label: [`io.kubernetes.pod.uid=${p.metadata.uid}`] } });
    assert.equal(vols.Volumes?.length ?? 0, 0);
    await assert.rejects(
      agent.client.getPod('default', 'doomed'),
      (e: unknown) => e instanceof KubeletError && e.code === 'NotFound',
    );
  });

  test('a bad manifest is rejected with every field path and creates nothing', async () => {
    const before = (await agent.containers()).length;
    await assert.rejects(
      agent.client.createPod('default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'Bad_Name' },
        spec: { restartPolicy: 'Sometimes', containers: [{ name: 'app', image: BUSYBOX }, { name: 'app' }] },
      }),
      (e: unknown) => {
        assert.ok(e instanceof KubeletError);
        assert.equal(e.code, 'Invalid');
        assert.match(e.message, /metadata\.name: Invalid value: "Bad_Name"/);
        assert.match(e.message, /spec\.restartPolicy: Unsupported value: "Sometimes"/);
        assert.match(e.message, /spec\.containers\[1\]\.name: Duplicate value: "app"/);
        assert.match(e.message, /spec\.containers\[1\]\.image: Required value/);
        return true;
      },
    );
    assert.equal((await agent.containers()).length, before);
    await assert.rejects(
      agent.client.createPod('default', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'd' },
        spec: {},
      }),
      /Deployment/,
    );
  });
});
