// Real kubectl (issue #15 §5): what `kubectl get po` shows of a pod with a native sidecar
// (READY counts it, STATUS `Init:0/2` while its startup probe has not passed), and
// `kubectl delete` of it returning once the sidecar stopped after the app container.
import { after, before, describe, test } from '../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, startTestAgent, waitFor, type TestAgent } from '../harness/agent.js';
import { type Kubectl, kubectlFor } from '../harness/kubectl.js';
import { which } from '../harness/which.js';

const LOOP = "trap 'exit 0' TERM; while true; do sleep 1; done";
const MANIFEST = `apiVersion: v1
kind: Pod
metadata:
  name: mesh
spec:
  initContainers:
  - name: proxy
    image: ${BUSYBOX}
    restartPolicy: Always
    command: ["sh", "-c", "sleep 3; touch /tmp/ready; ${LOOP}"]
    startupProbe:
      exec:
        command: ["test", "-f", "/tmp/ready"]
      periodSeconds: 1
      failureThreshold: 30
  - name: setup
    image: ${BUSYBOX}
    command: ["true"]
  containers:
  - name: app
    image: ${BUSYBOX}
    command: ["sh", "-c", "${LOOP}"]
`;

describe('kubectl and native sidecars', { skip: which('kubectl') ? false : 'kubectl not on PATH' }, () => {
  let agent: TestAgent;
  let kubectl: Kubectl;
  before(async () => {
    agent = await startTestAgent();
    kubectl = kubectlFor(agent)!;
  });
  after(async () => {
    await agent.cleanup();
  });

  /** READY and STATUS of `kubectl get po mesh`. */
  async function row(): Promise<[string, string]> {
    const r = await kubectl(['get', 'po', 'mesh', '--no-headers']);
    assert.equal(r.status, 0, r.stderr);
    const [, ready, status] = r.stdout.trim().split(/\s+/);
    return [ready!, status!];
  }

  test('get po: Init:0/2 until the sidecar started, then READY 2/2 Running; delete waits for both', async () => {
    const applied = await kubectl(['apply', '-f', '-'], { input: MANIFEST });
    assert.equal(applied.status, 0, applied.stderr);
    await waitFor('proxy running, not started', async () => {
      const s = (await agent.client.getPod('default', 'mesh')).status?.initContainerStatuses?.[0];
      return s?.state.running !== undefined && s.started === false;
    });
    assert.deepEqual(await row(), ['0/2', 'Init:0/2']);
    await waitFor('2/2 Running', async () => {
      const [ready, status] = await row();
      return ready === '2/2' && status === 'Running';
    });
    const started = await kubectl(['get', 'po', 'mesh', '-o', 'jsonpath={.status.initContainerStatuses[0].started}']);
    assert.equal(started.stdout, 'true', started.stderr);
    const deleted = await kubectl(['delete', 'po', 'mesh'], { timeoutMs: 90_000 });
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.match(deleted.stdout, /pod "mesh" deleted/);
  });
});
