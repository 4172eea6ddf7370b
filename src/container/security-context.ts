// The kubelet's view of a container's security settings: the pod's securityContext
// merged with the container's (pkg/securitycontext/util.go DetermineEffectiveSecurityContext),
// the groups it runs with (kuberuntime/security_context.go determineEffectiveSecurityContext)
// and the runAsNonRoot check (kuberuntime/security_context_others.go verifyRunAsNonRoot).
import type { Container, Pod, SecurityContext } from '../apis/core/types.js';

/** The container's securityContext with the pod's filling what it leaves unset. */
export function effectiveSecurityContext(pod: Pod, c: Container): SecurityContext {
  const p = pod.spec.securityContext ?? {};
  const out: SecurityContext = { ...(c.securityContext ?? {}) };
  if (out.runAsUser === undefined && p.runAsUser !== undefined) out.runAsUser = p.runAsUser;
  if (out.runAsGroup === undefined && p.runAsGroup !== undefined) out.runAsGroup = p.runAsGroup;
  if (out.runAsNonRoot === undefined && p.runAsNonRoot !== undefined) out.runAsNonRoot = p.runAsNonRoot;
  if (out.seccompProfile === undefined && p.seccompProfile) out.seccompProfile = p.seccompProfile;
  if (out.appArmorProfile === undefined && p.appArmorProfile) out.appArmorProfile = p.appArmorProfile;
  if (out.seLinuxOptions === undefined && p.seLinuxOptions) out.seLinuxOptions = p.seLinuxOptions;
  return out;
}

/** supplementalGroups then fsGroup, as the kubelet hands them to the runtime. */
export function supplementalGroups(pod: Pod): number[] {
  const p = pod.spec.securityContext ?? {};
  const groups = [...(p.supplementalGroups ?? [])];
  if (p.fsGroup !== undefined && !groups.includes(p.fsGroup)) groups.push(p.fsGroup);
  return groups;
}

/** The image's configured user: a uid when numeric, else a name (getImageUser; "" is root). */
export interface ImageUser {
  uid?: number;
  name?: string;
}

/** `user[:group]` from an image's Config.User (cri-dockerd getUserFromImageUser). */
export function parseImageUser(user: string | undefined): ImageUser {
  const u = (user ?? '').split(':')[0] ?? '';
  if (u === '') return { uid: 0 };
  return /^\d+$/.test(u) ? { uid: Number(u) } : { name: u };
}

/** format.Pod: `name_namespace(uid)`. */
function podDesc(pod: Pod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** verifyRunAsNonRoot: the error message, or undefined when the container may run. */
export function runAsNonRootViolation(pod: Pod, c: Container, image: ImageUser): string | undefined {
  const sc = effectiveSecurityContext(pod, c);
  if (sc.runAsNonRoot !== true) return undefined;
  const where = `(pod: "${podDesc(pod)}", container: ${c.name})`;
  if (sc.runAsUser !== undefined) {
    return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  if (image.uid === 0) return `container has runAsNonRoot and image will run as root ${where}`;
  if (image.uid === undefined && image.name) {
    return `container has runAsNonRoot and image has non-numeric user (${image.name}), cannot verify user is non-root ${where}`;
  }
  return undefined;
}

/** The process user as the engine wants it: `uid[:gid]`, the image's user standing in for a missing uid. */
export function processUser(pod: Pod, c: Container, image: ImageUser): string | undefined {
  const sc = effectiveSecurityContext(pod, c);
  const user = sc.runAsUser !== undefined ? String(sc.runAsUser) : undefined;
  if (sc.runAsGroup === undefined) return user;
  return `${user ?? image.name ?? String(image.uid ?? 0)}:${sc.runAsGroup}`;
}

/**
 * The safe sysctl set the kubelet always allows (pkg/kubelet/sysctl/safe_sysctls.go
 * SafeSysctlAllowlist); others need --allowed-unsafe-sysctls.
 */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];

/** `a/b/c` is another spelling of `a.b.c` (sysctl.NormalizeName). */
export function normalizeSysctl(name: string): string {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === '.') return name;
  return name.replace(/[./]/g, (ch) => (ch === '/' ? '.' : '/'));
}

/** Namespaced sysctls (sysctl/namespace.go): only these may be allowed as unsafe. */
export function sysctlNamespace(name: string): 'ipc' | 'net' | undefined {
  if (name.startsWith('net.')) return 'net';
  if (/^kernel\.(shm|msg|sem$)/.test(name) || name.startsWith('fs.mqueue.')) return 'ipc';
  return undefined;
}

/** One allowlist entry: exact, or a `prefix*` pattern (sysctl/allowlist.go). */
function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/**
 * The kubelet's sysctl admission (pkg/kubelet/sysctl/allowlist.go validateSysctl):
 * the reason a sysctl is refused, or undefined when it is allowed.
 */
export function sysctlRefusal(rawName: string, pod: Pod, allowedUnsafe: readonly string[]): string | undefined {
  const name = normalizeSysctl(rawName);
  const allowed = SAFE_SYSCTLS.includes(name) || allowedUnsafe.some((p) => matches(p, name));
  if (!allowed) return `"${name}" not allowlisted`;
  const ns = sysctlNamespace(name);
  if (ns === 'net' && pod.spec.hostNetwork) return `"${name}" not allowed with host net enabled`;
  if (ns === 'ipc' && pod.spec.hostIPC) return `"${name}" not allowed with host ipc enabled`;
  return undefined;
}
