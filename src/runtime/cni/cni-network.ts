// The pod network through CNI, as cri-dockerd does it (network/cni/cni.go SetUpPod /
// TearDownPod over libcni): the sandbox is created with NetworkMode none, then the
// plugin list is run on its network namespace (/proc/<pid>/ns/net). DEL runs when the
// sandbox is stopped or removed, releasing its IP and its hostPort rules.
//
// Pod IPs are host-local's (round-robin after last_reserved_ip, so a recreated pod gets
// a new address). Its state is the source of truth after a restart: each allocation names
// its container, so a running sandbox gets its IP back (adoption), and an allocation whose
// container no longer runs is released at start (a sandbox removed while no agent ran).
import type { ValidPod } from '../../apis/core/types.js';
import type { Logger } from '../../util/logger.js';
import { errorMessage } from '../../util/errors.js';
import { bridgeName, CNI_IFNAME, gatewayOf, netConfList, portMappings } from './conf.js';
import { ensureBridge, ensureHostRules } from './host-bridge.js';
import { addNetworkList, type ConfList, delNetworkList } from './invoke.js';
import { type CniResult, resultIPv4 } from './result.js';
import { readAllocations, readCachedAdd, removeCachedAdd, writeCachedAdd } from './state.js';

/** libcni's defaults: host-local's dataDir and the results cache, shared by every runtime on the host. */
export const CNI_DATA_DIR = '/var/lib/cni/networks';
export const CNI_CACHE_DIR = '/var/lib/cni';

export interface CniPodNetworkOptions {
  name: string;
  cidr: string;
  binDir: string;
  dataDir?: string;
  cacheDir?: string;
  log?: Logger;
}

export class CniPodNetwork {
  readonly name: string;
  readonly #o: CniPodNetworkOptions;
  /** The full list (bridge + portmap), for a DEL without a cached ADD. */
  readonly #list: ConfList;
  /** Without portmap, for pods without hostPorts. */
  readonly #bridgeOnly: ConfList;
  readonly #gateway: string;
  readonly #bits: number;
  readonly #bridge: string;
  /** Sandbox ID → pod IP: filled by setUp and, at init, from host-local's state. */
  readonly #ips = new Map<string, string>();

