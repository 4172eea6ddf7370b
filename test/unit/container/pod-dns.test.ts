// GetPodDNS without a cluster DNS (pkg/kubelet/network/dns/dns.go) and the resolv.conf cri-dockerd writes.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { PodSpec, ValidPod } from '../../../src/apis/core/types.js';
import { parseResolvConf, podDns, resolvConfContent } from '../../../src/container/pod-dns.js';
import { mkPod } from '../status/helpers.js';

const NODE =
  '# generated\nnameserver 10.0.0.2\nnameserver 10.0.0.3 ; second\nsearch corp.example. .\noptions ndots:2 edns0\n';

function pod(spec: Partial<PodSpec>): ValidPod {
  const p = mkPod();
  return { ...p, spec: { ...p.spec, ...spec } };
}

describe('parseResolvConf', () => {
  test('nameservers add up, comments go, the trailing dot and a lone `.` search are dropped', () => {
    assert.deepEqual(parseResolvConf(NODE), {
      servers: ['10.0.0.2', '10.0.0.3'],
      searches: ['corp.example'],
      options: ['ndots:2', 'edns0'],
    });
  });
  test('the last search line wins', () => {
    assert.deepEqual(parseResolvConf('search a\nsearch b c\n').searches, ['b', 'c']);
  });
});

describe('podDns', () => {
  test("Default: the node's file", () => {
    const r = podDns(pod({ dnsPolicy: 'Default' }), NODE);
    assert.equal(r.missingClusterDNS, false);
    assert.equal(
      resolvConfContent(r.config),
      'nameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch corp.example\noptions ndots:2 edns0\n',
    );
  });
  test('ClusterFirst with no cluster DNS: Default, and MissingClusterDNS', () => {
    const r = podDns(pod({ dnsPolicy: 'ClusterFirst' }), NODE);
    assert.equal(r.missingClusterDNS, true);
    assert.deepEqual(r.config.servers, ['10.0.0.2', '10.0.0.3']);
  });
  test('ClusterFirst on the host network is Default (no warning); ClusterFirstWithHostNet warns', () => {
    assert.equal(podDns(pod({ dnsPolicy: 'ClusterFirst', hostNetwork: true }), NODE).missingClusterDNS, false);
    assert.equal(
      podDns(pod({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }), NODE).missingClusterDNS,
      true,
    );
  });
  test('None: only dnsConfig, option values kept, a valueless option bare', () => {
    const r = podDns(
      pod({
        dnsPolicy: 'None',
        dnsConfig: {
          nameservers: ['1.2.3.4'],
          searches: ['ns1.svc.example'],
          options: [{ name: 'ndots', value: '3' }, { name: 'single-request' }],
        },
      }),
      NODE,
    );
    assert.equal(
      resolvConfContent(r.config),
      'nameserver 1.2.3.4\nsearch ns1.svc.example\noptions ndots:3 single-request\n',
    );
  });
  test('dnsConfig is appended: duplicates omitted, an option of the same name replaced', () => {
    const r = podDns(
      pod({
        dnsPolicy: 'Default',
        dnsConfig: { nameservers: ['10.0.0.2'], searches: ['x.example'], options: [{ name: 'ndots', value: '5' }] },
      }),
      NODE,
    );
    assert.deepEqual(r.config, {
      servers: ['10.0.0.2', '10.0.0.3'],
      searches: ['corp.example', 'x.example'],
      options: ['ndots:5', 'edns0'],
    });
  });
  test('more than three nameservers: the first three, and the caller is told', () => {
    const r = podDns(pod({ dnsPolicy: 'Default', dnsConfig: { nameservers: ['1.1.1.1', '1.1.1.2'] } }), NODE);
    assert.equal(r.droppedNameservers, true);
    assert.deepEqual(r.config.servers, ['10.0.0.2', '10.0.0.3', '1.1.1.1']);
  });
  test('--resolv-conf "": nameserver 127.0.0.1, search .', () => {
    assert.equal(
      resolvConfContent(podDns(pod({ dnsPolicy: 'Default' }), undefined).config),
      'nameserver 127.0.0.1\nsearch .\n',
    );
  });
});
