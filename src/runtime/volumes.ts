// Pod volumes on Docker. emptyDir is a named Docker volume per pod and volume, so
// every container of the pod (and every restart) sees the same directory, and it
// lives until removePod. `medium: Memory` is a tmpfs-backed *volume* (not a per-
// container tmpfs mount, which containers could not share). hostPath is a bind.
import type { ValidPod, VolumeMount } from '../apis/core/types.js';
import { type DockerClient, isEngineNotFound } from './docker-client.js';
import { LABEL } from './labels.js';
import { memoryBytes } from './quantity.js';
import type { CreateContainerRequest } from './runtime.js';

export const VOLUME_KIND_LABEL = 'io.minikubelet.volume';

export interface DockerMount {
  Type: 'volume' | 'bind';
  Source: string;
  Target: string;
  ReadOnly: boolean;
}

export function emptyDirVolumeName(uid: string, volume: string): string {
  return `minikubelet_${uid}_${volume}`;
}

/** Reject subPaths the kubelet rejects (absolute, or escaping with `..`). */
function checkSubPath(m: VolumeMount): string | undefined {
  if (!m.subPath) return undefined;
  if (m.subPath.startsWith('/') || m.subPath.split('/').includes('..')) {
    throw new Error(`volumeMount ${m.name}: subPath ${JSON.stringify(m.subPath)} must be a relative path without '..'`);
  }
  return m.subPath.replace(/\/+$/, '');
}

/** Create (or find: creating an existing local volume is a no-op) the emptyDir volume. */
async function ensureEmptyDir(
  docker: DockerClient,
  pod: ValidPod,
  agentId: string,
  name: string,
  medium: string | undefined,
  sizeLimit: string | undefined,
): Promise<string> {
  const volName = emptyDirVolumeName(pod.metadata.uid, name);
  const memory = medium === 'Memory';
  const opts = memory
    ? { type: 'tmpfs', device: 'tmpfs', ...(sizeLimit ? { o: `size=${memoryBytes(sizeLimit)}` } : {}) }
    : {};
  const v = await docker.createVolume({
    Name: volName,
    Driver: 'local',
    DriverOpts: opts,
    Labels: { [LABEL.podUid]: pod.metadata.uid, [LABEL.agent]: agentId, [VOLUME_KIND_LABEL]: 'emptyDir' },
  });
  return v.Mountpoint;
}

/**
 * Mounts for one container. Docker's `Mounts` is used for volumes; hostPath goes
 * through `Binds`, because a bind *mount* fails when the host path is missing while
 * a bind in `Binds` creates the directory (the kubelet's unset hostPath type).
 */
export async function containerMounts(
  docker: DockerClient,
  req: CreateContainerRequest,
  agentId: string,
): Promise<{ mounts: DockerMount[]; binds: string[] }> {
  const mounts: DockerMount[] = [];
  const binds: string[] = [];
  const volumes = new Map((req.pod.spec.volumes ?? []).map((v) => [v.name, v]));
  for (const m of req.container.volumeMounts ?? []) {
    const vol = volumes.get(m.name);
    if (!vol) throw new Error(`volumeMount ${m.name}: no volume of that name in the pod`);
    const subPath = checkSubPath(m);
    const ro = m.readOnly === true;
    if (vol.emptyDir) {
      const mountpoint = await ensureEmptyDir(
        docker,
        req.pod,
        agentId,
        vol.name,
        vol.emptyDir.medium,
        vol.emptyDir.sizeLimit,
      );
      if (subPath) {
        // API 1.41 has no volume subpath; bind the directory inside the volume instead
        // (the engine resolves the path on its own host and creates it if missing).
        // TODO: for medium Memory the tmpfs is only mounted there while a container uses it.
        binds.push(`${mountpoint}/${subPath}:${m.mountPath}${ro ? ':ro' : ''}`);
      } else {
        mounts.push({
          Type: 'volume',
          Source: emptyDirVolumeName(req.pod.metadata.uid, vol.name),
          Target: m.mountPath,
          ReadOnly: ro,
        });
      }
    } else if (vol.hostPath) {
      const src = subPath ? `${vol.hostPath.path.replace(/\/+$/, '')}/${subPath}` : vol.hostPath.path;
      binds.push(`${src}:${m.mountPath}${ro ? ':ro' : ''}`);
    } else {
      // configMap/secret/PVC volumes need files the runtime does not have.
      throw new Error(`volume ${vol.name}: only emptyDir and hostPath volumes are supported by the runtime`);
    }
  }
  return { mounts, binds };
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
