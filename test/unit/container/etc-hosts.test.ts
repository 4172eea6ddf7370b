// The pod's /etc/hosts, byte for byte as kubelet_pods.go managedHostsFileContent / nodeHostsFileContent write it.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { managedHostsFileContent, nodeHostsFileContent } from '../../../src/container/etc-hosts.js';

const LOCALHOST = [
  '# Kubernetes-managed hosts file.',
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];

describe('managedHostsFileContent', () => {
  test('no subdomain: the pod IP with its hostname', () => {
    assert.equal(
      managedHostsFileContent(['10.244.0.5'], 'web', '', undefined),
      [...LOCALHOST, '10.244.0.5\tweb', ''].join('\n'),
    );
  });
  test('a subdomain: the FQDN first, then the hostname', () => {
    assert.equal(
      managedHostsFileContent(['10.244.0.5'], 'web', 'sub.ns.svc.cluster.local', []),
      [...LOCALHOST, '10.244.0.5\tweb.sub.ns.svc.cluster.local\tweb', ''].join('\n'),
    );
  });
  test('hostAliases: a blank line, the comment, one tab-separated line per alias', () => {
    const aliases = [
      { ip: '10.1.2.3', hostnames: ['foo.local', 'bar.local'] },
      { ip: '::2', hostnames: ['six'] },
    ];
    assert.equal(
      managedHostsFileContent(['10.244.0.5'], 'web', '', aliases),
      [
        ...LOCALHOST,
        '10.244.0.5\tweb',
        '',
        '# Entries added by HostAliases.',
        '10.1.2.3\tfoo.local\tbar.local',
        '::2\tsix',
        '',
      ].join('\n'),
    );
  });
});

describe('nodeHostsFileContent', () => {
  test("the node's file under the host-network header, then the aliases", () => {
    assert.equal(
      nodeHostsFileContent('127.0.0.1 localhost\n', [{ ip: '10.1.2.3', hostnames: ['foo'] }]),
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo\n',
    );
  });
});
