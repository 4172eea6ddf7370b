// What CreateContainer needs from the host for a container's securityContext: the
// image's user (kuberuntime getImageUser, for runAsNonRoot and a lone runAsGroup), a
// Localhost seccomp profile's JSON (cri-dockerd getSeccompDockerOpts reads the file),
// whether SELinux labels apply, and fsGroup on the pod's emptyDirs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateContainerRequest } from './runtime.js';
import { ContainerConfigError } from '../container/errors.js';
import { effectiveSecurityContext, parseImageUser, runAsNonRootViolation } from '../container/security-context.js';
import type { SecurityHost } from './container-config.js';
import { type DockerClient, engineMessage } from './docker-client.js';
import { setVolumeOwnership } from './fs-group.js';
import { normalizeImageRef } from './image.js';
import { emptyDirVolumeName } from './volumes.js';

export interface SecurityDeps {
  docker: DockerClient;
  /** The kubelet's <root-dir>/seccomp: Localhost seccomp profiles are read under it. */
  seccompProfileRoot?: string;
  /** Volumes (`uid/name`) whose fsGroup ownership is already set, as the kubelet sets it once per SetUp. */
  fsGroupDone?: Set<string>;
}

/** SELinux labels only mean something where SELinux is on (the kubelet ignores them elsewhere). */
const seLinuxEnabled = (): boolean => existsSync('/sys/fs/selinux/enforce');

export async function securityHost(d: SecurityDeps, req: CreateContainerRequest): Promise<SecurityHost> {
  const { pod, container: c } = req;
  let user: string | undefined;
  try {
    user = (await d.docker.inspectImage(normalizeImageRef(c.image ?? ''))).Config?.User;
  } catch (err) {
    throw new Error(`cannot read the user of image ${c.image}: ${engineMessage(err)}`, { cause: err });
  }
  const imageUser = parseImageUser(user);
  const violation = runAsNonRootViolation(pod, c, imageUser);
  if (violation) throw new ContainerConfigError(violation);
  const host: SecurityHost = { imageUser, seLinuxEnabled: seLinuxEnabled() };
  const profile = effectiveSecurityContext(pod, c).seccompProfile;
  if (profile?.type === 'Localhost' && profile.localhostProfile) {
    host.seccompJson = readSeccompProfile(d.seccompProfileRoot, profile.localhostProfile);
  }
  return host;
}

/** The profile file as compact JSON; a missing or bad file is the engine-side error cri-dockerd gives. */
function readSeccompProfile(root: string | undefined, rel: string): string {
  if (!root) throw new Error(`cannot load seccomp profile "${rel}": no seccomp profile root is configured`);
  const file = join(root, rel);
  try {
    return JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new Error(`cannot load seccomp profile "${file}": ${(err as Error).message}`, { cause: err });
  }
}

/** fsGroup on the emptyDirs this container mounts (emptyDir SetUpAt → SetVolumeOwnership). */
export async function applyFsGroup(d: SecurityDeps, req: CreateContainerRequest): Promise<void> {
  const sc = req.pod.spec.securityContext;
  if (sc?.fsGroup === undefined) return;
  const uid = req.pod.metadata.uid;
  const names = new Set((req.volumeMounts ?? req.container.volumeMounts ?? []).map((m) => m.name));
  for (const vol of req.pod.spec.volumes ?? []) {
    const key = `${uid}/${vol.name}`;
    if (!vol.emptyDir || !names.has(vol.name) || d.fsGroupDone?.has(key)) continue;
    const info = await d.docker.inspectVolume(emptyDirVolumeName(uid, vol.name));
    setVolumeOwnership(info.Mountpoint, sc.fsGroup, sc.fsGroupChangePolicy);
    d.fsGroupDone?.add(key);
  }
}

/** Forget a removed pod's fsGroup memo. */
export function forgetFsGroup(d: SecurityDeps, podUid: string): void {
  for (const k of d.fsGroupDone ?? []) if (k.startsWith(`${podUid}/`)) d.fsGroupDone?.delete(k);
}
