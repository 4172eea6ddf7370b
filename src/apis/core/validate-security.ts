// securityContext validation as the API server's (pkg/apis/core/validation/validation.go
// ValidatePodSecurityContext, ValidateSecurityContext, validateSeccompProfileField,
// ValidateAppArmorProfileField, validateSysctls, validateWindows/validateLinux).

import type { FieldError } from '../../util/errors.js';
import { child, duplicate, forbidden, index, invalid, notSupported, required } from './field.js';
import type { Pod, PodSecurityContext, SecurityContext, SecurityProfile } from './types.js';
import { validateDescendingPath } from './validate-container.js';

const MAX_ID = 2147483647;
const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const FS_GROUP_POLICIES = ['OnRootMismatch', 'Always'];
const SUPPLEMENTAL_GROUPS_POLICIES = ['Merge', 'Strict'];
const PROC_MOUNTS = ['Default', 'Unmasked'];
const SELINUX_CHANGE_POLICIES = ['MountOption', 'Recursive'];
// k8s.io/component-helpers/node/util/sysctl: SysctlContainSlashFmt.
const SYSCTL_NAME = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const SYSCTL_MAX_LEN = 253;

/** validation.IsValidUserID / IsValidGroupID. */
function idErrors(path: string, id: number | undefined): FieldError[] {
  if (id === undefined || (id >= 0 && id <= MAX_ID)) return [];
  return [invalid(path, id, `must be between 0 and ${MAX_ID}, inclusive`)];
}

/** validateSeccompProfileField / ValidateAppArmorProfileField: Localhost needs a profile, others forbid one. */
function profileErrors(p: SecurityProfile | undefined, path: string, what: 'seccomp' | 'AppArmor'): FieldError[] {
  if (!p) return [];
  const errs: FieldError[] = [];
  const lp = child(path, 'localhostProfile');
  if (!p.type) errs.push(required(child(path, 'type')));
  else if (!PROFILE_TYPES.includes(p.type)) errs.push(notSupported(child(path, 'type'), p.type, PROFILE_TYPES));
  if (p.type === 'Localhost') {
    if (!p.localhostProfile) errs.push(required(lp, `must be set when ${what} type is Localhost`));
    else if (what === 'seccomp') errs.push(...validateDescendingPath(p.localhostProfile, lp));
  } else if (p.localhostProfile !== undefined) {
    errs.push(invalid(lp, p.localhostProfile, `can only be set when ${what} type is Localhost`));
  }
  return errs;
}

/** windowsOptions on this Linux node (validateLinux): refused whether or not spec.os says linux. */
function windowsErrors(w: unknown, path: string): FieldError[] {
  return w === undefined
    ? []
    : [forbidden(child(path, 'windowsOptions'), 'windows options cannot be set for a linux pod')];
}

function sysctlErrors(sysctls: PodSecurityContext['sysctls'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (sysctls ?? []).forEach((s, i) => {
    const np = child(index(path, i), 'name');
    if (!s.name) errs.push(required(np));
    else if (s.name.length > SYSCTL_MAX_LEN || !SYSCTL_NAME.test(s.name)) {
      errs.push(
        invalid(
          np,
          s.name,
          `must have at most ${SYSCTL_MAX_LEN} characters and match regex ${SYSCTL_NAME.source.replace('[./]', '[\\./]')}`,
        ),
      );
    } else if (seen.has(s.name)) errs.push(duplicate(np, s.name));
    seen.add(s.name);
  });
  return errs;
}

export function validatePodSecurityContext(pod: Pod): FieldError[] {
  const sc = pod.spec.securityContext;
  if (!sc) return [];
  const path = 'spec.securityContext';
  const errs: FieldError[] = [
    ...idErrors(child(path, 'runAsUser'), sc.runAsUser),
    ...idErrors(child(path, 'runAsGroup'), sc.runAsGroup),
    ...idErrors(child(path, 'fsGroup'), sc.fsGroup),
  ];
  (sc.supplementalGroups ?? []).forEach((g, i) => {
    errs.push(...idErrors(index(child(path, 'supplementalGroups'), i), g));
  });
  if (sc.fsGroupChangePolicy !== undefined && !FS_GROUP_POLICIES.includes(sc.fsGroupChangePolicy)) {
    errs.push(notSupported(child(path, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, FS_GROUP_POLICIES));
  }
  const sgp = sc.supplementalGroupsPolicy;
  if (sgp !== undefined && !SUPPLEMENTAL_GROUPS_POLICIES.includes(sgp)) {
    errs.push(notSupported(child(path, 'supplementalGroupsPolicy'), sgp, SUPPLEMENTAL_GROUPS_POLICIES));
  }
  const scp = sc.seLinuxChangePolicy;
  if (scp !== undefined && !SELINUX_CHANGE_POLICIES.includes(scp)) {
    errs.push(notSupported(child(path, 'seLinuxChangePolicy'), scp, SELINUX_CHANGE_POLICIES));
  }
  errs.push(...sysctlErrors(sc.sysctls, child(path, 'sysctls')));
  errs.push(...profileErrors(sc.seccompProfile, child(path, 'seccompProfile'), 'seccomp'));
  errs.push(...profileErrors(sc.appArmorProfile, child(path, 'appArmorProfile'), 'AppArmor'));
  errs.push(...windowsErrors(sc.windowsOptions, path));
  return errs;
}

/** ValidateSecurityContext for one container at `path` (its securityContext). */
export function validateSecurityContext(sc: SecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [
    ...idErrors(child(path, 'runAsUser'), sc.runAsUser),
    ...idErrors(child(path, 'runAsGroup'), sc.runAsGroup),
  ];
  if (sc.procMount !== undefined) {
    if (!PROC_MOUNTS.includes(sc.procMount))
      errs.push(notSupported(child(path, 'procMount'), sc.procMount, PROC_MOUNTS));
    // Pods here always use the host's user namespace (user namespaces are not run).
    else if (sc.procMount === 'Unmasked')
      errs.push(invalid(child(path, 'procMount'), sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) {
      errs.push(invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    if ((sc.capabilities?.add ?? []).includes('CAP_SYS_ADMIN')) {
      errs.push(
        invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'),
      );
    }
  }
  errs.push(...profileErrors(sc.seccompProfile, child(path, 'seccompProfile'), 'seccomp'));
  errs.push(...profileErrors(sc.appArmorProfile, child(path, 'appArmorProfile'), 'AppArmor'));
  errs.push(...windowsErrors(sc.windowsOptions, path));
  return errs;
}
