// Pod IPs handed out round-robin, as the kubelet's usual IPAM (CNI host-local,
// plugins/ipam/host-local/backend/allocator: RangeIter starts after last_reserved_ip)
// does: a recreated pod gets a new address rather than the one just freed, so a
// client holding the old IP does not silently reach a different pod. Docker's own IPAM
// hands out the lowest free address, so the sandbox asks for ours (IPAMConfig.IPv4Address).
// The addresses in use are the engine's (the network's endpoints, any agent's) plus those
// this agent is about to start; the last one handed out is kept under the root dir.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DockerClient } from './docker-client.js';

const toInt = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** `10.244.0.0/16` → its first and last assignable host numbers, or undefined when not IPv4 CIDR. */
export function hostRange(cidr: string): { first: number; last: number } | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const bits = Number(m[2]);
  if (bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  const network = Math.floor(toInt(m[1]!) / size) * size;
  return { first: network + 1, last: network + size - 2 };
}

/**
 * The next free address after `last` (wrapping), skipping `used` (which holds the gateway);
 * undefined when the range is full. Pure.
 */
export function nextAddress(cidr: string, used: ReadonlySet<string>, last?: string): string | undefined {
  const range = hostRange(cidr);
  if (!range) return undefined;
  const count = range.last - range.first + 1;
  const lastN = last ? toInt(last) : range.first - 1;
  const start = lastN >= range.first && lastN <= range.last ? lastN - range.first + 1 : 0;
  for (let i = 0; i < count; i++) {
    const ip = toIp(range.first + ((start + i) % count));
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

/** A random host address of the range (a starting point, not an allocation). */
export function randomAddress(cidr: string): string | undefined {
  const range = hostRange(cidr);
  if (!range) return undefined;
  return toIp(range.first + Math.floor(Math.random() * (range.last - range.first + 1)));
}

export class PodIpAllocator {
  readonly #pending = new Set<string>();
  #last: string | undefined;

  constructor(
    private readonly docker: DockerClient,
    private readonly network: string,
    /** `<root>/ipam/<network>/last_reserved_ip`, host-local's file; none = in memory only. */
    private readonly stateFile?: string,
  ) {
    if (stateFile) {
      try {
        this.#last = readFileSync(stateFile, 'utf8').trim() || undefined;
      } catch {
        /* first run */
      }
    }
  }

  /**
   * Reserve an address for a sandbox about to be created; `release` it once the sandbox
   * started (the engine then reports it) or failed. Undefined = let the engine choose
   * (a network without an IPv4 subnet, or a full one: the engine's error is clearer).
   */
  async reserve(): Promise<string | undefined> {
    const net = await this.docker.inspectNetwork(this.network);
    const subnet = net.IPAM?.Config?.[0]?.Subnet;
    if (!subnet) return undefined;
    const used = new Set(this.#pending);
    const gateway = net.IPAM?.Config?.[0]?.Gateway;
    if (gateway) used.add(gateway);
    for (const ep of Object.values(net.Containers ?? {})) {
      const ip = ep.IPv4Address?.split('/')[0];
      if (ip) used.add(ip);
    }
    // A first allocation starts at a random place in the range, not at its start as
    // host-local's would: several agents (and parallel test runs) share one Docker network,
    // each with its own "last", and from a common start they would race for the same few
    // addresses between our look at the network and the engine's start.
    this.#last ??= randomAddress(subnet);
    const ip = nextAddress(subnet, used, this.#last);
    if (!ip) return undefined;
    this.#pending.add(ip);
    this.#last = ip;
    this.#persist(ip);
    return ip;
  }

  release(ip: string | undefined): void {
    if (ip) this.#pending.delete(ip);
  }

  /** A hint only (a lost write means starting over from the range's start), so no fsync. */
  #persist(ip: string): void {
    if (!this.stateFile) return;
    try {
      mkdirSync(dirname(this.stateFile), { recursive: true, mode: 0o700 });
      writeFileSync(`${this.stateFile}.tmp`, ip, { mode: 0o600 });
      renameSync(`${this.stateFile}.tmp`, this.stateFile);
    } catch {
      /* the allocation still holds; only the hint is lost */
    }
  }
}
