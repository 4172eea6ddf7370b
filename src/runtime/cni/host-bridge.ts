// The CNI network's bridge on the host, made at agent start: the API listens on its
// gateway address (KUBERNETES_SERVICE_HOST for pods) before any pod exists, and the
// bridge plugin finds it with that address and reuses it (plugins/main/bridge
// ensureBridge/ensureAddr). Before that, the pod CIDR must not overlap an address of
// another interface (a Docker network's bridge, an old run's): two bridges with one
// subnet break routing for both. The network's iptables rules are made here too, once:
// egress masquerade and the FORWARD accepts Docker's DROP policy needs (see conf.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cidrsOverlap } from './conf.js';

const run = promisify(execFile);

export interface HostAddress {
  ifname: string;
  /** `10.244.0.1/16` */
  cidr: string;
}

/** `ip -j -4 addr show` → every IPv4 address with its interface (pure). */
export function parseIpAddrJson(json: string): HostAddress[] {
  const links = JSON.parse(json) as {
    ifname?: string;
    addr_info?: { family?: string; local?: string; prefixlen?: number }[];
  }[];
  const out: HostAddress[] = [];
  for (const l of links) {
    for (const a of l.addr_info ?? []) {
      if (a.family === 'inet' && l.ifname && a.local && a.prefixlen !== undefined)
        out.push({ ifname: l.ifname, cidr: `${a.local}/${a.prefixlen}` });
    }
  }
  return out;
}

/**
 * Why the bridge cannot be set up with this CIDR, or undefined: another interface has an
 * overlapping address, or the bridge itself has another one (pure).
 */
export function bridgeConflict(
  addrs: HostAddress[],
  bridge: string,
  cidr: string,
  gatewayCidr: string,
): string | undefined {
  for (const a of addrs) {
    if (a.ifname === bridge) {
      if (a.cidr !== gatewayCidr)
        return `bridge ${bridge} already has address ${a.cidr}, not ${gatewayCidr}; remove it (ip link del ${bridge}) or choose the CIDR it was made with`;
    } else if (cidrsOverlap(a.cidr, cidr)) {
      return `pod CIDR ${cidr} overlaps ${a.cidr} of interface ${a.ifname} (another network on this host); choose another --pod-cidr`;
    }
  }
  return undefined;
}

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args, { timeout: 10_000 });
  return stdout;
}

/** Create the bridge with its gateway address if absent and bring it up; idempotent across agents. */
export async function ensureBridge(bridge: string, cidr: string, gatewayCidr: string): Promise<void> {
  const conflict = bridgeConflict(parseIpAddrJson(await ip('-j', '-4', 'addr', 'show')), bridge, cidr, gatewayCidr);
  if (conflict) throw new Error(`cannot set up the CNI pod network: ${conflict}`);
  await ip('link', 'add', 'name', bridge, 'type', 'bridge').catch(tolerate(/File exists/));
  await ip('addr', 'add', gatewayCidr, 'dev', bridge).catch(tolerate(/File exists|Address already assigned/));
  await ip('link', 'set', bridge, 'up');
}

/** Another agent made it between our look and our call: fine. */
const tolerate = (what: RegExp) => (err: { stderr?: string; message: string }) => {
  if (!what.test(`${err.stderr ?? ''} ${err.message}`)) throw err;
};

/**
 * The network's iptables rules, as `iptables -S` arguments (pure): pods' traffic to
 * outside the pod CIDR leaves masqueraded (the bridge plugin's ipMasq), and FORWARD —
 * whose policy Docker sets to DROP — lets out what comes from the bridge and back in
 * the replies (the firewall plugin's per-pod rules, for the whole bridge).
 */
export function hostRules(
  bridge: string,
  cidr: string,
  network: string,
): { table: string; chain: string; rule: string[] }[] {
  const comment = ['-m', 'comment', '--comment', `minikubelet pod network ${network}`];
  return [
    { table: 'nat', chain: 'POSTROUTING', rule: ['-s', cidr, '!', '-d', cidr, ...comment, '-j', 'MASQUERADE'] },
    { table: 'filter', chain: 'FORWARD', rule: ['-i', bridge, ...comment, '-j', 'ACCEPT'] },
    {
      table: 'filter',
      chain: 'FORWARD',
      rule: ['-o', bridge, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...comment, '-j', 'ACCEPT'],
    },
  ];
}

/** Append each rule unless present (-C); `-w` waits for the xtables lock other agents may hold. */
export async function ensureHostRules(bridge: string, cidr: string, network: string): Promise<void> {
  for (const r of hostRules(bridge, cidr, network)) {
    const present = await run('iptables', ['-w', '-t', r.table, '-C', r.chain, ...r.rule], { timeout: 10_000 }).then(
      () => true,
      () => false,
    );
    if (!present) await run('iptables', ['-w', '-t', r.table, '-A', r.chain, ...r.rule], { timeout: 10_000 });
  }
}
