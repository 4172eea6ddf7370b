// The pod network through CNI on the real engine (issue #17 lever 1): sandboxes with
// NetworkMode none, the bridge/host-local/portmap/firewall plugins on their netns. What
// the kubelet's pod network must keep: the host reaches the pod (probes), egress is
// masqueraded, hostPort answers on 127.0.0.1 and on the host's address, the IP goes back
// to host-local when the pod or its sandbox goes, and after kill -9 of the agent the
// running pods keep their IPs while those of sandboxes removed meanwhile are released.
// The egress target is a container on a Docker network this test creates.
import { after, before, describe, test } from '../../harness/node-test.js';
import { freePort } from '../../harness/free-port.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { Pod } from '../../../src/apis/core/types.js';
import { CNI_CACHE_DIR, CNI_DATA_DIR } from '../../../src/runtime/cni/cni-network.js';
import { choosePodNetworkDriver, probeHost } from '../../../src/runtime/cni/driver.js';
import { OPTION_DEFAULTS } from '../../../src/options.js';
import {
  BUSYBOX,
  docker,
  execIn,
  removeAgentContainers,
  removeAgentRoot,
  startTestAgent,
  type TestAgent,
  waitFor,
} from '../../harness/agent.js';
import { podHelpers } from '../../harness/pod-helpers.js';
import { startServe, type ServeProcess } from '../../harness/serve-process.js';

const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const HTTPD = (port: number) => [
  'sh',
  '-c',
  `mkdir -p /www && hostname > /www/index.html && exec httpd -f -v -p ${port} -h /www`,
];

