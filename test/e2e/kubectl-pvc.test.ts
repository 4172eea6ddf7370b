// Real kubectl (issue #14 §2): `kubectl apply` of a PVC and a pod that uses it, then
// `get pvc` (Bound, with the printer's columns), `get pv`, `get sc` (`standard (default)`),
// `explain pvc`,
// `describe pvc` (Used By, events) and `delete` of both.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor } from '../harness/kubectl.js';
import { which } from '../harness/which.js';

const MANIFEST = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: my-pvc
spec:
  accessModes: ["ReadWriteOnce"]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: client-pod
spec:
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: my-pvc
  containers:
  - name: app
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts:
    - name: data
      mountPath: /data
`;

/** The whitespace-separated cells of each output line. */
const rows = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => l.split(/\s{2,}/));

describe('kubectl and persistent volume claims', { skip: which('kubectl') ? false : 'kubectl not on PATH' }, () => {
  let agent: TestAgent;
  let kubectl: Kubectl;
  before(async () => {
    agent = await startTestAgent();
    kubectl = kubectlFor(agent)!;
  });
  after(async () => {
    await agent.cleanup();
  });

  test('apply, get pvc/pv/sc, describe pvc, delete', async () => {
    const sc = await kubectl(['get', 'sc']);
    assert.equal(sc.status, 0, sc.stderr);
    assert.deepEqual(rows(sc.stdout)[0], [
      'NAME',
      'PROVISIONER',
      'RECLAIMPOLICY',
      'VOLUMEBINDINGMODE',
      'ALLOWVOLUMEEXPANSION',
      'AGE',
    ]);
    assert.deepEqual(rows(sc.stdout)[1]?.slice(0, 5), [
      'standard (default)',
      'minikubelet.io/local',
      'Delete',
      'WaitForFirstConsumer',
      'true',
    ]);

    const explained = await kubectl(['explain', 'pvc.spec.storageClassName']);
    assert.equal(explained.status, 0, explained.stderr);
    assert.match(explained.stdout, /KIND:\s+PersistentVolumeClaim/);
    assert.match(explained.stdout, /absent means the default class\s+\(`standard`\)/);

    const applied = await kubectl(['apply', '-f', '-'], { input: MANIFEST });
    assert.equal(applied.status, 0, applied.stderr);
    assert.match(applied.stdout, /persistentvolumeclaim\/my-pvc created/);
    await waitFor(
      'running',
      async () => (await agent.client.getPod('default', 'client-pod')).status?.phase === 'Running',
    );

    const pvc = await kubectl(['get', 'pvc']);
    assert.equal(pvc.status, 0, pvc.stderr);
    const [header, row] = rows(pvc.stdout);
    assert.deepEqual(header, [
      'NAME',
      'STATUS',
      'VOLUME',
      'CAPACITY',
      'ACCESS MODES',
      'STORAGECLASS',
      'VOLUMEATTRIBUTESCLASS',
      'AGE',
    ]);
    assert.deepEqual(row?.slice(0, 7), ['my-pvc', 'Bound', row?.[2], '1Gi', 'RWO', 'standard', '<unset>']);
    assert.match(row?.[2] ?? '', /^pvc-[0-9a-f-]{36}$/);

    const pv = await kubectl(['get', 'pv']);
    assert.equal(pv.status, 0, pv.stderr);
    const pvRow = rows(pv.stdout)[1];
    assert.deepEqual(pvRow?.slice(0, 7), [row?.[2], '1Gi', 'RWO', 'Delete', 'Bound', 'default/my-pvc', 'standard']);

    const described = await kubectl(['describe', 'pvc', 'my-pvc']);
    assert.equal(described.status, 0, described.stderr);
    assert.match(described.stdout, /Status:\s+Bound/);
    assert.match(described.stdout, /Used By:\s+client-pod/);
    assert.match(described.stdout, /WaitForFirstConsumer/);

    // Re-applying the same manifest to a bound claim changes nothing.
    const again = await kubectl(['apply', '-f', '-'], { input: MANIFEST });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /persistentvolumeclaim\/my-pvc unchanged/);

    const del = await kubectl(['delete', '-f', '-', '--grace-period=1'], { input: MANIFEST, timeoutMs: 60_000 });
    assert.equal(del.status, 0, `${del.stdout}\n${del.stderr}`);
    const gone = await kubectl(['get', 'pvc,pv']);
    assert.match(gone.stderr, /No resources found/);
  });
});
