// CreateContainer / StartContainer / StopContainer / RemoveContainer for app and init
// containers, joined to their sandbox's namespaces (container-config.ts).
import type { Logger } from '../util/logger.js';
import { type DockerClient, engineMessage, isConflict, isEngineNotFound } from './docker-client.js';
import { containerCreateOptions } from './container-config.js';
import { applyFsGroup, securityHost } from './security-host.js';
import { errorMessage } from '../util/errors.js';
import { LABEL } from './labels.js';
import { containerName, randomizedName } from './naming.js';
import type { CreateContainerRequest } from './runtime.js';
import { ContainerConfigError } from '../container/errors.js';
import { containerMounts, type DockerMount } from './volumes.js';
import { prepareTerminationLog, terminationLogPath } from './termination-log.js';
import { podNetworkMounts } from './pod-network-files.js';

export interface ContainerDeps {
  docker: DockerClient;
  agentId: string;
  /** Host directory for per-instance files (termination logs); none = no termination log. */
  stateDir?: string;
  log?: Logger;
  seccompProfileRoot?: string;
  fsGroupDone?: Set<string>;
  /**
   * Whether the engine may lower oom_score_adj (learnt by the first sandbox): when it may
   * not (an unprivileged engine), a negative adjust (Guaranteed) is left out rather than
   * failing the container; raising it (Burstable, BestEffort) always works.
   */
  oomScoreAdj?: { supported?: boolean };
  /** See VolumeDeps.claimVolume. */
  claimVolume?: (namespace: string, claimName: string) => string | undefined;
}

function where(req: CreateContainerRequest): string {
  return `container "${req.container.name}" of pod "${req.pod.metadata.namespace}/${req.pod.metadata.name}"`;
}

/**
 * Linux's MAX_ARG_STRLEN: execve refuses a longer single argument or environment string
 * (E2BIG). runc does not report it but hangs in `create`, which would hold the engine
 * call, and the pod's deletion behind it, forever: refuse such a container up front.
 */
export const MAX_ARG_STRLEN = 32 * 4096;

export function checkArgLengths(req: CreateContainerRequest): void {
  const strings = [...(req.command ?? []), ...(req.args ?? []), ...(req.env ?? [])];
  const long = strings.find((s) => Buffer.byteLength(s) >= MAX_ARG_STRLEN);
  if (long === undefined) return;
  throw new Error(
    `failed to create ${where(req)}: an argument or environment variable of ${Buffer.byteLength(long)} bytes exceeds the kernel's limit of ${MAX_ARG_STRLEN - 1} bytes per string (MAX_ARG_STRLEN)`,
  );
}

export async function createContainer(d: ContainerDeps, req: CreateContainerRequest): Promise<string> {
  checkArgLengths(req);
  // runAsNonRoot and the image's user come first, as in generateContainerConfig.
  const host = await securityHost(d, req);
  const mounts = await containerMounts(d, req).catch((err: unknown) => {
    if (err instanceof ContainerConfigError) throw err;
    throw new Error(`cannot prepare volumes for ${where(req)}: ${engineMessage(err)}`, { cause: err });
  });
  await applyFsGroup(d, req).catch((err: unknown) => {
    throw new Error(`cannot set fsGroup ownership for ${where(req)}: ${errorMessage(err)}`, { cause: err });
  });
  const termLog = terminationLogMount(d, req, mounts);
  if (termLog) mounts.push(termLog);
  if (d.stateDir) mounts.push(...podNetworkMounts(d.stateDir, req.pod, mounts));
  const name = containerName(req.pod, req.container, req.restartCount);
  const lowered = req.oomScoreAdj !== undefined && req.oomScoreAdj < 0;
  const effective = lowered && d.oomScoreAdj?.supported === false ? { ...req, oomScoreAdj: undefined } : req;
  const build = (n: string) => containerCreateOptions({ req: effective, agentId: d.agentId, name: n, mounts, host });
  try {
    return await d.docker.createContainer(build(name));
  } catch (err) {
    if (!isConflict(err)) throw new Error(`failed to create ${where(req)}: ${engineMessage(err)}`, { cause: err });
  }
  // Name conflict (cri-dockerd recoverFromCreationConflictIfNeeded): a leftover of a
  // crash. Remove it if it is ours and not running; otherwise use a randomised name.
  const retryName = (await removeStale(d, name)) ? name : randomizedName(name);
  try {
    return await d.docker.createContainer(build(retryName));
  } catch (err) {
    throw new Error(`failed to create ${where(req)}: ${engineMessage(err)}`, { cause: err });
  }
}

/** Bind the instance's termination-log file, unless the container mounts something there itself. */
function terminationLogMount(
  d: ContainerDeps,
  req: CreateContainerRequest,
  mounts: DockerMount[],
): DockerMount | undefined {
  const target = req.container.terminationMessagePath || '/dev/termination-log';
  if (!d.stateDir) return undefined;
  if (mounts.some((m) => m.Target === target)) return undefined;
  const file = terminationLogPath(d.stateDir, req.pod.metadata.uid, req.container.name, req.restartCount);
  prepareTerminationLog(file);
  return { Type: 'bind', Source: file, Target: target, ReadOnly: false };
}

async function removeStale(d: ContainerDeps, name: string): Promise<boolean> {
  try {
    const info = await d.docker.inspectContainer(name);
    if (info.State.Running || info.Config.Labels?.[LABEL.agent] !== d.agentId) return false;
    d.log?.info({ name, id: info.Id }, 'removing stale container found under our name');
    await d.docker.removeContainer(info.Id, { force: true, v: false });
    return true;
  } catch (err) {
    if (isEngineNotFound(err)) return true;
    throw err;
  }
}

export async function startContainer(d: ContainerDeps, id: string): Promise<void> {
  try {
    await d.docker.startContainer(id);
  } catch (err) {
    throw new Error(`failed to start container ${id.slice(0, 12)}: ${engineMessage(err)}`, { cause: err });
  }
}

/** The engine sends StopSignal, waits graceSeconds, then SIGKILL. Stopped or missing is fine. */
export async function stopContainer(d: ContainerDeps, id: string, graceSeconds: number): Promise<void> {
  try {
    await d.docker.stopContainer(id, graceSeconds);
  } catch (err) {
    if (isEngineNotFound(err)) return;
    throw new Error(`failed to stop container ${id.slice(0, 12)}: ${engineMessage(err)}`, { cause: err });
  }
}

/** Force-remove; anonymous volumes are kept (v: false) — pod volumes go with removePod. */
export async function removeContainer(d: ContainerDeps, id: string): Promise<void> {
  try {
    await d.docker.removeContainer(id, { force: true, v: false });
  } catch (err) {
    // 404: already gone. 409 "removal already in progress" also ends with it gone.
    if (isEngineNotFound(err) || (isConflict(err) && /already in progress/i.test(engineMessage(err)))) return;
    throw new Error(`failed to remove container ${id.slice(0, 12)}: ${engineMessage(err)}`, { cause: err });
  }
}