/** host-local's record of an IP: the container holding it, or undefined when free. */
function holder(network: string, ip: string): string | undefined {
  try {
    return readFileSync(join(CNI_DATA_DIR, network, ip), 'utf8').split(/\r?\n/)[0];
  } catch {
    return undefined;
  }
}

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Every nat rule (portmap's per-sandbox chains carry the container ID in a comment). */
async function natRules(): Promise<string> {
  const { stdout } = await promisify(execFile)('iptables', ['-w', '-t', 'nat', '-S']);
  return stdout;
}

/** The host's own non-loopback IPv4 address (eth0 here), as a client off the pod network dials. */
function hostAddress(): string {
  for (const [name, list] of Object.entries(networkInterfaces())) {
    if (name === 'lo' || name.startsWith('br-') || name.startsWith('docker') || name.startsWith('veth')) continue;
    const a = list?.find((x) => x.family === 'IPv4' && !x.internal);
    if (a) return a.address;
  }
  throw new Error('no host address');
}

/** These tests need what the cni driver needs (root, the plugins: `setup --install` or CI installs them). */
const CNI_SKIP = (() => {
  const c = choosePodNetworkDriver(undefined, false, OPTION_DEFAULTS.cniBinDir, probeHost(OPTION_DEFAULTS.cniBinDir));
  return c.driver === 'cni' ? false : `the cni driver cannot run here: ${c.why}`;
})();

describe('pod network through CNI', { skip: CNI_SKIP }, () => {
  let agent: TestAgent;
  let egressNet: Dockerode.Network;
  let target: Dockerode.Container;
  let targetIp: string;
  let targetGateway: string;
  const h = podHelpers(() => agent);
  const running = (name: string) =>
    h.until('Running with an IP', name, (p) => p.status?.phase === 'Running' && !!p.status.podIP);
  const sandboxOf = async (name: string) =>
    (await agent.containers(`io.kubernetes.pod.name=${name}`)).find(
      (c) => c.Labels['io.kubernetes.docker.type'] === 'podsandbox' && c.State === 'running',
    );
  const appOf = async (name: string) =>
    (await agent.containers(`io.kubernetes.pod.name=${name}`)).find(
      (c) => c.Labels['io.kubernetes.docker.type'] === 'container' && c.State === 'running',
    );

  before(async () => {
    agent = await startTestAgent({ podNetworkDriver: 'cni' });
    egressNet = await docker.createNetwork({ Name: `mkl-cni-egress-${RUN_ID}`, Labels: { 'mkl-test': RUN_ID } });
    target = await docker.createContainer({
      Image: BUSYBOX,
      Cmd: HTTPD(80),
      Labels: { 'mkl-test': RUN_ID },
      HostConfig: { NetworkMode: `mkl-cni-egress-${RUN_ID}` },
    });
    await target.start();
    const info = await target.inspect();
    targetIp = info.NetworkSettings.Networks[`mkl-cni-egress-${RUN_ID}`]!.IPAddress;
    targetGateway = info.NetworkSettings.Networks[`mkl-cni-egress-${RUN_ID}`]!.Gateway;
  });

  after(async () => {
    await agent?.cleanup();
    await target?.remove({ force: true }).catch(() => undefined);
    await egressNet?.remove().catch(() => undefined);
  });

  test("the sandbox has NetworkMode none, its IP is host-local's, and the host reaches it (httpGet probe)", async () => {
    const net = agent.kubelet.podNetwork;
    assert.equal(net.driver, 'cni');
    await h.create('web', {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'web',
          image: BUSYBOX,
          command: HTTPD(8080),
          readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
        },
      ],
    });
    const p = await h.until(
      'Ready',
      'web',
      (x) => x.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    );
    const ip = p.status!.podIP!;
    const sb = (await sandboxOf('web'))!;
    const sbInfo = await docker.getContainer(sb.Id).inspect();
    assert.equal(sbInfo.HostConfig.NetworkMode, 'none');
    assert.equal(sbInfo.Config.Labels['io.minikubelet.cni.network'], net.name);
    assert.equal(holder(net.name, ip), sb.Id, 'host-local holds the IP for this sandbox');
    assert.ok(existsSync(join(CNI_CACHE_DIR, 'results', `${net.name}-${sb.Id}-eth0`)), 'ADD result cached for DEL');
    const app = (await appOf('web'))!;
    const addr = await execIn(app.Id, ['ip', '-4', 'addr', 'show', 'eth0']);
    assert.match(addr.output, new RegExp(`inet ${ip.replace(/\./g, '\\.')}/16`));
    const hosts = await execIn(app.Id, ['cat', '/etc/hosts']);
    assert.match(hosts.output, new RegExp(`^${ip.replace(/\./g, '\\.')}\\tweb$`, 'm'));
    // The host dials the pod IP (as probes and port-forward do).
    assert.equal((await httpGet(ip, 8080)).trim(), 'web');
  });

  test('egress leaves masqueraded: the target on another Docker network sees the host, not the pod IP', async () => {
    await h.create('client', {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }],
    });
    const p = await running('client');
    const app = (await appOf('client'))!;
    // (busybox 1.35's wget -T crashes with SIGSEGV here; the exec's own timeout bounds it.)
    const r = await execIn(app.Id, ['wget', '-qO-', `http://${targetIp}/`]);
    assert.equal(r.exitCode, 0, r.output);
    const logs = (await target.logs({ stdout: true, stderr: true })).toString('utf8');
    // httpd -v logs each client as [::ffff:<ip>]:<port>.
    assert.ok(logs.includes(`${targetGateway}]:`), `the target saw the host's address ${targetGateway}: ${logs}`);
    assert.ok(!logs.includes(`${p.status!.podIP}]:`), 'not the pod IP');
  });

  test('hostPort answers on 127.0.0.1 and on the host address (portmap)', async () => {
    const port = await freePort('0.0.0.0');
    await h.create('published', {
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: 'web', image: BUSYBOX, command: HTTPD(8080), ports: [{ containerPort: 8080, hostPort: port }] },
      ],
    });
    await running('published');
    const sb = (await sandboxOf('published'))!;
    const sbInfo = await docker.getContainer(sb.Id).inspect();
    assert.deepEqual(sbInfo.HostConfig.PortBindings ?? {}, {}, 'the engine publishes nothing; portmap does');
    for (const host of ['127.0.0.1', hostAddress()]) {
      const body = await waitFor(
        `hostPort ${port} on ${host}`,
        () => httpGet(host, port).catch(() => undefined),
        15_000,
      );
      assert.equal(body.trim(), 'published');
    }
    assert.ok((await natRules()).includes(sb.Id), "portmap's rules name the sandbox");
    await agent.client.deletePod('default', 'published');
    await agent.client.waitForPodGone('default', 'published', 30_000);
    assert.ok(!(await natRules()).includes(sb.Id), 'DEL removed them');
    await assert.rejects(httpGet('127.0.0.1', port), 'the port is closed again');
  });

  test('the IP is released when the pod is deleted, and when its sandbox dies and is replaced', async () => {
    const net = agent.kubelet.podNetwork;
    await h.create('short', {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: BUSYBOX, command: ['sleep', '3600'] }],
    });
    const first = (await running('short')).status!.podIP!;
    const sb1 = (await sandboxOf('short'))!;
    // The pause container dies: a new sandbox with a new IP; the old one's is freed.
    await docker.getContainer(sb1.Id).kill();
    const second = await waitFor(
      'a new sandbox IP',
      async () => {
        const p = await h.get('short');
        return p.status?.podIP && p.status.podIP !== first && p.status.phase === 'Running' ? p.status.podIP : undefined;
      },
      60_000,
    );
    await waitFor('the old IP released', () => holder(net.name, first) !== sb1.Id, 30_000);
    assert.ok(!existsSync(join(CNI_CACHE_DIR, 'results', `${net.name}-${sb1.Id}-eth0`)));
    const sb2 = (await sandboxOf('short'))!;
    assert.equal(holder(net.name, second), sb2.Id);
    await agent.client.deletePod('default', 'short');
    await agent.client.waitForPodGone('default', 'short', 30_000);
    assert.notEqual(holder(net.name, second), sb2.Id, 'released on delete');
    assert.ok(!existsSync(join(CNI_CACHE_DIR, 'results', `${net.name}-${sb2.Id}-eth0`)));
  });
});

