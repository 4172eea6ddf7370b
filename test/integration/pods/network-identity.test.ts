// Network identity inside the pod (issue #14 §4), on the real engine: the kubelet's
// /etc/hosts and /etc/resolv.conf as the containers read them, hostname/subdomain/
// setHostnameAsFQDN, dnsPolicy None and ClusterFirst's fallback (MissingClusterDNS),
// hostPort published from the sandbox and a second claim held Pending as the
// scheduler would, and a hostNetwork pod.
import { after, before, describe, test } from '../../harness/node-test.js';
import { freePort } from '../../harness/free-port.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../../../src/apis/core/types.js';
import { BUSYBOX, execIn, startTestAgent, waitFor, type TestAgent } from '../../harness/agent.js';

const NODE_RESOLV = 'nameserver 10.11.12.13\nsearch example.test\noptions ndots:2\n';
const LOCALHOST = [
  '# Kubernetes-managed hosts file.',
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];
const SLEEP = 'trap "exit 0" TERM; while true; do sleep 1; done';

function pod(name: string, spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'app', image: BUSYBOX, command: ['sh', '-c', SLEEP], ...container }],
      ...spec,
    },
  };
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/index.html', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .on('timeout', function (this: { destroy(e: Error): void }) {
        this.destroy(new Error('timeout'));
      });
  });
}

