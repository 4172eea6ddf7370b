// securityContext validation messages as the API server's (ValidatePodSecurityContext, ValidateSecurityContext).
import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { applyPodDefaults } from '../../../../src/apis/core/defaults.js';
import { validatePod } from '../../../../src/apis/core/validate.js';
import type { Pod } from '../../../../src/apis/core/types.js';
import { messages, rawPod } from './helpers.js';

const check = (raw: Record<string, unknown>) => messages(validatePod(applyPodDefaults(raw as unknown as Pod)));
const podSc = (sc: Record<string, unknown>) => check(rawPod({ securityContext: sc }));
const ctrSc = (sc: Record<string, unknown>) =>
  check(rawPod({ containers: [{ name: 'app', image: 'busybox:1.36', securityContext: sc }] }));
const RANGE = 'must be between 0 and 2147483647, inclusive';

describe('securityContext validation', () => {
  test('a full valid securityContext passes', () => {
    assert.deepEqual(
      podSc({
        runAsUser: 1000,
        runAsGroup: 3000,
        runAsNonRoot: true,
        fsGroup: 2000,
        fsGroupChangePolicy: 'OnRootMismatch',
        supplementalGroups: [4000],
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
        seccompProfile: { type: 'RuntimeDefault' },
      }),
      [],
    );
    assert.deepEqual(
      ctrSc({
        capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
        allowPrivilegeEscalation: false,
        procMount: 'Default',
      }),
      [],
    );
  });

  test('ids are in range', () => {
    assert.deepEqual(podSc({ runAsUser: -1, fsGroup: 2 ** 31, supplementalGroups: [-5] }), [
      `spec.securityContext.runAsUser: Invalid value: -1: ${RANGE}`,
      `spec.securityContext.fsGroup: Invalid value: 2147483648: ${RANGE}`,
      `spec.securityContext.supplementalGroups[0]: Invalid value: -5: ${RANGE}`,
    ]);
    assert.deepEqual(ctrSc({ runAsGroup: -2 }), [
      `spec.containers[0].securityContext.runAsGroup: Invalid value: -2: ${RANGE}`,
    ]);
  });

  test('privileged with allowPrivilegeEscalation false is invalid', () => {
    const [msg] = ctrSc({ privileged: true, allowPrivilegeEscalation: false });
    assert.match(
      msg!,
      /^spec\.containers\[0\]\.securityContext: Invalid value: .*: cannot set `allowPrivilegeEscalation` to false and `privileged` to true$/,
    );
  });

  test('seccomp and AppArmor profiles: Localhost needs a profile, others forbid one', () => {
    assert.deepEqual(podSc({ seccompProfile: { type: 'Localhost' } }), [
      'spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
    ]);
    assert.deepEqual(ctrSc({ appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'x' } }), [
      'spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: "x": can only be set when AppArmor type is Localhost',
    ]);
    assert.deepEqual(podSc({ seccompProfile: { type: 'Other' } }), [
      'spec.securityContext.seccompProfile.type: Unsupported value: "Other": supported values: "Localhost", "RuntimeDefault", "Unconfined"',
    ]);
    assert.deepEqual(podSc({ seccompProfile: { type: 'Localhost', localhostProfile: '../x.json' } }), [
      `spec.securityContext.seccompProfile.localhostProfile: Invalid value: "../x.json": must not contain '..'`,
    ]);
  });

  test('procMount Unmasked needs user namespaces, which are not run', () => {
    assert.deepEqual(ctrSc({ procMount: 'Unmasked' }), [
      'spec.containers[0].securityContext.procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`',
    ]);
  });

  test('windowsOptions are refused on this Linux node', () => {
    assert.deepEqual(podSc({ windowsOptions: { runAsUserName: 'x' } }), [
      'spec.securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod',
    ]);
  });

  test('sysctl names, duplicates and fsGroupChangePolicy', () => {
    assert.deepEqual(
      podSc({
        fsGroupChangePolicy: 'Sometimes',
        seLinuxChangePolicy: 'Never',
        sysctls: [
          { name: 'Bad Name', value: '1' },
          { name: 'net.a', value: '1' },
          { name: 'net.a', value: '2' },
        ],
      }),
      [
        'spec.securityContext.fsGroupChangePolicy: Unsupported value: "Sometimes": supported values: "OnRootMismatch", "Always"',
        'spec.securityContext.seLinuxChangePolicy: Unsupported value: "Never": supported values: "MountOption", "Recursive"',
        'spec.securityContext.sysctls[0].name: Invalid value: "Bad Name": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
        'spec.securityContext.sysctls[2].name: Duplicate value: "net.a"',
      ],
    );
  });
});
