// Issue #14 §2: PersistentVolumeClaims on the real engine. A claim's data (a Docker
// volume) outlives the pod and is seen by the next one; deleting an in-use claim waits
// (Terminating) for the pod, then the PV and the Docker volume go; a pod naming a
// missing claim waits Pending/Unschedulable until the claim exists; a generic ephemeral
// volume's claim is created and removed with its pod.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, docker, execIn, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Pod, Volume } from '../../../src/apis/core/types.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../../../src/apis/core/storage-types.js';

const LOOP = 'trap "exit 0" TERM; while true; do sleep 1; done';
const NS = '/api/v1/namespaces/default/persistentvolumeclaims';

function claimBody(name: string, storage = '1Gi'): PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } },
  };
}

function podWith(name: string, volume: Volume, script: string, readOnly = false): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 1,
      volumes: [volume],
      containers: [
        {
          name: 'c',
          image: BUSYBOX,
          command: ['sh', '-c', `${script}; ${LOOP}`],
          volumeMounts: [{ name: volume.name, mountPath: '/data', ...(readOnly ? { readOnly } : {}) }],
        },
      ],
    },
  } as Pod;
}

describe('persistent volume claims on the engine (issue #14)', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await agent.client.sendRaw(method, path, {
      ...(body !== undefined ? { body: JSON.stringify(body), contentType: 'application/json' } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const claim = async (name: string) => api<PersistentVolumeClaim>('GET', `${NS}/${name}`);
  const pv = async (name: string) => api<PersistentVolume>('GET', `/api/v1/persistentvolumes/${name}`);
  const volumeExists = async (name: string) => {
    const vols = await docker.listVolumes({ filters: { name: [name] } });
    return (vols.Volumes ?? []).some((v) => v.Name === name);
  };
  const running = (pod: string) =>
    waitFor(
      `${pod} running`,
      async () => (await agent.client.getPod('default', pod)).status?.containerStatuses?.[0]?.state.running,
      60_000,
    );
  const exec = async (pod: string, cmd: string) => {
    const list = await agent.containers(`io.kubernetes.pod.name=${pod}`);
    const id = list.find((x) => x.Labels['io.kubernetes.container.name'] === 'c' && x.State === 'running')?.Id;
    assert.ok(id, `no running container in ${pod}`);
    return execIn(id, ['sh', '-c', cmd]);
  };
  const removed = async (pod: string) => {
    await agent.client.deletePod('default', pod, 0);
    await agent.client.waitForPodGone('default', pod, 30_000);
  };

  test("a claim's data outlives its pod and is seen, read-only, by the next one", async () => {
    const created = await api<PersistentVolumeClaim>('POST', NS, claimBody('data'));
    assert.equal(created.status, 201);
    assert.equal(created.body.status?.phase, 'Pending');
    assert.equal(created.body.spec.storageClassName, 'standard');
    assert.deepEqual(created.body.metadata.finalizers, ['kubernetes.io/pvc-protection']);

    const vol = { name: 'd', persistentVolumeClaim: { claimName: 'data' } };
    await agent.client.createPod('default', podWith('writer', vol, 'echo hello > /data/f'));
    await running('writer');
    const bound = (await claim('data')).body;
    assert.equal(bound.status?.phase, 'Bound');
    const pvName = `pvc-${created.body.metadata.uid}`;
    assert.equal(bound.spec.volumeName, pvName);
    assert.deepEqual(bound.status?.capacity, { storage: '1Gi' });
    const volume = (await pv(pvName)).body;
    assert.equal(volume.status?.phase, 'Bound');
    assert.equal(volume.spec.claimRef?.uid, created.body.metadata.uid);
    assert.deepEqual(volume.metadata.finalizers, ['kubernetes.io/pv-protection']);
    await removed('writer');

    const ro = { name: 'd', persistentVolumeClaim: { claimName: 'data', readOnly: true } };
    await agent.client.createPod('default', podWith('reader', ro, 'true'));
    await running('reader');
    assert.equal((await exec('reader', 'cat /data/f')).output.trim(), 'hello');
    const write = await exec('reader', 'echo x > /data/g');
    assert.notEqual(write.exitCode, 0, 'a readOnly claim volume must refuse writes');
    await removed('reader');
  });

  test('deleting an in-use claim waits (Terminating) for its pod; then the PV and the Docker volume go', async () => {
    const created = (await api<PersistentVolumeClaim>('POST', NS, claimBody('busy'))).body;
    const vol = { name: 'd', persistentVolumeClaim: { claimName: 'busy' } };
    await agent.client.createPod('default', podWith('user', vol, 'true'));
    await running('user');
    const pvName = `pvc-${created.metadata.uid}`;
    const dockerVolume = `minikubelet-pv_${pvName}`;
    assert.ok(await volumeExists(dockerVolume));

    const del = await api<PersistentVolumeClaim>('DELETE', `${NS}/busy`);
    assert.equal(del.status, 200);
    assert.ok(del.body.metadata.deletionTimestamp, 'deletionTimestamp set');
    const still = await claim('busy');
    assert.equal(still.status, 200, 'an in-use claim stays until its pod is gone');
    // A new pod may not use a claim being deleted.
    await agent.client.createPod('default', podWith('late', vol, 'true'));
    await waitFor('late unschedulable', async () => {
      const c = (await agent.client.getPod('default', 'late')).status?.conditions?.find(
        (x) => x.type === 'PodScheduled',
      );
      return c?.status === 'False' && c.message?.includes('persistentvolumeclaim "busy" is being deleted')
        ? c
        : undefined;
    });
    await removed('late');

    await removed('user');
    await waitFor('claim gone', async () => ((await claim('busy')).status === 404 ? true : undefined), 30_000);
    await waitFor('pv gone', async () => ((await pv(pvName)).status === 404 ? true : undefined), 30_000);
    await waitFor('docker volume gone', async () => ((await volumeExists(dockerVolume)) ? undefined : true), 30_000);
  });

  test('a pod naming a missing claim waits Pending/Unschedulable, and runs once the claim is created', async () => {
    const vol = { name: 'd', persistentVolumeClaim: { claimName: 'my-pvc' } };
    await agent.client.createPod('default', podWith('waiting', vol, 'true'));
    const message =
      '0/1 nodes are available: persistentvolumeclaim "my-pvc" not found. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    const cond = await waitFor('PodScheduled=False', async () =>
      (await agent.client.getPod('default', 'waiting')).status?.conditions?.find(
        (c) => c.type === 'PodScheduled' && c.status === 'False',
      ),
    );
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, message);
    assert.equal((await agent.client.getPod('default', 'waiting')).status?.phase, 'Pending');
    const ev = (await agent.client.listEvents('default')).find(
      (e) => e.involvedObject.name === 'waiting' && e.reason === 'FailedScheduling',
    );
    assert.equal(ev?.message, message);
    assert.equal(ev?.type, 'Warning');

    await api('POST', NS, claimBody('my-pvc'));
    await running('waiting');
    assert.equal((await claim('my-pvc')).body.status?.phase, 'Bound');
    await removed('waiting');
  });

  test("a generic ephemeral volume's claim is created with its pod, owned by it, and removed with it", async () => {
    const vol = {
      name: 'scratch',
      ephemeral: {
        volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } } },
      },
    };
    const pod = await agent.client.createPod('default', podWith('eph', vol, 'echo ok > /data/f'));
    await running('eph');
    const c = (await claim('eph-scratch')).body;
    assert.equal(c.status?.phase, 'Bound');
    assert.deepEqual(c.metadata.ownerReferences, [
      { apiVersion: 'v1', kind: 'Pod', name: 'eph', uid: pod.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    const dockerVolume = `minikubelet-pv_${c.spec.volumeName}`;
    assert.equal((await exec('eph', 'cat /data/f')).output.trim(), 'ok');
    await removed('eph');
    await waitFor(
      'ephemeral claim gone',
      async () => ((await claim('eph-scratch')).status === 404 ? true : undefined),
      30_000,
    );
    await waitFor('its volume gone', async () => ((await volumeExists(dockerVolume)) ? undefined : true), 30_000);
  });

  test('a fresh claim is writable by a non-root container (local-path makes its directory 0777)', async () => {
    await api('POST', NS, claimBody('shared'));
    const p = podWith('nonroot', { name: 'd', persistentVolumeClaim: { claimName: 'shared' } }, 'true');
    p.spec.securityContext = { runAsUser: 1000, runAsGroup: 1000 };
    await agent.client.createPod('default', p);
    await running('nonroot');
    const w = await exec('nonroot', 'echo hi > /data/f && id -u && stat -c %a /data');
    assert.equal(w.exitCode, 0, w.output);
    assert.equal(w.output.trim(), '1000\n777');
    await removed('nonroot');
  });

  test('minikubelet apply: a claim is created, then re-applied without losing its binding', async () => {
    const first = await agent.client.applyObject('default', claimBody('applied'));
    assert.equal(first.action, 'created');
    await agent.client.createPod(
      'default',
      podWith('applier', { name: 'd', persistentVolumeClaim: { claimName: 'applied' } }, 'true'),
    );
    await running('applier');
    const volumeName = (await claim('applied')).body.spec.volumeName;
    assert.ok(volumeName);
    const again = await agent.client.applyObject('default', claimBody('applied'));
    assert.equal(again.action, 'configured');
    const after = (await claim('applied')).body;
    assert.equal(after.spec.volumeName, volumeName);
    assert.equal(after.status?.phase, 'Bound');
    await removed('applier');
  });

  test('a same-named claim the pod does not own keeps the ephemeral pod Pending', async () => {
    await api('POST', NS, claimBody('other-scratch'));
    const vol = {
      name: 'scratch',
      ephemeral: {
        volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Mi' } } } },
      },
    };
    await agent.client.createPod('default', podWith('other', vol, 'true'));
    const cond = await waitFor('PodScheduled=False', async () =>
      (await agent.client.getPod('default', 'other')).status?.conditions?.find(
        (c) => c.type === 'PodScheduled' && c.status === 'False',
      ),
    );
    assert.equal(
      cond.message,
      '0/1 nodes are available: PVC default/other-scratch was not created for pod default/other (pod is not owner). preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
    await removed('other');
  });
});
