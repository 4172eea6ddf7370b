// The CNI network configuration (pure): bridge names, the plugin list, what each plugin
// gets on stdin (libcni buildOneConfig), hostPorts as portMappings, CIDR arithmetic.
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { ValidPod } from '../../../../src/apis/core/types.js';
import {
  bridgeName,
  cidrsOverlap,
  gatewayOf,
  netConfList,
  parseCidr,
  pluginConf,
  portMappings,
} from '../../../../src/runtime/cni/conf.js';
import { hostRules } from '../../../../src/runtime/cni/host-bridge.js';

test('bridgeName: the network name when it is a valid interface name, else ≤ 15 characters with a stable hash', () => {
  assert.equal(bridgeName('minikubelet-cni'), 'minikubelet-cni');
  const long = bridgeName('minikubelet-cni-pods-of-test');
  assert.ok(long.length <= 15, long);
  assert.match(long, /^minikubel-[0-9a-f]{5}$/);
  assert.equal(bridgeName('minikubelet-cni-pods-of-test'), long, 'stable');
  assert.notEqual(bridgeName('minikubelet-cni-pods-of-tesu'), long, 'distinct names, distinct bridges');
  assert.ok(bridgeName('a/b c').length <= 15);
  assert.doesNotMatch(bridgeName('a/b c'), /[/ ]/);
});

test('netConfList: bridge (gateway, host-local with a default route; masquerade made once), portmap only with hostPorts', () => {
  const spec = {
    name: 'n',
    bridge: 'n',
    subnet: '10.245.0.0/16',
    gateway: '10.245.0.1',
    dataDir: '/var/lib/cni/networks',
  };
  const list = netConfList(spec);
  assert.equal(list.cniVersion, '1.0.0');
  assert.deepEqual(
    list.plugins.map((p) => (p as { type: string }).type),
    ['bridge', 'portmap'],
  );
  assert.deepEqual(
    netConfList(spec, false).plugins.map((p) => (p as { type: string }).type),
    ['bridge'],
  );
  assert.deepEqual(list.plugins[0], {
    type: 'bridge',
    bridge: 'n',
    isGateway: true,
    ipMasq: false,
    hairpinMode: true,
    ipam: {
      type: 'host-local',
      ranges: [[{ subnet: '10.245.0.0/16', gateway: '10.245.0.1' }]],
      routes: [{ dst: '0.0.0.0/0' }],
      dataDir: '/var/lib/cni/networks',
    },
  });
  assert.deepEqual(list.plugins[1], { type: 'portmap', capabilities: { portMappings: true }, snat: true });
});

test("hostRules: the network's masquerade and the FORWARD accepts Docker's DROP policy needs", () => {
  const c = ['-m', 'comment', '--comment', 'minikubelet pod network minikubelet-cni'];
  assert.deepEqual(hostRules('minikubelet-cni', '10.245.0.0/16', 'minikubelet-cni'), [
    {
      table: 'nat',
      chain: 'POSTROUTING',
      rule: ['-s', '10.245.0.0/16', '!', '-d', '10.245.0.0/16', ...c, '-j', 'MASQUERADE'],
    },
    { table: 'filter', chain: 'FORWARD', rule: ['-i', 'minikubelet-cni', ...c, '-j', 'ACCEPT'] },
    {
      table: 'filter',
      chain: 'FORWARD',
      rule: ['-o', 'minikubelet-cni', '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...c, '-j', 'ACCEPT'],
    },
  ]);
});

test('pluginConf: name and version of the list, prevResult, runtimeConfig only for declared capabilities', () => {
  const list = { cniVersion: '1.0.0', name: 'n' };
  const maps = [{ hostPort: 80, containerPort: 8080, protocol: 'tcp', hostIP: '' }];
  const portmap = JSON.parse(
    pluginConf(list, { type: 'portmap', capabilities: { portMappings: true } }, { ips: [] }, { portMappings: maps }),
  );
  assert.deepEqual(portmap, {
    type: 'portmap',
    capabilities: { portMappings: true },
    cniVersion: '1.0.0',
    name: 'n',
    prevResult: { ips: [] },
    runtimeConfig: { portMappings: maps },
  });
  const bridge = JSON.parse(pluginConf(list, { type: 'bridge' }, undefined, { portMappings: maps }));
  assert.deepEqual(bridge, { type: 'bridge', cniVersion: '1.0.0', name: 'n' }, 'no prevResult, no capability');
});

test('portMappings: every container hostPort, protocol lower-case, 0.0.0.0 as every address', () => {
  const pod = {
    metadata: { name: 'p', namespace: 'default', uid: 'u' },
    spec: {
      initContainers: [{ name: 'i', ports: [{ containerPort: 53, hostPort: 5353, protocol: 'UDP' }] }],
      containers: [
        {
          name: 'a',
          ports: [
            { containerPort: 80, hostPort: 8080, hostIP: '127.0.0.1' },
            { containerPort: 81 },
            { containerPort: 82, hostPort: 8082, hostIP: '0.0.0.0' },
          ],
        },
      ],
    },
  } as unknown as ValidPod;
  assert.deepEqual(portMappings(pod), [
    { hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '' },
    { hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1' },
    { hostPort: 8082, containerPort: 82, protocol: 'tcp', hostIP: '' },
  ]);
});

test('CIDRs: parse, overlap, gateway', () => {
  assert.deepEqual(parseCidr('10.245.7.9/16'), { base: (10 * 256 + 245) * 65536, size: 65536, bits: 16 });
  assert.equal(parseCidr('10.245.0.0'), undefined);
  assert.equal(parseCidr('300.1.1.1/8'), undefined);
  assert.equal(parseCidr('fd00::/64'), undefined);
  assert.ok(cidrsOverlap('10.244.0.0/16', '10.244.0.1/16'));
  assert.ok(cidrsOverlap('10.244.0.0/16', '10.244.3.0/24'), 'a smaller network inside');
  assert.ok(cidrsOverlap('10.0.0.0/8', '10.245.0.1/16'), 'a larger network around');
  assert.ok(!cidrsOverlap('10.244.0.0/16', '10.245.0.1/16'));
  assert.ok(!cidrsOverlap('10.245.0.0/16', '192.0.2.2/24'));
  assert.deepEqual(gatewayOf('10.245.0.0/16'), { gateway: '10.245.0.1', bits: 16 });
  assert.deepEqual(gatewayOf('10.245.3.7/24'), { gateway: '10.245.3.1', bits: 24 });
  assert.equal(gatewayOf('10.245.0.0/31'), undefined);
});
