// Garbage collection on the real engine (kuberuntime_gc.go): a crash-looping container
// keeps exactly one dead previous instance and `logs --previous` still reads it; the
// containers, emptyDir volumes and per-pod directories of a pod the agent does not know
// (deleted behind its back) are removed by a GC pass; a known pod is never touched.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUSYBOX, docker, readText, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Pod } from '../../../src/apis/core/types.js';

describe('garbage collection', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const appContainers = async (uid: string) =>
    (await agent.containers(`io.kubernetes.pod.uid=${uid}`)).filter(
      (c) => c.Labels['io.kubernetes.docker.type'] === 'container',
    );

  test('GC keeps exactly one previous instance of a crash-looping container; logs --previous reads it', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crashloop' },
      spec: { containers: [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', 'echo run-$RANDOM$RANDOM; exit 1'] }] },
    });
    const p = await waitFor(
      'restartCount >= 3',
      async () => {
        const x = await agent.client.getPod('default', 'crashloop');
        return (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3 ? x : undefined;
      },
      90_000,
    );
    const uid = p.metadata.uid!;
    // Every instance exits at once: settled, the engine holds only the newest dead one.
    const left = await waitFor(
      'one dead instance left',
      async () => {
        const list = await appContainers(uid);
        return list.length === 1 && list[0]!.State === 'exited' ? list : undefined;
      },
      30_000,
    );
    const restartCount = Number(left[0]!.Labels['annotation.io.kubernetes.container.restartCount']);
    assert.ok(restartCount >= 3, `the kept instance is the newest (restartCount ${restartCount})`);
    const st: Pod = await agent.client.getPod('default', 'crashloop');
    const cs = st.status!.containerStatuses![0]!;
    assert.ok(cs.restartCount >= 3, 'restart count survives pruning (it lives in labels)');
    assert.equal(cs.lastState.terminated?.containerID, `docker://${left[0]!.Id}`);
    const logs = await readText(await agent.client.podLogs('default', 'crashloop', { previous: true }));
    const direct = (await docker.getContainer(left[0]!.Id).logs({ stdout: true, stderr: true })).toString();
    assert.match(logs, /^run-\d+\n$/);
    assert.ok(direct.includes(logs.trim()), 'logs --previous is the kept instance');
    await agent.client.deletePod('default', 'crashloop', 0);
  });

  test("a pod deleted behind the agent's back: its containers, emptyDir volume and directories are collected", async () => {
    const uid = 'gc-unknown-0000-0000-000000000001';
    const labels = {
      'io.minikubelet.agent': agent.agentId,
      'io.kubernetes.pod.uid': uid,
      'io.kubernetes.pod.name': 'ghost',
      'io.kubernetes.pod.namespace': 'default',
      'io.kubernetes.container.name': 'app',
      'io.kubernetes.docker.type': 'container',
    };
    const c = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
      Labels: labels,
    });
    await c.start();
    const volume = `minikubelet_${uid}_scratch`;
    await docker.createVolume({
      Name: volume,
      Labels: {
        'io.minikubelet.agent': agent.agentId,
        'io.kubernetes.pod.uid': uid,
        'io.minikubelet.volume': 'emptyDir',
      },
    });
    // An orphaned emptyDir volume of another gone pod, without any container.
    const lonelyUid = 'gc-unknown-0000-0000-000000000002';
    const lonely = `minikubelet_${lonelyUid}_data`;
    await docker.createVolume({
      Name: lonely,
      Labels: { 'io.minikubelet.agent': agent.agentId, 'io.kubernetes.pod.uid': lonelyUid },
    });
    const termDir = join(agent.options.rootDir, 'containers', lonelyUid, 'app_0');
    mkdirSync(termDir, { recursive: true });
    writeFileSync(join(termDir, 'termination-log'), '');
    // Someone else's volume (no agent label) must survive.
    const foreign = `mkl-gc-foreign-${process.pid}`;
    await docker.createVolume({ Name: foreign, Labels: { 'io.kubernetes.pod.uid': uid } });

    // A pod the agent knows, running: it must come out untouched.
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'kept' },
      spec: {
        containers: [
          { name: 'app', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
        ],
        volumes: [{ name: 'scratch', emptyDir: {} }],
      },
    });
    const kept = await waitFor('kept Running', async () => {
      const x = await agent.client.getPod('default', 'kept');
      return x.status?.phase === 'Running' ? x : undefined;
    });
    const keptIds = (await agent.containers(`io.kubernetes.pod.uid=${kept.metadata.uid}`)).map((x) => x.Id).sort();

    const removed = await agent.kubelet.gc.collect();
    assert.deepEqual(removed.sort(), [uid, lonelyUid]);
    assert.deepEqual(await agent.containers(`io.kubernetes.pod.uid=${uid}`), [], 'unknown pod containers removed');
    const vols = (await docker.listVolumes()).Volumes?.map((v) => v.Name) ?? [];
    assert.ok(!vols.includes(volume), 'its emptyDir volume removed');
    assert.ok(!vols.includes(lonely), 'orphaned emptyDir volume removed');
    assert.ok(vols.includes(foreign), "a volume without the agent's label is left alone");
    assert.ok(vols.includes(`minikubelet_${kept.metadata.uid}_scratch`), "the known pod's volume stays");
    assert.ok(!existsSync(join(agent.options.rootDir, 'containers', lonelyUid)), 'per-pod directory removed');
    const after = (await agent.containers(`io.kubernetes.pod.uid=${kept.metadata.uid}`)).map((x) => x.Id).sort();
    assert.deepEqual(after, keptIds, 'the known pod keeps its containers');
    assert.equal((await agent.client.getPod('default', 'kept')).status?.phase, 'Running');
    await docker.getVolume(foreign).remove();
  });
});
