// The pod network: one user-defined Docker bridge every sandbox joins. Unlike the
// default bridge it has the embedded DNS, and its gateway is the node's address as
// seen from the pods (our status.hostIP).
import type { Logger } from '../util/logger.js';
import { type DockerClient, type NetworkInspectInfo, isConflict, isEngineNotFound } from './docker-client.js';
import { LABEL } from './labels.js';

export const POD_NETWORK_LABEL_VALUE = 'pods';

/** Create the network if absent (a concurrent creator is fine) and return its gateway. */
export async function ensurePodNetwork(
  docker: DockerClient,
  name: string,
  cidr: string,
  log?: Logger,
): Promise<string> {
  let net = await inspectOrUndefined(docker, name);
  if (!net) {
    try {
      await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Attachable: false,
        IPAM: { Driver: 'default', Config: [{ Subnet: cidr }] },
        Labels: { [LABEL.network]: POD_NETWORK_LABEL_VALUE },
      });
      log?.info({ network: name, cidr }, 'created pod network');
    } catch (err) {
      // Another agent (or a parallel test) created it between our inspect and create.
      if (!isConflict(err))
        throw new Error(`cannot create pod network ${name} (${cidr}): ${(err as Error).message}`, { cause: err });
    }
    net = await docker.inspectNetwork(name);
  }
  const config = net.IPAM?.Config?.[0];
  const subnet = config?.Subnet;
  // Reused as is: moving running pods to a new subnet is not ours to decide.
  if (subnet && subnet !== cidr)
    log?.warn({ network: name, subnet, wanted: cidr }, 'pod network exists with another subnet; using it');
  const gateway = config?.Gateway ?? (subnet ? firstHost(subnet) : undefined);
  if (!gateway) throw new Error(`pod network ${name} has no IPv4 gateway`);
  return gateway;
}

async function inspectOrUndefined(docker: DockerClient, name: string): Promise<NetworkInspectInfo | undefined> {
  try {
    return await docker.inspectNetwork(name);
  } catch (err) {
    if (isEngineNotFound(err)) return undefined;
    throw err;
  }
}

/** The first host address of an IPv4 subnet (Docker's default gateway choice). */
export function firstHost(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return undefined;
  const bits = Number(m[5]);
  const addr = m.slice(1, 5).reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const host = (((addr & mask) >>> 0) + 1) >>> 0;
  return [24, 16, 8, 0].map((s) => (host >>> s) & 255).join('.');
}
