// The kubelet-side securityContext helpers: runAsNonRoot, image users, sysctl admission.
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import {
  normalizeSysctl,
  parseImageUser,
  runAsNonRootViolation,
  sysctlRefusal,
} from '../../../src/container/security-context.js';
import {
  appArmorAdmitRefusal,
  supplementalGroupsPolicyRefusal,
  sysctlAdmitRefusal,
} from '../../../src/sources/pod-admission.js';
import { parseUnsafeSysctls } from '../../../src/cli/agent-options.js';
import { pod } from '../../fixtures/pods.js';

describe('verifyRunAsNonRoot', () => {
  const p = pod({ name: 'web' });
  p.metadata.uid = 'u1';
  p.spec.securityContext = { runAsNonRoot: true };
  const c = p.spec.containers[0]!;
  const where = `(pod: "web_${p.metadata.namespace}(u1)", container: ${c.name})`;

  test('image users parse as the runtime does', () => {
    assert.deepEqual(['', '0', '1000:1000', 'nobody', 'nobody:users'].map(parseImageUser), [
      { uid: 0 },
      { uid: 0 },
      { uid: 1000 },
      { name: 'nobody' },
      { name: 'nobody' },
    ]);
  });

  test('a root image user is refused with the kubelet message', () => {
    assert.equal(
      runAsNonRootViolation(p, c, { uid: 0 }),
      `container has runAsNonRoot and image will run as root ${where}`,
    );
  });

  test('a non-numeric image user cannot be verified', () => {
    assert.equal(
      runAsNonRootViolation(p, c, { name: 'nobody' }),
      `container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root ${where}`,
    );
  });

  test('runAsUser decides when set; a non-root image user passes', () => {
    assert.equal(runAsNonRootViolation(p, { ...c, securityContext: { runAsUser: 1000 } }, { uid: 0 }), undefined);
    assert.equal(
      runAsNonRootViolation(p, { ...c, securityContext: { runAsUser: 0 } }, { uid: 5 }),
      `container's runAsUser breaks non-root policy ${where}`,
    );
    assert.equal(runAsNonRootViolation(p, c, { uid: 65534 }), undefined);
    assert.equal(runAsNonRootViolation(p, { ...c, securityContext: { runAsNonRoot: false } }, { uid: 0 }), undefined);
  });
});

describe('sysctl admission', () => {
  const withSysctls = (names: string[], host: { hostNetwork?: boolean } = {}) => {
    const p = pod();
    p.spec.securityContext = { sysctls: names.map((name) => ({ name, value: '1' })) };
    Object.assign(p.spec, host);
    return p;
  };

  test('the safe set is allowed, others forbidden unless allowlisted', () => {
    assert.equal(sysctlAdmitRefusal(withSysctls(['net.ipv4.ip_unprivileged_port_start']), []), undefined);
    assert.deepEqual(sysctlAdmitRefusal(withSysctls(['net.core.somaxconn']), []), {
      reason: 'SysctlForbidden',
      message: 'forbidden sysctl: "net.core.somaxconn" not allowlisted',
    });
    assert.equal(sysctlAdmitRefusal(withSysctls(['net.core.somaxconn']), ['net.core.*']), undefined);
    assert.equal(sysctlAdmitRefusal(withSysctls(['net.core.somaxconn']), ['net.core.somaxconn']), undefined);
  });

  test('net sysctls with hostNetwork are refused', () => {
    assert.equal(
      sysctlRefusal('net.ipv4.tcp_syncookies', withSysctls([], { hostNetwork: true }), []),
      '"net.ipv4.tcp_syncookies" not allowed with host net enabled',
    );
  });

  test("'/' separators normalise", () => {
    assert.equal(normalizeSysctl('net/ipv4/conf/eno2.100/rp_filter'), 'net.ipv4.conf.eno2/100.rp_filter');
    assert.equal(normalizeSysctl('net.ipv4.tcp_syncookies'), 'net.ipv4.tcp_syncookies');
  });

  test('--allowed-unsafe-sysctls takes only namespaced sysctls', () => {
    assert.deepEqual(parseUnsafeSysctls('net.core.somaxconn, kernel.msg*'), ['net.core.somaxconn', 'kernel.msg*']);
    assert.throws(() => parseUnsafeSysctls('vm.swappiness'), /"vm.swappiness" is not known to be namespaced/);
  });
});

describe('AppArmor admission', () => {
  test('a confined pod on a host without AppArmor is refused; Unconfined is not', () => {
    const p = pod();
    p.spec.containers[0]!.securityContext = { appArmorProfile: { type: 'RuntimeDefault' } };
    assert.deepEqual(appArmorAdmitRefusal(p, false), {
      reason: 'AppArmor',
      message: 'Cannot enforce AppArmor: AppArmor is not enabled on the host',
    });
    assert.equal(appArmorAdmitRefusal(p, true), undefined);
    p.spec.containers[0]!.securityContext = { appArmorProfile: { type: 'Unconfined' } };
    assert.equal(appArmorAdmitRefusal(p, false), undefined);
  });
});

describe('supplementalGroupsPolicy admission', () => {
  test('Strict is refused (Docker always merges the image groups); Merge runs', () => {
    const p = pod();
    p.spec.securityContext = { supplementalGroupsPolicy: 'Strict' };
    assert.deepEqual(supplementalGroupsPolicyRefusal(p), {
      reason: 'SupplementalGroupsPolicyNotSupported',
      message: 'SupplementalGroupsPolicy=Strict is not supported in this node',
    });
    p.spec.securityContext = { supplementalGroupsPolicy: 'Merge' };
    assert.equal(supplementalGroupsPolicyRefusal(p), undefined);
  });
});
