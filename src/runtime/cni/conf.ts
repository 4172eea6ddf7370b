// The CNI network configuration list the pod network runs (pure). The plugins are the
// ones cri-dockerd's usual .conflist names (network/cni/cni.go loads it): `bridge` with
// `host-local` IPAM puts eth0 in the sandbox's netns on our bridge, the node's address its
// gateway; `portmap` (capability portMappings) publishes hostPorts with iptables DNAT.
// What the `bridge` plugin's ipMasq and the `firewall` plugin would do per pod — a
// masquerade rule and FORWARD accepts (Docker sets FORWARD's policy to DROP) — is done
// once per network at start instead (host-bridge.ts ensureHostRules): each costs several
// iptables runs per pod, measured at 30–90 ms of a 45–115 ms ADD (20 ms without).
import { createHash } from 'node:crypto';
import type { ValidPod } from '../../apis/core/types.js';

/** The CNI spec version we speak; Debian's plugins 1.1.1 support it. */
export const CNI_VERSION = '1.0.0';
/** The interface name in the pod's netns (the kubelet's default, network.DefaultInterfaceName). */
export const CNI_IFNAME = 'eth0';
/** Linux limits interface names to 15 bytes (IFNAMSIZ - 1). */
export const MAX_IFNAME = 15;
/** The plugins that must exist in the bin dir for the cni driver. */
export const REQUIRED_PLUGINS = ['bridge', 'host-local', 'portmap'] as const;

export interface CniNetworkSpec {
  /** The network's name (CNI `name`, host-local's state directory). */
  name: string;
  bridge: string;
  subnet: string;
  gateway: string;
  /** host-local's dataDir: shared by every agent on this network (the file lock is there). */
  dataDir: string;
}

/**
 * The bridge device of a network: the name itself when it is a valid interface name,
 * else a prefix and a short hash (always ≤ 15 characters, stable for a name).
 */
export function bridgeName(network: string): string {
  if (network.length <= MAX_IFNAME && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(network)) return network;
  const hash = createHash('sha256').update(network).digest('hex').slice(0, 5);
  const prefix = network.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, MAX_IFNAME - 6) || 'mkl';
  return `${prefix}-${hash}`;
}

/**
 * The .conflist (libcni NetworkConfigList) of the pod network. `portmap` only for a pod
 * with hostPorts: without mappings it does nothing but cost a process start (its ADD and
 * DEL return at once), and DEL runs the list ADD ran (cached with the result).
 */
export function netConfList(
  s: CniNetworkSpec,
  withPortmap = true,
): { cniVersion: string; name: string; plugins: object[] } {
  return {
    cniVersion: CNI_VERSION,
    name: s.name,
    plugins: [
      {
        type: 'bridge',
        bridge: s.bridge,
        isGateway: true,
        // The network's one masquerade rule is made at start (ensureHostRules).
        ipMasq: false,
        // A pod reaching its own hostPort leaves and re-enters by the same port.
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: s.subnet, gateway: s.gateway }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: s.dataDir,
        },
      },
      ...(withPortmap ? [{ type: 'portmap', capabilities: { portMappings: true }, snat: true }] : []),
    ],
  };
}

/** One entry of the portMappings capability (libcni PortMapping, as the kubelet fills it). */
export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP: string;
}

/** Every container's hostPort (cri-dockerd toCNIPortMappings): the sandbox owns the netns. */
export function portMappings(pod: ValidPod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({
        hostPort: p.hostPort,
        containerPort: p.containerPort,
        protocol: (p.protocol ?? 'TCP').toLowerCase(),
        // portmap reads '' as every address, as the kubelet's 0.0.0.0.
        hostIP: p.hostIP && p.hostIP !== '0.0.0.0' ? p.hostIP : '',
      });
    }
  }
  return out;
}

/**
 * One plugin's stdin, as libcni's buildOneConfig makes it: the list's name and version,
 * the previous plugin's result, and runtimeConfig with the capabilities it declares.
 */
export function pluginConf(
  list: { cniVersion: string; name: string },
  plugin: object,
  prevResult: unknown,
  capabilityArgs: Record<string, unknown>,
): string {
  const p = plugin as { capabilities?: Record<string, boolean> };
  const runtimeConfig: Record<string, unknown> = {};
  for (const [cap, on] of Object.entries(p.capabilities ?? {}))
    if (on && capabilityArgs[cap] !== undefined) runtimeConfig[cap] = capabilityArgs[cap];
  return JSON.stringify({
    ...plugin,
    cniVersion: list.cniVersion,
    name: list.name,
    ...(prevResult !== undefined ? { prevResult } : {}),
    ...(Object.keys(runtimeConfig).length ? { runtimeConfig } : {}),
  });
}

// --- IPv4 CIDR arithmetic -------------------------------------------------------------

/** `10.245.0.0/16` → its network number and size, or undefined when not an IPv4 CIDR. */
export function parseCidr(cidr: string): { base: number; size: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - bits);
  return { base: Math.floor(addr / size) * size, size, bits };
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  return x.base < y.base + y.size && y.base < x.base + x.size;
}

/** The gateway (first host) and prefix length of a pod CIDR; undefined when unusable (not IPv4, or /31, /32). */
export function gatewayOf(cidr: string): { gateway: string; bits: number } | undefined {
  const c = parseCidr(cidr);
  if (!c || c.bits > 30) return undefined;
  const n = c.base + 1;
  return { gateway: [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.'), bits: c.bits };
}