  constructor(o: CniPodNetworkOptions) {
    // The CNI spec's rule for network names; the name is also a directory (host-local's) and
    // part of a file name (the cache), so nothing else may get through.
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(o.name))
      throw new Error(`invalid CNI network name "${o.name}": letters, digits, '_', '.' and '-' only`);
    const gw = gatewayOf(o.cidr);
    if (!gw) throw new Error(`invalid pod CIDR "${o.cidr}" for the CNI network: an IPv4 CIDR of /30 or larger`);
    this.#o = o;
    this.name = o.name;
    this.#gateway = gw.gateway;
    this.#bits = gw.bits;
    this.#bridge = bridgeName(o.name);
    const spec = {
      name: o.name,
      bridge: this.#bridge,
      subnet: o.cidr,
      gateway: gw.gateway,
      dataDir: o.dataDir ?? CNI_DATA_DIR,
    };
    this.#list = netConfList(spec, true);
    this.#bridgeOnly = netConfList(spec, false);
  }

  get bridge(): string {
    return this.#bridge;
  }

  /**
   * Make the bridge with the gateway address (the node's IP as the pods see it), learn the
   * IPs of existing sandboxes, and release those whose sandbox is not running any more.
   */
  async init(running: () => Promise<Set<string>>): Promise<string> {
    await ensureBridge(this.#bridge, this.#o.cidr, `${this.#gateway}/${this.#bits}`);
    await ensureHostRules(this.#bridge, this.#o.cidr, this.name);
    // Allocations first, then what runs: a sandbox is started before its ADD, so one whose
    // allocation we saw is in the later list unless it stopped — in the other order another
    // agent's sandbox set up in between would look gone and lose its IP.
    const allocations = readAllocations(this.#dataDir, this.name);
    const alive = await running();
    for (const [ip, id] of allocations) {
      if (alive.has(id)) {
        this.#ips.set(id, ip);
        continue;
      }
      await this.#del(id, { cniVersion: this.#list.cniVersion, ips: [{ address: `${ip}/${this.#bits}` }] }).then(
        () => this.#o.log?.info({ ip, sandbox: id.slice(0, 12) }, 'released the pod IP of a sandbox that is gone'),
        (err) => this.#o.log?.warn({ ip, sandbox: id.slice(0, 12), err: errorMessage(err) }, 'cannot release pod IP'),
      );
    }
    return this.#gateway;
  }

  get #dataDir(): string {
    return this.#o.dataDir ?? CNI_DATA_DIR;
  }
  get #cacheDir(): string {
    return this.#o.cacheDir ?? CNI_CACHE_DIR;
  }

  /** The pod IP of a sandbox this network set up (or found at init). */
  ipOf(sandboxId: string): string | undefined {
    return this.#ips.get(sandboxId);
  }

  /**
   * ADD on the started sandbox's netns; returns the pod IP. Idempotent for a sandbox
   * that already has one (a reused sandbox after a crash). On failure what the plugins
   * did is undone (cri-dockerd tears down after a failed SetUpPod).
   */
  async setUp(sandboxId: string, pid: number, pod: ValidPod): Promise<string> {
    const known = this.#ips.get(sandboxId);
    if (known) return known;
    const maps = portMappings(pod);
    const list = maps.length > 0 ? this.#list : this.#bridgeOnly;
    const capabilityArgs = { portMappings: maps };
    const inv = { binDir: this.#o.binDir, containerId: sandboxId, netns: `/proc/${pid}/ns/net`, capabilityArgs };
    let result: CniResult;
    try {
      result = await addNetworkList(list, inv);
    } catch (err) {
      await delNetworkList(list, { ...inv, netns: '' }, undefined).catch(() => undefined);
      throw err;
    }
    const ip = resultIPv4(result);
    if (!ip) {
      await delNetworkList(list, { ...inv, netns: '' }, result).catch(() => undefined);
      throw new Error(`CNI network ${this.name} returned no IPv4 address`);
    }
    writeCachedAdd(this.#cacheDir, {
      kind: 'cniCacheV1',
      containerId: sandboxId,
      ifName: CNI_IFNAME,
      networkName: this.name,
      capabilityArgs,
      result,
      config: list,
    });
    this.#ips.set(sandboxId, ip);
    return ip;
  }

  /**
   * DEL for a sandbox this network set up; a no-op for any other container (so callers
   * need not know which container is a sandbox). `netns` is asked for only then: the
   * running sandbox's, so the bridge plugin also removes eth0 — a released IP must not
   * stay on a pod that is still stopping, or the next pod could get it meanwhile. '' for
   * a sandbox no longer running: its interface went with its namespace.
   */
  async tearDown(sandboxId: string, netns: () => Promise<string> = async () => ''): Promise<void> {
    const cached = readCachedAdd(this.#cacheDir, this.name, sandboxId);
    if (!cached && !this.#ips.has(sandboxId)) return;
    await this.#del(sandboxId, cached?.result, cached?.capabilityArgs, cached?.config, await netns());
  }

  async #del(
    sandboxId: string,
    prev: CniResult | undefined,
    capabilityArgs: Record<string, unknown> = {},
    list: ConfList = this.#list,
    netns = '',
  ): Promise<void> {
    await delNetworkList(list, { binDir: this.#o.binDir, containerId: sandboxId, netns, capabilityArgs }, prev);
    removeCachedAdd(this.#cacheDir, this.name, sandboxId);
    this.#ips.delete(sandboxId);
  }
}

/**
 * DEL from the cached ADD alone (its network, plugins and settings), for a sandbox removed
 * outside an agent (test cleanup, `minikubelet` tooling); false when nothing was cached.
 */
export async function tearDownCached(
  sandboxId: string,
  network: string,
  binDir: string,
  cacheDir = CNI_CACHE_DIR,
): Promise<boolean> {
  const cached = readCachedAdd(cacheDir, network, sandboxId);
  if (!cached?.config) return false;
  await delNetworkList(
    cached.config,
    { binDir, containerId: sandboxId, netns: '', capabilityArgs: cached.capabilityArgs },
    cached.result,
  );
  removeCachedAdd(cacheDir, network, sandboxId);
  return true;
}
