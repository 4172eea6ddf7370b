// What survives the agent on disk for the CNI network, shared by every agent on the host:
// - host-local's allocations, `<dataDir>/<network>/<ip>` holding `<containerId>\r\n<ifname>`
//   (plugins/ipam/host-local/backend/disk/backend.go): the truth about which IP is whose;
// - the ADD results, `<cacheDir>/results/<network>-<containerId>-<ifname>`, in libcni's
//   cacheV1 format (libcni api.go cacheAdd): DEL hands them back to the plugins as
//   prevResult with the same plugin list and portMappings (portmap removes its rules by them).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CNI_IFNAME } from './conf.js';
import type { CniResult } from './result.js';

export interface CachedAdd {
  kind: 'cniCacheV1';
  containerId: string;
  ifName: string;
  networkName: string;
  capabilityArgs: Record<string, unknown>;
  result: CniResult;
  /** The list ADD ran (libcni keeps its bytes): DEL runs the same plugins with the same settings. */
  config?: { cniVersion: string; name: string; plugins: object[] };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function cachePath(cacheDir: string, network: string, containerId: string): string {
  return join(cacheDir, 'results', `${network}-${containerId}-${CNI_IFNAME}`);
}

export function writeCachedAdd(cacheDir: string, entry: CachedAdd): void {
  const path = cachePath(cacheDir, entry.networkName, entry.containerId);
  mkdirSync(join(cacheDir, 'results'), { recursive: true, mode: 0o700 });
  writeFileSync(`${path}.tmp`, JSON.stringify(entry), { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function readCachedAdd(cacheDir: string, network: string, containerId: string): CachedAdd | undefined {
  try {
    const v = JSON.parse(readFileSync(cachePath(cacheDir, network, containerId), 'utf8')) as CachedAdd;
    return v.kind === 'cniCacheV1' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function removeCachedAdd(cacheDir: string, network: string, containerId: string): void {
  rmSync(cachePath(cacheDir, network, containerId), { force: true });
}

/** host-local's allocations of a network: IP → container ID (pure parse of the directory). */
export function readAllocations(dataDir: string, network: string): Map<string, string> {
  const dir = join(dataDir, network);
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!IPV4.test(name)) continue; // lock, last_reserved_ip.0
    try {
      const id = parseAllocation(readFileSync(join(dir, name), 'utf8'));
      if (id) out.set(name, id);
    } catch {
      /* released meanwhile */
    }
  }
  return out;
}

/** `<id>\r\n<ifname>` (1.x) or `<id>` (0.x) → the container ID. */
export function parseAllocation(content: string): string | undefined {
  const id = content.split(/\r?\n/)[0]?.trim();
  return id ? id : undefined;
}