test('a pod CIDR overlapping another network of the host is refused at start, with nothing made', async () => {
  const name = `mkl-cni-clash-${RUN_ID}`;
  const net = await docker.createNetwork({
    Name: name,
    IPAM: { Config: [{ Subnet: '10.251.7.0/24' }] },
    Labels: { 'mkl-test': RUN_ID },
  });
  const rootDir = mkdtempSync(join(tmpdir(), 'mkl-cni-clash-'));
  try {
    await assert.rejects(
      startTestAgent({ podNetworkDriver: 'cni', podNetwork: 'mkl-cni-clash', podCidr: '10.251.0.0/16', rootDir }),
      /^Error: cannot set up the CNI pod network: pod CIDR 10\.251\.0\.0\/16 overlaps 10\.251\.7\.1\/24 of interface br-[0-9a-f]{12} \(another network on this host\); choose another --pod-cidr$/,
    );
    const links = await promisify(execFile)('ip', ['-br', 'link']);
    assert.doesNotMatch(links.stdout, /^mkl-cni-clash /m, 'no bridge made');
  } finally {
    await net.remove().catch(() => undefined);
    await removeAgentRoot(rootDir);
  }
});

describe('pod network through CNI across kill -9', { skip: CNI_SKIP }, () => {
  let root: string;
  let serve: ServeProcess | undefined;
  const args = ['--pod-network-driver', 'cni'];
  const pod = (name: string): Pod =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: BUSYBOX, imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
      },
    }) as Pod;
  const ipOf = (s: ServeProcess, name: string) =>
    waitFor(
      `${name} Running with an IP`,
      async () => {
        const p = await s.client.getPod('default', name);
        return p.status?.phase === 'Running' && p.status.podIP ? p.status.podIP : undefined;
      },
      60_000,
    );
  const sandboxes = async (agentId: string, name: string) =>
    docker.listContainers({
      all: true,
      filters: {
        label: [
          `io.minikubelet.agent=${agentId}`,
          `io.kubernetes.pod.name=${name}`,
          'io.kubernetes.docker.type=podsandbox',
        ],
      },
    });

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'mkl-cni-kill9-'));
  });
  after(async () => {
    const agentId = serve?.agentId;
    await serve?.stop().catch(() => undefined);
    if (agentId) await removeAgentContainers(agentId);
    await removeAgentRoot(root);
  });

  test('running pods keep their IPs; the IP of a sandbox removed meanwhile is released; no duplicates', async () => {
    serve = await startServe(root, { args });
    const network = 'minikubelet-cni';
    await serve.client.createPod('default', pod('keep'));
    await serve.client.createPod('default', pod('lost'));
    const keepIp = await ipOf(serve, 'keep');
    const lostIp = await ipOf(serve, 'lost');
    const [keepSb] = await sandboxes(serve.agentId, 'keep');
    const [lostSb] = await sandboxes(serve.agentId, 'lost');
    assert.equal(holder(network, keepIp), keepSb!.Id);
    assert.equal(holder(network, lostIp), lostSb!.Id);

    await serve.kill();
    // While no agent runs, the sandbox of `lost` goes (docker rm -f): nobody ran DEL.
    await docker.getContainer(lostSb!.Id).remove({ force: true });
    assert.equal(holder(network, lostIp), lostSb!.Id, 'still held: nothing released it yet');

    serve = await startServe(root, { args });
    assert.equal(await ipOf(serve, 'keep'), keepIp, 'adopted with its IP');
    const [keepAfter] = await sandboxes(serve.agentId, 'keep');
    assert.equal(keepAfter!.Id, keepSb!.Id, 'the same sandbox');
    await waitFor("the vanished sandbox's IP released", () => holder(network, lostIp) !== lostSb!.Id, 30_000);
    assert.ok(!existsSync(join(CNI_CACHE_DIR, 'results', `${network}-${lostSb!.Id}-eth0`)));
    // `lost` is still wanted: a new sandbox, a new IP, not keep's.
    const lostAgain = await ipOf(serve, 'lost');
    assert.notEqual(lostAgain, keepIp);
    const running = (await sandboxes(serve.agentId, 'lost')).filter((c) => c.State === 'running');
    assert.equal(running.length, 1);
    assert.equal(holder(network, lostAgain), running[0]!.Id);
  });
});
