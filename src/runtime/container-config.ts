// CreateContainer's Docker config, built without touching the engine (unit-tested).
// cri-dockerd: core/container_create.go + security_context.go.
import type { Container, ValidPod } from '../apis/core/types.js';
import type { ContainerCreateOptions } from './docker-client.js';
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

/** `uid[:gid]` from the container's securityContext, falling back to the pod's. */
function user(c: Container, pod: ValidPod): string | undefined {
  const podSc = pod.spec.securityContext ?? {};
  const uid = c.securityContext?.runAsUser ?? (typeof podSc.runAsUser === 'number' ? podSc.runAsUser : undefined);
  const gid = c.securityContext?.runAsGroup ?? (typeof podSc.runAsGroup === 'number' ? podSc.runAsGroup : undefined);
  if (uid === undefined) return undefined; // Docker's User needs a user; a lone group keeps the image user.
  return gid === undefined ? String(uid) : `${uid}:${gid}`;
}

function security(c: Container): Record<string, unknown> {
  const sc = c.securityContext;
  if (!sc) return {};
  const out: Record<string, unknown> = {};
  if (sc.privileged) out.Privileged = true;
  if (sc.readOnlyRootFilesystem) out.ReadonlyRootfs = true;
  if (sc.capabilities?.add?.length) out.CapAdd = sc.capabilities.add;
  if (sc.capabilities?.drop?.length) out.CapDrop = sc.capabilities.drop;
  if (sc.allowPrivilegeEscalation === false) out.SecurityOpt = ['no-new-privileges'];
  return out;
}

export interface BuildInput {
  req: CreateContainerRequest;
  agentId: string;
  name: string;
  /** Every volume, subPath and file mount: Mounts, never Binds strings (no `:` re-parsing). */
  mounts: DockerMount[];
}

export function containerCreateOptions({ req, agentId, name, mounts }: BuildInput): ContainerCreateOptions {
  const c = req.container;
  const join = `container:${req.sandboxId}`;
  const u = user(c, req.pod);
  const pidMode = req.pod.spec.shareProcessNamespace ? join : req.pod.spec.hostPID ? 'host' : undefined;
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
      Mounts: mounts,
      RestartPolicy: { Name: 'no' },
      LogConfig: LOG_CONFIG,
      ...resources(c),
      ...security(c),
    },
  };
}
