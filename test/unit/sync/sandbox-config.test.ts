// generatePodSandboxConfig's hostname, domain and DNS (GeneratePodHostNameAndDomain, GetNodenameForKernel, GetPodDNS).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodSpec, ValidPod } from '../../../src/apis/core/types.js';
import { EventRecorder } from '../../../src/events/recorder.js';
import { kernelHostname, sandboxConfig } from '../../../src/sync/sandbox-config.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { mkPod } from '../status/helpers.js';

function pod(spec: Partial<PodSpec>): ValidPod {
  const p = mkPod();
  return { ...p, spec: { ...p.spec, ...spec } };
}

describe('sandboxConfig', () => {
  test('subdomain and setHostnameAsFQDN: the kernel hostname is the FQDN; MissingClusterDNS on pod and node', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-config-'));
    t.after(() => rmSync(dir, { recursive: true }));
    const resolvConf = join(dir, 'resolv.conf');
    writeFileSync(resolvConf, 'nameserver 10.0.0.2\n');
    const events = new EventRecorder({ clock: new FakeClock(), nodeName: 'node-a', nextResourceVersion: () => '1' });
    const p = pod({ hostname: 'h', subdomain: 'sub', setHostnameAsFQDN: true });
    const c = sandboxConfig({ events }, { resolvConf, clusterDomain: 'cluster.local', nodeEvents: events }, p);
    assert.deepEqual(c, {
      kernelHostname: 'h.sub.default.svc.cluster.local',
      hostname: 'h',
      hostDomain: 'sub.default.svc.cluster.local',
      resolvConf: 'nameserver 10.0.0.2\n',
    });
    const msg =
      'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.';
    assert.deepEqual(
      events.list().map((e) => [e.involvedObject.kind, e.reason, e.message]),
      [
        ['Node', 'MissingClusterDNS', msg],
        ['Pod', 'MissingClusterDNS', `pod: "web_default(uid-1)". ${msg}`],
      ],
    );
  });
});

describe('kernelHostname', () => {
  test('no domain or no setHostnameAsFQDN: the short name', () => {
    assert.equal(kernelHostname('h', '', true), 'h');
    assert.equal(kernelHostname('h', 'sub.ns.svc.cluster.local', false), 'h');
  });
  test('an FQDN over 64 characters fails the sandbox with the kubelet message', () => {
    const domain = `${'s'.repeat(40)}.ns.svc.cluster.local`;
    assert.throws(
      () => kernelHostname('host', domain, true),
      /^Error: failed to construct FQDN from pod hostname and cluster domain, FQDN host\.s+\.ns\.svc\.cluster\.local is too long \(64 characters is the max, 66 characters requested\)$/,
    );
  });
});
