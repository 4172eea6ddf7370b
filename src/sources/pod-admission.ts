// Kubelet admission of a pod the node has been given (pkg/kubelet/lifecycle/predicate.go
// Admit, generalFilter; kubelet.go rejectPod): the pod-count limit, the sysctl allowlist
// (pkg/kubelet/sysctl/allowlist.go) and AppArmor (pkg/kubelet/lifecycle/handlers.go
// appArmorAdmitHandler). A refused pod is not run; it stays visible, Failed with the
// handler's reason, and a Warning event says why. Before them, the scheduler's filters
// (src/scheduling), since this node plays the scheduler too: a pod that does not fit stays
// Pending (Unschedulable) until something changes. No container is created for a pod
// refused either way.
import { readFileSync } from 'node:fs';
import type { PodStatus, ValidPod } from '../apis/core/types.js';
import { sysctlRefusal } from '../container/security-context.js';
import { podQOSClass } from '../status/qos.js';

export interface Refusal {
  reason: string;
  message: string;
}

/**
 * The pod-count predicate: `used` active pods (admitted, not terminal) and one more
 * requested. Message as schedulerframework InsufficientResource renders it.
 */
export function podCountRefusal(used: number, capacity: number): Refusal | undefined {
  if (used + 1 <= capacity) return undefined;
  return {
    reason: 'OutOfpods',
    message: `Node didn't have enough resource: pods, requested: 1, used: ${used}, capacity: ${capacity}`,
  };
}

/** The status rejectPod publishes: Failed, the predicate's reason, `Pod was rejected: <message>`. */
export function rejectedStatus(pod: ValidPod, refusal: Refusal): PodStatus {
  return {
    phase: 'Failed',
    reason: refusal.reason,
    message: `Pod was rejected: ${refusal.message}`,
    qosClass: podQOSClass(pod),
  };
}

/** patternAllowlist.Admit: the first sysctl outside the safe set and --allowed-unsafe-sysctls. */
export function sysctlAdmitRefusal(pod: ValidPod, allowedUnsafe: readonly string[]): Refusal | undefined {
  for (const s of pod.spec.securityContext?.sysctls ?? []) {
    const why = sysctlRefusal(s.name, pod, allowedUnsafe);
    if (why) return { reason: 'SysctlForbidden', message: `forbidden sysctl: ${why}` };
  }
  return undefined;
}

/** apparmor.IsEnabled: the module is loaded and enabled on this host. */
export function hostAppArmorEnabled(): boolean {
  try {
    return readFileSync('/sys/module/apparmor/parameters/enabled', 'utf8').startsWith('Y');
  } catch {
    return false;
  }
}

/** validator.isRequired: a profile other than Unconfined on the pod or any container. */
function appArmorRequired(pod: ValidPod): boolean {
  const confined = (t: string | undefined) => t !== undefined && t !== 'Unconfined';
  if (confined(pod.spec.securityContext?.appArmorProfile?.type)) return true;
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  return all.some((c) => confined(c.securityContext?.appArmorProfile?.type));
}

/** The AppArmor admit handler: a confined pod on a host without AppArmor is refused. */
export function appArmorAdmitRefusal(pod: ValidPod, enabled: boolean): Refusal | undefined {
  if (enabled || !appArmorRequired(pod)) return undefined;
  return { reason: 'AppArmor', message: 'Cannot enforce AppArmor: AppArmor is not enabled on the host' };
}

/**
 * predicate.go: Strict supplementalGroupsPolicy needs a runtime that can leave the image's
 * /etc/group out; Docker always merges it, so the node refuses the pod as a kubelet whose
 * runtime lacks the feature does.
 */
export function supplementalGroupsPolicyRefusal(pod: ValidPod): Refusal | undefined {
  const policy = pod.spec.securityContext?.supplementalGroupsPolicy;
  if (policy !== 'Strict') return undefined;
  return {
    reason: 'SupplementalGroupsPolicyNotSupported',
    message: `SupplementalGroupsPolicy=${policy} is not supported in this node`,
  };
}

/** What the scheduler reports for a pod no node fits (PodScheduled=False, reason Unschedulable). */
export const UNSCHEDULABLE = 'Unschedulable';

/** A pod the scheduler could not place: Pending, PodScheduled=False with its message. */
export function unschedulableStatus(pod: ValidPod, refusal: Refusal, now: string): PodStatus {
  return {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: refusal.reason,
        message: refusal.message,
        lastProbeTime: null,
        lastTransitionTime: now,
      },
    ],
    qosClass: podQOSClass(pod),
  };
}
