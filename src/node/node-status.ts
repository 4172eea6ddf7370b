// The Node's status, one pure setter per concern, as the kubelet's
// pkg/kubelet/nodestatus/setters.go (NodeAddress, MachineInfo, NodeInfo/VersionInfo,
// Images, ReadyCondition, MemoryPressureCondition, DiskPressureCondition,
// PIDPressureCondition). Inputs are plain facts (engine info, host signals); the
// node manager gathers them and keeps the conditions' transition times.
import type {
  ConditionStatus,
  ContainerImage,
  NodeAddress,
  NodeCondition,
  NodeConditionType,
  NodeSystemInfo,
} from '../apis/core/types.js';
import type { EngineImage, EngineInfo } from '../runtime/runtime.js';
import { formatBytes, formatCpu } from './resources.js';

/** The kubelet's default hard eviction thresholds (pkg/kubelet/eviction/defaults_linux.go). */
export const EVICTION_HARD = {
  memoryAvailableBytes: 100 * 2 ** 20,
  nodefsAvailableFraction: 0.1,
  imagefsAvailableFraction: 0.15,
} as const;
/**
 * pid.available has no default threshold upstream (PIDPressure then never turns True);
 * minikubelet applies 10% of pid_max so the condition reflects a real shortage.
 */
export const PID_AVAILABLE_FRACTION = 0.1;

/** The kubelet caps status.images at 50 (maxImagesInNodeStatus), largest first. */
export const MAX_IMAGES_IN_NODE_STATUS = 50;

/** Filesystem totals from statfs (bytes). */
export interface FsStats {
  capacityBytes: number;
  availableBytes: number;
}

/** Host signals read each refresh; undefined = could not be read (the condition stays False). */
export interface HostSignals {
  memAvailableBytes?: number;
  nodefs?: FsStats;
  imagefs?: FsStats;
  pidMax?: number;
  processes?: number;
}

export function nodeAddresses(internalIP: string, hostname: string): NodeAddress[] {
  return [
    { type: 'InternalIP', address: internalIP },
    { type: 'Hostname', address: hostname },
  ];
}

/** MachineInfo: capacity from the engine's machine, the root dir's filesystem and --max-pods. */
export function capacity(info: EngineInfo, nodefs: FsStats | undefined, maxPods: number): Record<string, string> {
  return {
    cpu: formatCpu(info.ncpu),
    'ephemeral-storage': formatBytes(nodefs?.capacityBytes ?? 0),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: formatBytes(info.memTotal - (info.memTotal % 1024)),
    pods: String(maxPods),
  };
}

/**
 * Allocatable = capacity − system-reserved − the hard eviction thresholds for memory and
 * nodefs (pkg/kubelet/cm/node_container_manager_linux.go GetNodeAllocatableAbsolute and
 * hardEvictionReservation). `reserved` holds cores and bytes. Never negative.
 */
export function allocatable(
  info: EngineInfo,
  nodefs: FsStats | undefined,
  maxPods: number,
  reserved: Record<string, number>,
): Record<string, string> {
  const memTotal = info.memTotal - (info.memTotal % 1024);
  const storage = nodefs?.capacityBytes ?? 0;
  const storageReserved = (reserved['ephemeral-storage'] ?? 0) + storage * EVICTION_HARD.nodefsAvailableFraction;
  return {
    cpu: formatCpu(info.ncpu - (reserved.cpu ?? 0)),
    'ephemeral-storage': String(Math.max(0, Math.floor(storage - storageReserved))),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: formatBytes(memTotal - (reserved.memory ?? 0) - EVICTION_HARD.memoryAvailableBytes),
    pods: String(maxPods),
  };
}

export interface HostIdentity {
  machineID: string;
  systemUUID: string;
  bootID: string;
}

/** NodeInfo + VersionInfo: identity files of the host, versions of the engine and of the agent. */
export function nodeInfo(info: EngineInfo, ids: HostIdentity, kubeletVersion: string, arch: string): NodeSystemInfo {
  return {
    machineID: ids.machineID,
    systemUUID: ids.systemUUID,
    bootID: ids.bootID,
    kernelVersion: info.kernelVersion,
    osImage: info.operatingSystem,
    containerRuntimeVersion: `docker://${info.serverVersion}`,
    kubeletVersion,
    // Deprecated upstream (KEP-4004): the kubelet leaves it empty.
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: arch,
  };
}

/** GOARCH of a Node.js process.arch (what kubernetes.io/arch and nodeInfo.architecture hold). */
export function goArch(arch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le' };
  return map[arch] ?? arch;
}

/** Images, largest first, at most 50 (setters.go Images). */
export function nodeImages(images: EngineImage[]): ContainerImage[] {
  return images
    .filter((i) => i.names.length > 0)
    .sort((a, b) => b.sizeBytes - a.sizeBytes)
    .slice(0, MAX_IMAGES_IN_NODE_STATUS)
    .map((i) => ({ names: i.names, sizeBytes: i.sizeBytes }));
}

/** A condition's status, reason and message, before times are attached. */
export interface ConditionState {
  type: NodeConditionType;
  status: ConditionStatus;
  reason: string;
  message: string;
}

const lowFs = (fs: FsStats | undefined, fraction: number) =>
  fs !== undefined && fs.capacityBytes > 0 && fs.availableBytes < fs.capacityBytes * fraction;

/** The four conditions in the kubelet's order (MemoryPressure, DiskPressure, PIDPressure, Ready). */
export function conditionStates(s: HostSignals, runtimeErrors: string[]): ConditionState[] {
  const memory = s.memAvailableBytes !== undefined && s.memAvailableBytes < EVICTION_HARD.memoryAvailableBytes;
  const disk =
    lowFs(s.nodefs, EVICTION_HARD.nodefsAvailableFraction) || lowFs(s.imagefs, EVICTION_HARD.imagefsAvailableFraction);
  const pid =
    s.pidMax !== undefined && s.processes !== undefined && s.pidMax - s.processes < s.pidMax * PID_AVAILABLE_FRACTION;
  const ready = runtimeErrors.length === 0;
  return [
    memory
      ? pressure('MemoryPressure', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
      : healthy('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    disk
      ? pressure('DiskPressure', 'KubeletHasDiskPressure', 'kubelet has disk pressure')
      : healthy('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pid
      ? pressure('PIDPressure', 'KubeletHasInsufficientPID', 'kubelet has insufficient PID available')
      : healthy('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: runtimeErrors.join(', ') },
  ];
}

function pressure(type: NodeConditionType, reason: string, message: string): ConditionState {
  return { type, status: 'True', reason, message };
}
function healthy(type: NodeConditionType, reason: string, message: string): ConditionState {
  return { type, status: 'False', reason, message };
}

/**
 * Times attached as the setters do: lastTransitionTime moves only when the status
 * flips; lastHeartbeatTime is the time of this report.
 */
export function withTimes(states: ConditionState[], previous: NodeCondition[], now: string): NodeCondition[] {
  return states.map((s) => {
    const prev = previous.find((p) => p.type === s.type);
    const transition = prev && prev.status === s.status ? prev.lastTransitionTime : now;
    return { ...s, lastHeartbeatTime: now, lastTransitionTime: transition };
  });
}

/** /proc/meminfo's MemAvailable in bytes (undefined when absent). */
export function memAvailableFromMeminfo(text: string): number | undefined {
  const m = /^MemAvailable:\s+(\d+)\s*kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** /proc/loadavg's runnable/total field: the total is the number of tasks (pidlimit_linux.go). */
export function processesFromLoadavg(text: string): number | undefined {
  const m = /^\S+\s+\S+\s+\S+\s+\d+\/(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}
