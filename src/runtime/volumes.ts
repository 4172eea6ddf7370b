// Pod volumes on Docker. emptyDir is a named Docker volume per pod and volume, so
// every container of the pod (and every restart) sees the same directory, and it
// lives until removePod. `medium: Memory` is a tmpfs the agent mounts on the host under
// the pod's directory, as the kubelet's emptyDir plugin does (not a Docker tmpfs volume,
// which the engine unmounts when its last container stops: a re-created sandbox would
// lose the data; nor a per-container tmpfs, which containers could not share). hostPath is a bind, and
// so are configMap/secret/downwardAPI/projected volumes (projected-volumes.ts).
// Every mount goes through HostConfig.Mounts, never `Binds` strings: a `:` in a path
// would be re-parsed by the engine as a field separator.
import { type Stats, statSync } from 'node:fs';
import type { Container, ValidPod, Volume, VolumeMount } from '../apis/core/types.js';
import { ContainerConfigError, VolumeSetUpError } from '../container/errors.js';
import type { Logger } from '../util/logger.js';
import { errorMessage } from '../util/errors.js';
import { type DockerClient, type EngineMount, engineMessage, isEngineNotFound } from './docker-client.js';
import { checkHostPathType } from './host-path.js';
import { LABEL } from './labels.js';
import { memoryBytes } from './quantity.js';
import type { CreateContainerRequest } from './runtime.js';
import { safeMakeDir, safeOpenSubPath, subPathComponents } from './subpath.js';
import { bindSubPath, subPathStagingPath } from './subpath-mount.js';
import { chmodSync, closeSync, mkdirSync } from 'node:fs';
import { childPath } from '../util/safe-path.js';
import { isMountPoint, mountTmpfs } from './mounts.js';
import { volumeClaimName } from '../apis/core/pod-claims.js';
import { projectedKind, projectedVolumeDir, type VolumePayloads, writeProjectedVolumes } from './projected-volumes.js';

export const VOLUME_KIND_LABEL = 'io.minikubelet.volume';

/**
 * A mount of a container. For `volume` mounts VolumeOptions is always `{ NoCopy: true }`:
 * Docker fills an empty named volume with the image's files at the mount point on first
 * mount ("copy-up"); a Kubernetes volume is what it is — an emptyDir starts empty even
 * over an image directory with content.
 */
export type DockerMount = EngineMount;

export interface VolumeDeps {
  docker: DockerClient;
  agentId: string;
  /** Where subPath staging mounts live; without it subPaths are refused. */
  stateDir?: string;
  log?: Logger;
  /**
   * The Docker volume holding a claim's data (the bound PV's), by namespace and claim
   * name; undefined when the claim is not bound (the scheduler check keeps such pods out).
   */
  claimVolume?: (namespace: string, claimName: string) => string | undefined;
}

/**
 * Find or create a claim's Docker volume: labelled with the agent but no pod, so it
 * outlives every pod (removePodVolumes leaves it) until its PV is deleted. A new one is
 * made world-writable once, as local-path-provisioner's setup script makes its
 * directory (`mkdir -m 0777`), so a non-root container can write to a fresh claim.
 */
async function ensureClaimVolume(d: VolumeDeps, pod: ValidPod, vol: Volume): Promise<{ name: string; path: string }> {
  const claim = volumeClaimName(pod, vol)!;
  const name = d.claimVolume?.(pod.metadata.namespace, claim);
  if (!name) throw new VolumeSetUpError(vol.name, `persistentvolumeclaim "${claim}" is not bound`);
  try {
    return { name, path: (await d.docker.inspectVolume(name)).Mountpoint };
  } catch (err) {
    if (!isEngineNotFound(err)) throw err;
  }
  const v = await d.docker.createVolume({
    Name: name,
    Driver: 'local',
    Labels: { [LABEL.agent]: d.agentId, [VOLUME_KIND_LABEL]: 'persistentVolume' },
  });
  chmodSync(v.Mountpoint, 0o777);
  return { name, path: v.Mountpoint };
}

export function emptyDirVolumeName(uid: string, volume: string): string {
  return `minikubelet_${uid}_${volume}`;
}

