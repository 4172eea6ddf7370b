// A pod on the real engine: one pause container owning the namespaces, containers
// joined to it, shared localhost, hostname = pod name, pod IP from the pod network.
import { after, before, describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { BUSYBOX, execIn, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';
import type { Pod } from '../../../src/apis/core/types.js';

describe('pod sandbox and shared namespaces', () => {
  let agent: TestAgent;
  before(async () => {
    agent = await startTestAgent();
  });
  after(async () => {
    await agent.cleanup();
  });

  const running = (name: string) =>
    waitFor(`${name} Running with all containers ready`, async () => {
      const p = await agent.client.getPod('default', name);
      return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c) => c.ready) ? p : undefined;
    });

  test('containers of a pod share localhost and the pod IP; hostname is the pod name', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'shared' },
      spec: {
        containers: [
          {
            name: 'server',
            image: BUSYBOX,
            command: [
              'sh',
              '-c',
              'mkdir -p /www && echo from-server > /www/index.html && exec httpd -f -p 8080 -h /www',
            ],
          },
          { name: 'client', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
        ],
      },
    });
    const pod: Pod = await running('shared');
    const sandboxes = await agent.containers('io.kubernetes.docker.type=podsandbox');
    const sb = sandboxes.find((c) => c.Labels['io.kubernetes.pod.name'] === 'shared');
    assert.ok(sb, 'one pause container for the pod');
    assert.match(sb.Names[0]!, /^\/k8s_POD_shared_default_[0-9a-f-]+_0$/);

    const apps = (await agent.containers('io.kubernetes.docker.type=container')).filter(
      (c) => c.Labels['io.kubernetes.pod.name'] === 'shared',
    );
    assert.equal(apps.length, 2);
    for (const c of apps) {
      const info = await agent.docker.getContainer(c.Id).inspect();
      assert.equal(info.HostConfig.NetworkMode, `container:${sb.Id}`);
      assert.equal(info.HostConfig.IpcMode, `container:${sb.Id}`);
      assert.match(info.Name, new RegExp(`^/k8s_${c.Labels['io.kubernetes.container.name']}_shared_default_`));
    }
    const client = apps.find((c) => c.Labels['io.kubernetes.container.name'] === 'client')!;
    await waitFor(
      'server answering on localhost',
      async () => {
        const r = await execIn(client.Id, ['wget', '-qO-', 'http://127.0.0.1:8080/']);
        return r.exitCode === 0 && r.output.includes('from-server');
      },
      10_000,
    );
    const host = await execIn(client.Id, ['hostname']);
    assert.equal(host.output.trim(), 'shared');

    // The pod IP is the sandbox's address on the pod network, and every container sees it:
    // with cni the plugins gave it (NetworkMode none), with docker the sandbox's endpoint.
    const sbInfo = await agent.docker.getContainer(sb.Id).inspect();
    const net = agent.kubelet.podNetwork;
    const ip = net.driver === 'cni' ? pod.status?.podIP : sbInfo.NetworkSettings.Networks[net.name]?.IPAddress;
    assert.ok(ip);
    if (net.driver === 'cni') {
      assert.equal(sbInfo.HostConfig.NetworkMode, 'none');
      assert.ok(ip.startsWith(net.cidr.split('.').slice(0, 2).join('.')), `${ip} in ${net.cidr}`);
    }
    assert.equal(pod.status?.podIP, ip);
    assert.deepEqual(pod.status?.podIPs, [{ ip }]);
    const addr = await execIn(client.Id, ['ip', '-4', 'addr']);
    assert.ok(addr.output.includes(ip), addr.output);
  });

  test('pods reach each other by pod IP', async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'peer' },
      spec: {
        containers: [
          {
            name: 'web',
            image: BUSYBOX,
            command: ['sh', '-c', 'mkdir -p /w && echo peer-ok > /w/index.html && exec httpd -f -p 80 -h /w'],
          },
        ],
      },
    });
    const peer = await running('peer');
    const shared = await running('shared');
    assert.notEqual(peer.status?.podIP, shared.status?.podIP);
    const client = (await agent.containers(`io.kubernetes.container.name=client`))[0]!;
    await waitFor(
      'peer reachable by IP',
      async () => {
        const r = await execIn(client.Id, ['wget', '-qO-', `http://${peer.status!.podIP}/`]);
        return r.output.includes('peer-ok');
      },
      10_000,
    );
  });

  test("status carries the kubelet's conditions, container IDs and times", async () => {
    const p = await running('shared');
    const types = p.status!.conditions!.map((c) => `${c.type}=${c.status}`);
    assert.deepEqual(types, [
      'PodReadyToStartContainers=True',
      'Initialized=True',
      'Ready=True',
      'ContainersReady=True',
      'PodScheduled=True',
    ]);
    assert.ok(p.status!.startTime);
    assert.ok(p.status!.hostIP);
    const names = p.status!.containerStatuses!.map((c) => c.name);
    assert.deepEqual(names, ['client', 'server'], 'sorted alphabetically like the kubelet');
    for (const cs of p.status!.containerStatuses!) {
      assert.match(cs.containerID!, /^docker:\/\/[0-9a-f]{64}$/);
      assert.ok(cs.state.running?.startedAt);
      assert.equal(cs.restartCount, 0);
      assert.equal(cs.started, true);
      assert.equal(cs.image, BUSYBOX);
      assert.match(cs.imageID, /sha256:[0-9a-f]{64}/);
    }
  });

  test("shareProcessNamespace: containers see each other's processes", async () => {
    await agent.client.createPod('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pidshare' },
      spec: {
        shareProcessNamespace: true,
        containers: [
          { name: 'a', image: BUSYBOX, command: ['sh', '-c', 'exec sleep 3600'] },
          { name: 'b', image: BUSYBOX, command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
        ],
      },
    });
    await running('pidshare');
    const b = (await agent.containers('io.kubernetes.pod.name=pidshare')).find(
      (c) => c.Labels['io.kubernetes.container.name'] === 'b',
    )!;
    const ps = await execIn(b.Id, ['ps', '-o', 'pid,args']);
    assert.match(ps.output, /sleep 3600/);
    assert.match(ps.output, /\/pause/);
    const info = await agent.docker.getContainer(b.Id).inspect();
    assert.match(info.HostConfig.PidMode ?? '', /^container:/);
  });
});