describe('network identity inside the pod', () => {
  let agent: TestAgent;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mkl-netid-'));
    writeFileSync(join(dir, 'resolv.conf'), NODE_RESOLV);
    agent = await startTestAgent({ resolvConf: join(dir, 'resolv.conf') });
  });
  after(async () => {
    await agent.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const running = (name: string) =>
    waitFor(`${name} running`, async () => {
      const p = await agent.client.getPod('default', name);
      return p.status?.containerStatuses?.every((c) => c.state.running) && p.status.podIP ? p : undefined;
    });
  const inPod = async (p: Pod, cmd: string): Promise<string> => {
    const id = p.status!.containerStatuses![0]!.containerID!.replace('docker://', '');
    const r = await execIn(id, ['sh', '-c', cmd]);
    assert.equal(r.exitCode, 0, r.output);
    return r.output;
  };
  const remove = async (name: string) => {
    await agent.client.deletePod('default', name);
    await agent.client.waitForPodGone('default', name, 30_000);
  };

  test('a recreated pod gets a new IP (round-robin, as CNI host-local), kept in <root>/ipam', async () => {
    const spec: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'again' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image: BUSYBOX, command: ['sleep', '3600'] }],
      },
    };
    await agent.client.createPod('default', spec);
    const first = (await running('again')).status!.podIP!;
    await remove('again');
    await agent.client.createPod('default', spec);
    const second = (await running('again')).status!.podIP!;
    assert.notEqual(second, first, 'the address just freed is not handed out again at once');
    const net = agent.kubelet.podNetwork;
    if (net.driver === 'cni') {
      // host-local's own state (shared by every agent on the network): the IP's file names the sandbox.
      const sb = (await agent.containers('io.kubernetes.pod.name=again')).find(
        (c) => c.Labels['io.kubernetes.docker.type'] === 'podsandbox' && c.State === 'running',
      );
      const owner = readFileSync(join('/var/lib/cni/networks', net.name, second), 'utf8');
      assert.equal(owner.split(/\r?\n/)[0], sb?.Id);
    } else {
      const last = readFileSync(join(agent.options.rootDir, 'ipam', net.name, 'last_reserved_ip'), 'utf8');
      assert.equal(last, second);
    }
    await remove('again');
  });

  test("/etc/hosts and /etc/resolv.conf are the kubelet's; ClusterFirst falls back to the node's resolver with MissingClusterDNS", async () => {
    await agent.client.createPod(
      'default',
      pod('plain', { hostAliases: [{ ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] }] }),
    );
    const p = await running('plain');
    assert.equal(
      await inPod(p, 'cat /etc/hosts'),
      [
        ...LOCALHOST,
        `${p.status!.podIP}\tplain`,
        '',
        '# Entries added by HostAliases.',
        '10.1.2.3\tfoo.local\tbar.local',
        '',
      ].join('\n'),
    );
    assert.equal(await inPod(p, 'cat /etc/resolv.conf'), NODE_RESOLV);
    const events = await agent.client.listEvents('default');
    const missing = events.filter((e) => e.involvedObject.name === 'plain' && e.reason === 'MissingClusterDNS');
    assert.deepEqual(
      missing.map((e) => [e.type, e.message]),
      [
        [
          'Warning',
          `pod: "plain_default(${p.metadata.uid})". kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.`,
        ],
      ],
    );
    await remove('plain');
  });

  test('subdomain: the FQDN line; setHostnameAsFQDN: `hostname` prints it; dnsPolicy None: only dnsConfig', async () => {
    await agent.client.createPod(
      'default',
      pod('fqdn', {
        hostname: 'box',
        subdomain: 'sub',
        setHostnameAsFQDN: true,
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['1.2.3.4'],
          searches: ['ns.example'],
          options: [{ name: 'ndots', value: '3' }, { name: 'edns0' }],
        },
      }),
    );
    const p = await running('fqdn');
    assert.equal(
      await inPod(p, 'cat /etc/hosts'),
      [...LOCALHOST, `${p.status!.podIP}\tbox.sub.default.svc.cluster.local\tbox`, ''].join('\n'),
    );
    assert.equal(await inPod(p, 'hostname'), 'box.sub.default.svc.cluster.local\n');
    assert.equal(
      await inPod(p, 'cat /etc/resolv.conf'),
      'nameserver 1.2.3.4\nsearch ns.example\noptions ndots:3 edns0\n',
    );
    const events = await agent.client.listEvents('default');
    assert.ok(!events.some((e) => e.involvedObject.name === 'fqdn' && e.reason === 'MissingClusterDNS'));
    await remove('fqdn');
  });

  test('hostPort is published from the sandbox; a second claim stays Pending as the scheduler says, and starts once the first is gone', async () => {
    const port = await freePort();
    const web = (name: string) =>
      pod(
        name,
        {},
        {
          command: ['sh', '-c', `mkdir -p /www && echo ${name} > /www/index.html && exec httpd -f -p 8080 -h /www`],
          ports: [{ containerPort: 8080, hostPort: port, hostIP: '127.0.0.1' }],
        },
      );
    await agent.client.createPod('default', web('web-a'));
    await running('web-a');
    assert.equal(
      await waitFor('web-a answers on the host port', () => httpGet(port).catch(() => undefined)),
      'web-a\n',
    );

    await agent.client.createPod('default', web('web-b'));
    const msg =
      "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    const pending = await agent.client.getPod('default', 'web-b');
    assert.equal(pending.status?.phase, 'Pending');
    assert.deepEqual(
      pending.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [['PodScheduled', 'False', 'Unschedulable', msg]],
    );
    const events = await agent.client.listEvents('default');
    assert.deepEqual(
      events
        .filter((e) => e.involvedObject.name === 'web-b')
        .map((e) => [e.type, e.reason, e.message, e.source.component]),
      [['Warning', 'FailedScheduling', msg, 'default-scheduler']],
    );
    assert.equal((await agent.containers('io.kubernetes.pod.name=web-b')).length, 0, 'no container for web-b');

    await remove('web-a');
    await running('web-b');
    assert.equal(
      await waitFor('web-b answers on the host port', () => httpGet(port).catch(() => undefined)),
      'web-b\n',
    );
    await remove('web-b');
  });

  test("hostNetwork: podIP is the node's hostIP, /etc/hosts is the node's under the host-network header", async () => {
    // A server on the node's network: its readiness probe dials the pod IP (the node's), as the kubelet's does.
    const port = await freePort();
    await agent.client.createPod(
      'default',
      pod(
        'hostnet',
        { hostNetwork: true, hostAliases: [{ ip: '10.9.9.9', hostnames: ['nine'] }] },
        {
          command: ['sh', '-c', `mkdir -p /www && echo up > /www/index.html && exec httpd -f -p ${port} -h /www`],
          ports: [{ containerPort: port }],
          readinessProbe: { httpGet: { path: '/index.html', port }, periodSeconds: 1 },
        },
      ),
    );
    const p = await waitFor('hostnet ready', async () => {
      const got = await agent.client.getPod('default', 'hostnet');
      return got.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? got : undefined;
    });
    // hostPort defaulted to the containerPort, as the API server does on the host network.
    assert.equal(p.spec.containers[0]!.ports![0]!.hostPort, port);
    assert.equal(p.status!.podIP, p.status!.hostIP);
    assert.deepEqual(p.status!.podIPs, [{ ip: p.status!.hostIP }]);
    assert.equal(
      await inPod(p, 'cat /etc/hosts'),
      `# Kubernetes-managed hosts file (host network).\n${readFileSync('/etc/hosts', 'utf8')}\n# Entries added by HostAliases.\n10.9.9.9\tnine\n`,
    );
    // ClusterFirst on the host network is Default: the node's resolver, no warning.
    assert.equal(await inPod(p, 'cat /etc/resolv.conf'), NODE_RESOLV);
    await remove('hostnet');
  });

  test("hostPID and hostIPC: the containers share the node's PID and IPC namespaces", async () => {
    await agent.client.createPod('default', pod('hostns', { hostPID: true, hostIPC: true }));
    const p = await running('hostns');
    const ns = (kind: string) => readlinkSync(`/proc/self/ns/${kind}`);
    assert.equal(await inPod(p, 'readlink /proc/self/ns/pid'), `${ns('pid')}\n`);
    assert.equal(await inPod(p, 'readlink /proc/self/ns/ipc'), `${ns('ipc')}\n`);
    // And a pod without them has its own.
    await agent.client.createPod('default', pod('ownns'));
    const own = await running('ownns');
    assert.notEqual(await inPod(own, 'readlink /proc/self/ns/pid'), `${ns('pid')}\n`);
    assert.notEqual(await inPod(own, 'readlink /proc/self/ns/ipc'), `${ns('ipc')}\n`);
    await Promise.all([remove('hostns'), remove('ownns')]);
  });
});