/** Create (or find: creating an existing local volume is a no-op) the emptyDir volume; its host path. */
async function ensureEmptyDir(d: VolumeDeps, pod: ValidPod, vol: Volume): Promise<string> {
  if (vol.emptyDir?.medium === 'Memory') return ensureMemoryEmptyDir(d, pod, vol);
  const v = await d.docker.createVolume({
    Name: emptyDirVolumeName(pod.metadata.uid, vol.name),
    Driver: 'local',
    Labels: { [LABEL.podUid]: pod.metadata.uid, [LABEL.agent]: d.agentId, [VOLUME_KIND_LABEL]: 'emptyDir' },
  });
  return v.Mountpoint;
}

/** Where a pod's Memory emptyDir is mounted on the host (the kubelet's layout). */
export function memoryEmptyDirPath(stateDir: string, uid: string, volume: string): string {
  return childPath(stateDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', volume);
}

/**
 * pkg/volume/emptydir setupTmpfs: a tmpfs (size = sizeLimit) on the pod's volume
 * directory, mode 0777 as setupDir leaves it; mounted once and kept until the pod is
 * removed (cleanProjectedVolumes unmounts everything under pods/<uid>), so it survives
 * container restarts and a re-created sandbox, and is found again after an agent restart.
 */
async function ensureMemoryEmptyDir(d: VolumeDeps, pod: ValidPod, vol: Volume): Promise<string> {
  if (!d.stateDir) throw new Error('the agent has no state directory');
  const dir = memoryEmptyDirPath(d.stateDir, pod.metadata.uid, vol.name);
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const sizeLimit = vol.emptyDir?.sizeLimit;
  await mountTmpfs(dir, 0o777, sizeLimit ? memoryBytes(sizeLimit) : undefined);
  return dir;
}

/**
 * The volume manager's SetUp before the sandbox (kubelet WaitForAttachAndMount):
 * emptyDir volumes are created, hostPath types checked, the configMap/secret/
 * downwardAPI/projected payloads (computed by the sync) written. A failure names its volume.
 */
export async function setUpPodVolumes(d: VolumeDeps, pod: ValidPod, payloads: VolumePayloads): Promise<void> {
  for (const vol of pod.spec.volumes ?? []) {
    try {
      if (vol.emptyDir) await ensureEmptyDir(d, pod, vol);
      else if (volumeClaimName(pod, vol)) await ensureClaimVolume(d, pod, vol);
      else if (vol.hostPath) checkHostPathType(vol.hostPath.path, vol.hostPath.type);
      else if (projectedKind(vol)) {
        if (!d.stateDir) throw new Error('the agent has no state directory');
        const p = payloads.get(vol.name);
        if (p) await writeProjectedVolumes(d.stateDir, pod, new Map([[vol.name, p]]));
      }
    } catch (err) {
      if (err instanceof VolumeSetUpError) throw err;
      d.log?.warn({ err: errorMessage(err), volume: vol.name }, 'volume set-up failed');
      throw new VolumeSetUpError(vol.name, engineMessage(err));
    }
  }
}

/** Mounts for one container (kubelet makeMounts). */
export async function containerMounts(d: VolumeDeps, req: CreateContainerRequest): Promise<DockerMount[]> {
  const mounts: DockerMount[] = [];
  const volumes = new Map((req.pod.spec.volumes ?? []).map((v) => [v.name, v]));
  const list = req.volumeMounts ?? req.container.volumeMounts ?? [];
  for (const [i, m] of list.entries()) {
    const vol = volumes.get(m.name);
    if (!vol) throw new Error(`volumeMount ${m.name}: no volume of that name in the pod`);
    if (m.subPathExpr && m.subPath === undefined) {
      throw new ContainerConfigError(`volumeMount ${m.name}: subPathExpr was not expanded`);
    }
    // configMap/secret/downwardAPI/projected volumes are always read-only in the
    // container (kubelet_pods.go makeMounts: the plugin's ReadOnly attribute).
    const projected = projectedKind(vol) !== undefined;
    // A claim volume's readOnly (the PVC source's) makes every mount of it read-only.
    const ro = m.readOnly === true || projected || vol.persistentVolumeClaim?.readOnly === true;
    let root: string;
    let claimVolume: string | undefined;
    if (vol.emptyDir) root = await ensureEmptyDir(d, req.pod, vol);
    else if (volumeClaimName(req.pod, vol)) {
      const v = await ensureClaimVolume(d, req.pod, vol);
      root = v.path;
      claimVolume = v.name;
    } else if (vol.hostPath) root = vol.hostPath.path;
    else if (projected && d.stateDir) root = projectedVolumeDir(d.stateDir, req.pod.metadata.uid, vol);
    else throw new Error(`volume ${vol.name}: this volume type is not supported by the runtime`);
    if (m.subPath) {
      const source = await prepareSubPath(d, req, vol, root, m, i);
      mounts.push({ Type: 'bind', Source: source, Target: m.mountPath, ReadOnly: ro });
    } else if (claimVolume) {
      mounts.push({
        Type: 'volume',
        Source: claimVolume,
        Target: m.mountPath,
        ReadOnly: ro,
        VolumeOptions: { NoCopy: true },
      });
    } else if (vol.emptyDir && vol.emptyDir.medium !== 'Memory') {
      mounts.push({
        Type: 'volume',
        Source: emptyDirVolumeName(req.pod.metadata.uid, vol.name),
        Target: m.mountPath,
        ReadOnly: ro,
        VolumeOptions: { NoCopy: true },
      });
    } else {
      mounts.push({ Type: 'bind', Source: root, Target: m.mountPath, ReadOnly: ro });
    }
  }
  return mounts;
}

/**
 * kubelet_pods.go makeMounts for a subPath: refuse absolute and `..` paths, create a
 * missing subPath as a directory with the volume root's mode (SafeMakeDir), open it
 * without following symlinks out of the volume and bind the opened file. The user
 * sees the kubelet's terse message; the detail (host paths) only goes to the log.
 */
async function prepareSubPath(
  d: VolumeDeps,
  req: CreateContainerRequest,
  vol: Volume,
  root: string,
  m: VolumeMount,
  index: number,
): Promise<string> {
  const c: Container = req.container;
  const subPath = m.subPath!;
  try {
    subPathComponents(subPath);
  } catch (err) {
    throw new ContainerConfigError(errorMessage(err));
  }
  const failure = (what: string, err: unknown) => {
    d.log?.warn({ err: errorMessage(err), volumeMount: m.name, container: c.name }, `${what} failed`);
    return new ContainerConfigError(`${what} for volumeMount "${m.name}" of container "${c.name}"`);
  };
  if (!d.stateDir) throw failure('failed to prepare subPath', new Error('the agent has no state directory'));
  let rootStat: Stats;
  try {
    rootStat = statSync(root);
    if (vol.emptyDir?.medium === 'Memory' && !isMountPoint(root, rootStat)) {
      // The tmpfs is mounted only while a container (the sandbox) uses the volume;
      // walking the bare directory underneath would write to disk and be hidden later.
      throw new Error(`Memory emptyDir ${root} is not mounted`);
    }
  } catch (err) {
    throw failure('failed to prepare subPath', err);
  }
  if (!exists(`${root}/${subPath}`)) {
    try {
      safeMakeDir(root, subPath, rootStat.mode & 0o7777);
    } catch (err) {
      throw failure('failed to create subPath directory', err);
    }
  }
  const target = subPathStagingPath(d.stateDir, req.pod.metadata.uid, vol.name, c.name, index);
  try {
    const fd = safeOpenSubPath(root, subPath);
    try {
      await bindSubPath(fd, target);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw failure('failed to prepare subPath', err);
  }
  return target;
}

/** hostutil PathExists: Stat, following symlinks (a dangling one is "missing"). */
function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Remove every emptyDir volume of a pod; call after its containers are gone. */
export async function removePodVolumes(docker: DockerClient, agentId: string, uid: string): Promise<void> {
  const vols = await docker.listVolumes({ label: [`${LABEL.agent}=${agentId}`, `${LABEL.podUid}=${uid}`] });
  await Promise.all(
    vols.map((v) =>
      docker.removeVolume(v.Name).catch((err) => {
        if (!isEngineNotFound(err)) throw err;
      }),
    ),
  );
}

/** Pod UIDs that own an emptyDir volume of this agent (the GC's orphaned-volume scan). */
export async function listPodVolumeOwners(docker: DockerClient, agentId: string): Promise<string[]> {
  const vols = await docker.listVolumes({ label: [`${LABEL.agent}=${agentId}`] });
  return vols.map((v) => v.Labels?.[LABEL.podUid] ?? '').filter((uid) => uid !== '');
}
