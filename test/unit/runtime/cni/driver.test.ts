// Which pod network driver the agent uses, and the per-driver network defaults (pure).
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { choosePodNetworkDriver, hasNetAdmin } from '../../../../src/runtime/cni/driver.js';
import { bridgeConflict, parseIpAddrJson } from '../../../../src/runtime/cni/host-bridge.js';
import { effectivePodNetwork, OPTION_DEFAULTS } from '../../../../src/options.js';
import { CniPodNetwork } from '../../../../src/runtime/cni/cni-network.js';

const able = { netAdmin: true, missingPlugins: [], missingTools: [] };

test('auto: cni when the agent has CAP_NET_ADMIN and the plugins, else docker with the reason', () => {
  assert.equal(choosePodNetworkDriver(undefined, false, '/usr/lib/cni', able).driver, 'cni');
  assert.deepEqual(choosePodNetworkDriver(undefined, false, '/usr/lib/cni', { ...able, netAdmin: false }), {
    driver: 'docker',
    why: 'the agent lacks CAP_NET_ADMIN (not root)',
  });
  assert.deepEqual(
    choosePodNetworkDriver(undefined, false, '/opt/cni/bin', { ...able, missingPlugins: ['bridge', 'portmap'] }),
    { driver: 'docker', why: 'CNI plugins missing in /opt/cni/bin: bridge, portmap' },
  );
  assert.equal(
    choosePodNetworkDriver(undefined, false, '/d', { ...able, missingTools: ['iptables'] }).why,
    'not on PATH: iptables',
  );
  assert.equal(
    choosePodNetworkDriver(undefined, true, '/d', able).driver,
    'docker',
    'attachments need Docker networks',
  );
});

test('explicit: docker always; cni refused with every reason when it cannot work', () => {
  assert.equal(choosePodNetworkDriver('docker', false, '/d', able).driver, 'docker');
  assert.equal(choosePodNetworkDriver('cni', false, '/d', able).driver, 'cni');
  assert.throws(
    () => choosePodNetworkDriver('cni', true, '/d', { netAdmin: false, missingPlugins: [] }),
    /^Error: --pod-network-driver cni cannot be used: pod network attachments join Docker networks, which needs the docker driver; the agent lacks CAP_NET_ADMIN \(not root\)$/,
  );
});

test('hasNetAdmin: bit 12 of CapEff', () => {
  assert.ok(hasNetAdmin('Name:\tnode\nCapEff:\t000001ffffffffff\n'));
  assert.ok(hasNetAdmin('CapEff:\t0000000000001000\n'));
  assert.ok(!hasNetAdmin('CapEff:\t00000000a80425fb\n'), "Docker's default container set has no NET_ADMIN");
  assert.ok(!hasNetAdmin('CapEff:\t0000000000000000\n'));
  assert.ok(!hasNetAdmin(''));
});

test("effectivePodNetwork: the docker driver's defaults become cni's own; explicit values stay", () => {
  const d = { podNetwork: OPTION_DEFAULTS.podNetwork, podCidr: OPTION_DEFAULTS.podCidr };
  assert.deepEqual(effectivePodNetwork(d, 'docker'), { name: 'minikubelet-pods', cidr: '10.244.0.0/16' });
  assert.deepEqual(effectivePodNetwork(d, 'cni'), { name: 'minikubelet-cni', cidr: '10.245.0.0/16' });
  assert.deepEqual(effectivePodNetwork({ podNetwork: 'x', podCidr: '10.9.0.0/24' }, 'cni'), {
    name: 'x',
    cidr: '10.9.0.0/24',
  });
});

test('bridgeConflict: another interface overlapping the CIDR, or the bridge with another address', () => {
  const addrs = parseIpAddrJson(
    JSON.stringify([
      { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
      {
        ifname: 'eth0',
        addr_info: [
          { family: 'inet', local: '192.0.2.2', prefixlen: 24 },
          { family: 'inet6', local: 'fd00::2', prefixlen: 64 },
        ],
      },
      { ifname: 'br-bd2bca98b612', addr_info: [{ family: 'inet', local: '10.244.0.1', prefixlen: 16 }] },
      { ifname: 'minikubelet-cni', addr_info: [{ family: 'inet', local: '10.245.0.1', prefixlen: 16 }] },
    ]),
  );
  assert.equal(addrs.length, 4, 'IPv4 only');
  assert.equal(bridgeConflict(addrs, 'minikubelet-cni', '10.245.0.0/16', '10.245.0.1/16'), undefined, 'ours, as made');
  assert.equal(
    bridgeConflict(addrs, 'other', '10.244.0.0/16', '10.244.0.1/16'),
    'pod CIDR 10.244.0.0/16 overlaps 10.244.0.1/16 of interface br-bd2bca98b612 (another network on this host); choose another --pod-cidr',
  );
  assert.match(
    bridgeConflict(addrs, 'minikubelet-cni', '10.246.0.0/16', '10.246.0.1/16') ?? '',
    /^bridge minikubelet-cni already has address 10.245.0.1\/16, not 10.246.0.1\/16/,
  );
});

test('CniPodNetwork: a network name that could leave its directory, or a CIDR it cannot use, is refused', () => {
  const o = { binDir: '/usr/lib/cni' };
  assert.equal(new CniPodNetwork({ ...o, name: 'minikubelet-cni', cidr: '10.245.0.0/16' }).bridge, 'minikubelet-cni');
  assert.throws(
    () => new CniPodNetwork({ ...o, name: '../etc', cidr: '10.245.0.0/16' }),
    /^Error: invalid CNI network name "..\/etc": letters, digits, '_', '.' and '-' only$/,
  );
  assert.throws(
    () => new CniPodNetwork({ ...o, name: 'n', cidr: '10.245.0.0/31' }),
    /invalid pod CIDR "10.245.0.0\/31" for the CNI network/,
  );
});
