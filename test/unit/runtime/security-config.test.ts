// securityContext → Docker create options (cri-dockerd security_context.go, sandbox Sysctls).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { capabilityName, containerCreateOptions, type SecurityHost } from '../../../src/runtime/container-config.js';
import { sandboxCreateOptions } from '../../../src/runtime/sandbox.js';
import type { CreateContainerRequest } from '../../../src/runtime/runtime.js';
import type { Container, PodSecurityContext } from '../../../src/apis/core/types.js';
import { pod } from '../../fixtures/pods.js';

function build(c: Partial<Container>, podSc: PodSecurityContext = {}, host?: SecurityHost) {
  const p = pod();
  p.spec.securityContext = podSc;
  const req: CreateContainerRequest = {
    pod: p,
    container: { ...p.spec.containers[0]!, ...c },
    type: 'container',
    sandboxId: 'sb',
    restartCount: 0,
    env: [],
  };
  return containerCreateOptions({ req, agentId: 'ag', name: 'n', mounts: [], ...(host ? { host } : {}) });
}

describe('securityContext mapping', () => {
  test('capability names with or without CAP_ become one spelling; ALL stays', () => {
    assert.deepEqual(['net_raw', 'CAP_SYS_TIME', 'ALL', 'all'].map(capabilityName), [
      'CAP_NET_RAW',
      'CAP_SYS_TIME',
      'ALL',
      'ALL',
    ]);
  });

  test("the pod's runAsUser/runAsGroup apply unless the container sets its own", () => {
    assert.equal(build({}, { runAsUser: 1000, runAsGroup: 3000 }).User, '1000:3000');
    assert.equal(build({ securityContext: { runAsUser: 5 } }, { runAsUser: 1000 }).User, '5');
    assert.equal(build({}, {}).User, undefined);
  });

  test("a lone runAsGroup keeps the image's user (uid or name, root when unset)", () => {
    assert.equal(build({}, { runAsGroup: 7 }, { imageUser: { name: 'nobody' } }).User, 'nobody:7');
    assert.equal(build({}, { runAsGroup: 7 }, { imageUser: { uid: 0 } }).User, '0:7');
  });

  test('supplementalGroups then fsGroup go to GroupAdd', () => {
    const h = build({}, { supplementalGroups: [4000, 5000], fsGroup: 2000 }).HostConfig!;
    assert.deepEqual(h.GroupAdd, ['4000', '5000', '2000']);
    assert.equal(build({}, {}).HostConfig!.GroupAdd, undefined);
  });

  test('seccomp: unset and Unconfined are unconfined, RuntimeDefault the engine default, Localhost the JSON', () => {
    const opt = (c: Partial<Container>, psc: PodSecurityContext = {}, host?: SecurityHost) =>
      build(c, psc, host).HostConfig!.SecurityOpt;
    assert.deepEqual(opt({}), ['seccomp=unconfined']);
    assert.deepEqual(opt({ securityContext: { seccompProfile: { type: 'Unconfined' } } }), ['seccomp=unconfined']);
    assert.equal(opt({}, { seccompProfile: { type: 'RuntimeDefault' } }), undefined);
    const local = { type: 'Localhost', localhostProfile: 'p.json' };
    assert.deepEqual(
      opt({ securityContext: { seccompProfile: local } }, {}, { imageUser: {}, seccompJson: '{"a":1}' }),
      ['seccomp={"a":1}'],
    );
  });

  test('AppArmor, no-new-privileges and SELinux labels go to SecurityOpt', () => {
    const rd = { seccompProfile: { type: 'RuntimeDefault' } };
    const opt = (c: Partial<Container>, host?: SecurityHost) => build(c, rd, host).HostConfig!.SecurityOpt;
    assert.deepEqual(opt({ securityContext: { appArmorProfile: { type: 'Unconfined' } } }), ['apparmor=unconfined']);
    assert.deepEqual(opt({ securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'k8s-x' } } }), [
      'apparmor=k8s-x',
    ]);
    assert.equal(opt({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }), undefined);
    assert.deepEqual(opt({ securityContext: { allowPrivilegeEscalation: false } }), ['no-new-privileges']);
    const se = { securityContext: { seLinuxOptions: { type: 'spc_t', level: 's0:c1' } } };
    assert.equal(opt(se), undefined, 'no SELinux on the host: labels are ignored');
    assert.deepEqual(opt(se, { imageUser: {}, seLinuxEnabled: true }), ['label=type:spc_t', 'label=level:s0:c1']);
  });

  test('privileged, read-only root filesystem', () => {
    const h = build({ securityContext: { privileged: true, readOnlyRootFilesystem: true } }).HostConfig!;
    assert.deepEqual([h.Privileged, h.ReadonlyRootfs], [true, true]);
  });

  test("sysctls go on the sandbox, '/' spelling normalised", () => {
    const p = pod();
    p.spec.securityContext = {
      sysctls: [
        { name: 'net.ipv4.ip_unprivileged_port_start', value: '80' },
        { name: 'kernel/shm_rmid_forced', value: '1' },
      ],
    };
    const d = { docker: {} as never, agentId: 'ag', podNetwork: 'n', podInfraImage: 'pause' };
    assert.deepEqual(sandboxCreateOptions(d, p, 0).HostConfig!.Sysctls, {
      'net.ipv4.ip_unprivileged_port_start': '80',
      'kernel.shm_rmid_forced': '1',
    });
    p.spec.securityContext = {};
    assert.equal(sandboxCreateOptions(d, p, 0).HostConfig!.Sysctls, undefined);
  });
});
