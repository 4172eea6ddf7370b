// Which pod network driver the agent uses: `cni` (the kubelet's way: NetworkMode none +
// CNI plugins, ~20 ms per sandbox) when it can, else `docker` (a user-defined Docker
// network the sandbox joins, ~130 ms more per sandbox, but no privilege needed).
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUIRED_PLUGINS } from './conf.js';

export type PodNetworkDriver = 'cni' | 'docker';

export interface DriverProbe {
  /** CAP_NET_ADMIN in the effective set (root on a host has it; root in a container may not). */
  netAdmin: boolean;
  /** Required plugins not executable in the bin dir. */
  missingPlugins: string[];
  /** `ip` (the bridge) and `iptables` (portmap, masquerade, FORWARD) not found on PATH. */
  missingTools?: string[];
}

export interface DriverChoice {
  driver: PodNetworkDriver;
  why: string;
}

/**
 * The driver for the requested one (undefined = choose) — pure. An explicit `cni` that
 * cannot work is refused with the reason rather than silently replaced.
 */
export function choosePodNetworkDriver(
  requested: PodNetworkDriver | undefined,
  attachments: boolean,
  binDir: string,
  probe: DriverProbe,
): DriverChoice {
  if (requested === 'docker') return { driver: 'docker', why: 'requested (--pod-network-driver docker)' };
  const blockers: string[] = [];
  // The Multus annotation joins Docker networks; Docker refuses to connect a container
  // whose NetworkMode is none to any network.
  if (attachments) blockers.push('pod network attachments join Docker networks, which needs the docker driver');
  if (!probe.netAdmin) blockers.push('the agent lacks CAP_NET_ADMIN (not root)');
  if (probe.missingPlugins.length > 0)
    blockers.push(`CNI plugins missing in ${binDir}: ${probe.missingPlugins.join(', ')}`);
  if (probe.missingTools?.length) blockers.push(`not on PATH: ${probe.missingTools.join(', ')}`);
  if (requested === 'cni') {
    if (blockers.length > 0) throw new Error(`--pod-network-driver cni cannot be used: ${blockers.join('; ')}`);
    return { driver: 'cni', why: 'requested (--pod-network-driver cni)' };
  }
  if (blockers.length > 0) return { driver: 'docker', why: blockers.join('; ') };
  return { driver: 'cni', why: `CAP_NET_ADMIN and the CNI plugins in ${binDir}` };
}

/** CapEff of /proc/self/status → whether bit 12 (CAP_NET_ADMIN) is set (pure). */
export function hasNetAdmin(procStatus: string): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)$/im.exec(procStatus);
  if (!m) return false;
  return (BigInt(`0x${m[1]}`) & (1n << 12n)) !== 0n;
}

export function probeHost(binDir: string): DriverProbe {
  let status = '';
  try {
    status = readFileSync('/proc/self/status', 'utf8');
  } catch {
    /* not Linux */
  }
  const missingPlugins = REQUIRED_PLUGINS.filter((p) => !executable(join(binDir, p)));
  const path = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').filter(Boolean);
  const missingTools = ['ip', 'iptables'].filter((t) => !path.some((d) => executable(join(d, t))));
  return { netAdmin: hasNetAdmin(status), missingPlugins, missingTools };
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
