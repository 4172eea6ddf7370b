// CreateContainer's Docker config, built without touching the engine (unit-tested).
// cri-dockerd: core/container_create.go + security_context.go.
import type { Container, SecurityContext } from '../apis/core/types.js';
import {
  effectiveSecurityContext,
  type ImageUser,
  processUser,
  supplementalGroups,
} from '../container/security-context.js';
import { type ContainerCreateOptions, engineMounts } from './docker-client.js';
import { containerLabels } from './labels.js';
import { cpuShares, memoryBytes, nanoCpus } from './quantity.js';
import type { CreateContainerRequest } from './runtime.js';
import type { DockerMount } from './volumes.js';

/** json-file so `docker logs` (and logs --previous) work; rotation like the kubelet's 10 Mi default. */
export const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '5' } };

function resources(c: Container): Record<string, number> {
  const out: Record<string, number> = {};
  const lim = c.resources?.limits ?? {};
  const req = c.resources?.requests ?? {};
  if (lim.memory !== undefined) {
    out.Memory = memoryBytes(lim.memory);
    // No swap beyond the limit, so the limit really OOM-kills (the kubelet does the same).
    out.MemorySwap = out.Memory;
  }
  if (lim.cpu !== undefined) out.NanoCpus = nanoCpus(lim.cpu);
  const cpuReq = req.cpu ?? lim.cpu;
  if (cpuReq !== undefined) out.CpuShares = cpuShares(cpuReq);
  return out;
}

/** Docker takes `CAP_X` or `X`; one spelling here (`ALL` stays as is). */
export function capabilityName(cap: string): string {
  const up = cap.toUpperCase();
  return up === 'ALL' || up.startsWith('CAP_') ? up : `CAP_${up}`;
}

/**
 * seccomp as cri-dockerd getSeccompDockerOpts: unset or Unconfined → unconfined (the
 * kubelet's default without --seccomp-default), RuntimeDefault → the engine's default
 * profile, Localhost → the profile's JSON, read by the caller.
 */
function seccompOpt(sc: SecurityContext, localhostJson: string | undefined): string | undefined {
  const type = sc.seccompProfile?.type;
  if (type === 'RuntimeDefault') return undefined;
  if (type === 'Localhost' && localhostJson !== undefined) return `seccomp=${localhostJson}`;
  return 'seccomp=unconfined';
}

/** AppArmor as cri-dockerd getAppArmorOpts: unset and RuntimeDefault leave the engine's default. */
function appArmorOpt(sc: SecurityContext): string | undefined {
  const p = sc.appArmorProfile;
  if (p?.type === 'Unconfined') return 'apparmor=unconfined';
  if (p?.type === 'Localhost' && p.localhostProfile) return `apparmor=${p.localhostProfile}`;
  return undefined;
}

/** seLinuxOptions → `label=…` (only on SELinux hosts; elsewhere the engine has nothing to label). */
function seLinuxOpts(sc: SecurityContext, seLinuxEnabled: boolean): string[] {
  const o = sc.seLinuxOptions;
  if (!o || !seLinuxEnabled) return [];
  const parts = [
    ['user', o.user],
    ['role', o.role],
    ['type', o.type],
    ['level', o.level],
  ] as const;
  return parts.filter(([, v]) => v).map(([k, v]) => `label=${k}:${v}`);
}

function security(sc: SecurityContext, groups: number[], host: SecurityHost): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (sc.privileged) out.Privileged = true;
  if (sc.readOnlyRootFilesystem) out.ReadonlyRootfs = true;
  if (sc.capabilities?.add?.length) out.CapAdd = sc.capabilities.add.map(capabilityName);
  if (sc.capabilities?.drop?.length) out.CapDrop = sc.capabilities.drop.map(capabilityName);
  if (groups.length) out.GroupAdd = groups.map(String);
  const opts: string[] = [];
  // kuberuntime AddNoNewPrivileges: only when asked and not privileged.
  if (sc.allowPrivilegeEscalation === false && !sc.privileged) opts.push('no-new-privileges');
  const seccomp = seccompOpt(sc, host.seccompJson);
  if (seccomp) opts.push(seccomp);
  const apparmor = appArmorOpt(sc);
  if (apparmor) opts.push(apparmor);
  opts.push(...seLinuxOpts(sc, host.seLinuxEnabled === true));
  if (opts.length) out.SecurityOpt = opts;
  return out;
}

/** What the host adds to the securityContext: the image's user, a Localhost seccomp profile, SELinux. */
export interface SecurityHost {
  imageUser: ImageUser;
  /** The Localhost seccomp profile's JSON (read from the profile root). */
  seccompJson?: string;
  seLinuxEnabled?: boolean;
}

export interface BuildInput {
  req: CreateContainerRequest;
  agentId: string;
  name: string;
  /** Every volume, subPath and file mount: Mounts, never Binds strings (no `:` re-parsing). */
  mounts: DockerMount[];
  /** Defaults to a root image user with no seccomp profile file and no SELinux. */
  host?: SecurityHost;
}

export function containerCreateOptions({ req, agentId, name, mounts, host }: BuildInput): ContainerCreateOptions {
  const c = req.container;
  const join = `container:${req.sandboxId}`;
  const h = host ?? { imageUser: { uid: 0 } };
  const sc = effectiveSecurityContext(req.pod, c);
  const u = processUser(req.pod, c, h.imageUser);
  const pidMode = req.pidTargetId
    ? `container:${req.pidTargetId}`
    : req.pod.spec.shareProcessNamespace
      ? join
      : req.pod.spec.hostPID
        ? 'host'
        : undefined;
  return {
    name,
    Image: c.image,
    // command → Entrypoint, args → Cmd. A non-empty Entrypoint makes the engine drop
    // the image's CMD, which is the Kubernetes rule for "command set, args unset".
    ...(req.command ? { Entrypoint: req.command } : {}),
    ...(req.args ? { Cmd: req.args } : {}),
    Env: req.env,
    ...(c.workingDir ? { WorkingDir: c.workingDir } : {}),
    ...(u ? { User: u } : {}),
    Tty: c.tty === true,
    OpenStdin: c.stdin === true,
    StdinOnce: c.stdinOnce === true,
    // No ExposedPorts: Docker refuses them with a container network mode ("conflicting
    // options: port exposing and the container type network mode"). Ports are in the
    // labels, and hostPorts are published by the sandbox, which owns the netns.
    ...(c.lifecycle?.stopSignal ? { StopSignal: c.lifecycle.stopSignal } : {}),
    Labels: containerLabels({
      pod: req.pod,
      container: c,
      type: req.type,
      sandboxId: req.sandboxId,
      restartCount: req.restartCount,
      agentId,
    }),
    // No Hostname: Docker refuses it with a container network mode; UTS comes from the sandbox.
    HostConfig: {
      NetworkMode: join,
      IpcMode: join,
      ...(pidMode ? { PidMode: pidMode } : {}),
      Mounts: engineMounts(mounts),
      RestartPolicy: { Name: 'no' },
      LogConfig: LOG_CONFIG,
      ...resources(c),
      ...security(sc, supplementalGroups(req.pod), h),
    },
  };
}
