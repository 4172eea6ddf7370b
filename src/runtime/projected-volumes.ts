// Host directories of the pod's configMap, secret, downwardAPI and projected volumes,
// laid out as the kubelet's: <root>/pods/<uid>/volumes/kubernetes.io~<plugin>/<name>.
// The sync computes each volume's payload (sync/volume-payload.ts); here it is written
// with the AtomicWriter and, for a volume that may hold Secret data, onto a tmpfs so
// that data never reaches the disk (pkg/volume/secret: wrapped emptyDir, medium Memory).
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidPod, Volume } from '../apis/core/types.js';
import { childPath } from '../util/safe-path.js';
import { type Payload, writePayload } from './atomic-writer.js';
import { setVolumeOwnership } from './fs-group.js';
import { mountTmpfs, unmountAndRemove } from './mounts.js';
import { podDirNames } from './pod-dirs.js';

const PLUGIN_DIRS = {
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

export type ProjectedKind = keyof typeof PLUGIN_DIRS;

/** What the sync hands the runtime for one volume. */
export interface VolumePayload {
  payload: Payload;
  /** The volume may hold Secret data: keep it on a tmpfs. */
  tmpfs: boolean;
}

/** By volume name. */
export type VolumePayloads = Map<string, VolumePayload>;

export function projectedKind(vol: Volume): ProjectedKind | undefined {
  return (Object.keys(PLUGIN_DIRS) as ProjectedKind[]).find((k) => vol[k] !== undefined && vol[k] !== null);
}

function podDir(stateDir: string, uid: string): string {
  return childPath(stateDir, 'pods', uid);
}

export function projectedVolumeDir(stateDir: string, uid: string, vol: Volume): string {
  const kind = projectedKind(vol);
  if (!kind) throw new Error(`volume ${vol.name} is not a configMap, secret, downwardAPI or projected volume`);
  return childPath(podDir(stateDir, uid), 'volumes', PLUGIN_DIRS[kind], vol.name);
}

/**
 * Write every payload (SetUp); a tmpfs is mounted first where the volume asks for one.
 * The volume's own directory is what the kubelet's wrapped emptyDir gives (emptyDir
 * setupDir: 0777; a tmpfs root 1777), so a container of any user can read the files its
 * modes allow — the host-side protection is the 0700 root dir above it. With the pod's
 * `fsGroup`, every file and directory gets the group, files `g+r` and directories
 * `g+rx` and setgid (secret.go/configmap.go SetUpAt → SetVolumeOwnership, read-only).
 */
export async function writeProjectedVolumes(stateDir: string, pod: ValidPod, payloads: VolumePayloads): Promise<void> {
  const fsGroup = pod.spec.securityContext?.fsGroup;
  for (const vol of pod.spec.volumes ?? []) {
    const p = payloads.get(vol.name);
    if (!p) continue;
    const dir = projectedVolumeDir(stateDir, pod.metadata.uid, vol);
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    if (p.tmpfs) await mountTmpfs(dir, 0o1777);
    else chmodSync(dir, 0o777);
    writePayload(dir, fsGroup === undefined ? p.payload : withGroupRead(p.payload));
    if (fsGroup !== undefined) setVolumeOwnership(dir, fsGroup, undefined, true);
  }
}

/**
 * The payload with the modes SetVolumeOwnership would leave (`| 0440`), written so from
 * the start: the writer's "unchanged" check compares modes, so a payload chmodded after
 * writing would be rewritten at every sync.
 */
function withGroupRead(payload: Payload): Payload {
  return new Map([...payload].map(([path, f]) => [path, { ...f, mode: f.mode | 0o440 }]));
}

/**
 * TearDown of a pod's volume dirs: unmount the tmpfs (and anything else) under
 * pods/<uid>, and remove the tree only when no mount is left (a recursive delete
 * through a mount would delete what it holds).
 */
export async function cleanProjectedVolumes(stateDir: string, uid: string): Promise<void> {
  await unmountAndRemove(podDir(stateDir, uid));
}

/** Pod UIDs with a pods/<uid> volume directory (the GC's leftover scan). */
export function podProjectedVolumeDirs(stateDir: string): string[] {
  return podDirNames(join(stateDir, 'pods'));
}
