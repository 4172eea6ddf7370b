// The Multus annotation k8s.v1.cni.cncf.io/networks on the real engine: with the agent
// option podNetworkAttachments the sandbox joins the named networks (the pod's name its
// alias there) before it starts; a missing network fails the sandbox with a message that
// names it; without the option the annotation is ignored, as without Multus.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, docker, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';

const ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
const pod = (name: string, networks: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, annotations: { [ANNOTATION]: networks } },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }],
  },
});

describe('pod network attachments (Multus annotation)', () => {
  let on: TestAgent;
  let off: TestAgent;
  const net = `mkl-attach-test-${process.pid}`;
  before(async () => {
    await docker.createNetwork({ Name: net, Driver: 'bridge', Labels: { 'io.minikubelet.test': 'attachments' } });
    on = await startTestAgent({ podNetworkAttachments: true });
    off = await startTestAgent();
  });
  after(async () => {
    await on?.cleanup();
    await off?.cleanup();
    await docker
      .getNetwork(net)
      .remove()
      .catch(() => undefined);
  });

  const sandboxOf = async (agent: TestAgent, name: string) => {
    const list = await agent.containers(`io.kubernetes.pod.name=${name}`);
    const sb = list.find((c) => c.Labels['io.kubernetes.docker.type'] === 'podsandbox');
    return sb ? docker.getContainer(sb.Id).inspect() : undefined;
  };

  test('the sandbox joins the named network with the pod name as alias; the pod IP stays the pod network’s', async () => {
    await on.client.createPod('default', pod('joined', `default/${net}@net1`));
    const p = await waitFor('joined Running', async () => {
      const x = await on.client.getPod('default', 'joined');
      return x.status?.phase === 'Running' ? x : undefined;
    });
    const sb = await sandboxOf(on, 'joined');
    const ep = sb?.NetworkSettings.Networks[net];
    assert.ok(ep?.IPAddress, 'an address on the attached network');
    assert.ok(ep.Aliases?.includes('joined'), JSON.stringify(ep.Aliases));
    assert.equal(p.status?.podIP, sb?.NetworkSettings.Networks[on.options.podNetwork]?.IPAddress);
  });

  test('a network that does not exist fails the sandbox, naming it', async () => {
    await on.client.createPod('default', pod('missing', 'mkl-no-such-network'));
    const e = await waitFor('FailedCreatePodSandBox', async () =>
      (await on.client.listEvents('default')).find(
        (x) => x.involvedObject.name === 'missing' && x.reason === 'FailedCreatePodSandBox',
      ),
    );
    assert.match(
      e.message,
      /failed to attach sandbox of pod "default\/missing" to network "mkl-no-such-network": network not found/,
    );
  });

  test('without podNetworkAttachments the annotation is ignored', async () => {
    await off.client.createPod('default', pod('ignored', net));
    await waitFor(
      'ignored Running',
      async () => (await off.client.getPod('default', 'ignored')).status?.phase === 'Running',
    );
    const sb = await sandboxOf(off, 'ignored');
    // Only the pod network: the Docker network (docker driver) or none, CNI's (the default).
    const pn = off.kubelet.podNetwork;
    assert.deepEqual(Object.keys(sb?.NetworkSettings.Networks ?? {}), [pn.driver === 'cni' ? 'none' : pn.name]);
  });
});
