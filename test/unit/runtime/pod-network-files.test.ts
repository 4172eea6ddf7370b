// The pod's /etc/hosts and /etc/resolv.conf on the host, and the binds every container gets.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodSpec, ValidPod } from '../../../src/apis/core/types.js';
import { podNetworkMounts, writePodHostsFile, writePodResolvConf } from '../../../src/runtime/pod-network-files.js';
import { mkPod } from '../status/helpers.js';

const CONFIG = { kernelHostname: 'web', hostname: 'web', hostDomain: '', resolvConf: 'nameserver 10.0.0.2\n' };

function pod(spec: Partial<PodSpec> = {}, uid = 'uid-1'): ValidPod {
  const p = mkPod();
  return { ...p, metadata: { ...p.metadata, uid }, spec: { ...p.spec, ...spec } };
}

function setup(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'pod-net-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('pod network files', () => {
  test('written 0644 beside the termination logs and bound at /etc/hosts and /etc/resolv.conf', (t) => {
    const dir = setup(t);
    const p = pod();
    writePodResolvConf(dir, p, CONFIG);
    writePodHostsFile(dir, p, CONFIG, '10.244.0.9');
    const hosts = join(dir, 'containers', 'uid-1', 'etc-hosts');
    assert.match(readFileSync(hosts, 'utf8'), /\n10\.244\.0\.9\tweb\n$/);
    assert.equal(statSync(hosts).mode & 0o777, 0o644);
    assert.equal(readFileSync(join(dir, 'containers', 'uid-1', 'resolv.conf'), 'utf8'), 'nameserver 10.0.0.2\n');
    assert.deepEqual(
      podNetworkMounts(dir, p, []).map((m) => [m.Source, m.Target]),
      [
        [hosts, '/etc/hosts'],
        [join(dir, 'containers', 'uid-1', 'resolv.conf'), '/etc/resolv.conf'],
      ],
    );
  });

  test("a container's own mount at /etc/hosts wins; no pod IP means no managed hosts file", (t) => {
    const dir = setup(t);
    const p = pod();
    writePodResolvConf(dir, p, CONFIG);
    writePodHostsFile(dir, p, CONFIG, undefined);
    assert.deepEqual(
      podNetworkMounts(dir, p, [{ Type: 'bind', Source: '/x', Target: '/etc/resolv.conf', ReadOnly: true }]),
      [],
    );
  });

  test("hostNetwork: the node's hosts file under the host-network header", (t) => {
    const dir = setup(t);
    const nodeHosts = join(dir, 'node-hosts');
    writeFileSync(nodeHosts, '127.0.0.1 localhost\n');
    writePodHostsFile(dir, pod({ hostNetwork: true }), CONFIG, undefined, nodeHosts);
    assert.equal(
      readFileSync(join(dir, 'containers', 'uid-1', 'etc-hosts'), 'utf8'),
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n',
    );
  });

  test('a pod UID that would leave the root dir is refused', (t) => {
    const dir = setup(t);
    assert.throws(() => writePodResolvConf(dir, pod({}, '..'), CONFIG), /unsafe path component/);
    assert.throws(() => writePodHostsFile(dir, pod({}, '..'), CONFIG, '10.0.0.1'), /unsafe path component/);
  });
});
