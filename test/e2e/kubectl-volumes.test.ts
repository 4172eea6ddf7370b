// Real kubectl (issue #14): `kubectl apply` of a ConfigMap and a pod mounting it with a
// downwardAPI labels file (kubectl validates against /openapi/v3), `kubectl exec cat`
// reads the files, and `kubectl label` reaches the mounted labels file.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor } from '../harness/kubectl.js';
import { which } from '../harness/which.js';

const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  mode: fast
---
apiVersion: v1
kind: Pod
metadata:
  name: vols
  labels:
    app: vols
spec:
  volumes:
  - name: config
    configMap:
      name: app-config
      items:
      - key: mode
        path: settings/mode
        mode: 0600
  - name: info
    downwardAPI:
      items:
      - path: labels
        fieldRef:
          fieldPath: metadata.labels
  containers:
  - name: app
    image: ${BUSYBOX}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    volumeMounts:
    - name: config
      mountPath: /etc/app
    - name: info
      mountPath: /etc/podinfo
`;

describe('kubectl and pod volumes', { skip: which('kubectl') ? false : 'kubectl not on PATH' }, () => {
  let agent: TestAgent;
  let kubectl: Kubectl;
  before(async () => {
    agent = await startTestAgent();
    kubectl = kubectlFor(agent)!;
  });
  after(async () => {
    await agent.cleanup();
  });

  test('apply, exec cat of a configMap item, label reaching the downwardAPI file', async () => {
    const applied = await kubectl(['apply', '-f', '-'], { input: MANIFEST });
    assert.equal(applied.status, 0, applied.stderr);
    await waitFor('running', async () => (await agent.client.getPod('default', 'vols')).status?.phase === 'Running');
    const cat = await kubectl([
      'exec',
      'vols',
      '--',
      'sh',
      '-c',
      'cat /etc/app/settings/mode; stat -L -c %a /etc/app/settings/mode',
    ]);
    assert.equal(cat.stdout, 'fast600\n', cat.stderr);
    const label = await kubectl(['label', 'pod', 'vols', 'tier=db']);
    assert.equal(label.status, 0, label.stderr);
    await waitFor('labels file updated', async () => {
      const r = await kubectl(['exec', 'vols', '--', 'cat', '/etc/podinfo/labels']);
      return r.stdout === 'app="vols"\ntier="db"';
    });
    await kubectl(['delete', 'pod', 'vols', '--grace-period=0']);
  });
});
