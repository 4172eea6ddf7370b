// The pod's DNS settings and its /etc/resolv.conf, as the kubelet computes them
// (pkg/kubelet/network/dns/dns.go GetPodDNS, getPodDNSType, parseResolvConf,
// appendDNSConfig, mergeDNSOptions, formDNSConfigFitsLimits) and as cri-dockerd writes
// them (core/helpers.go rewriteResolvFile). This node has no cluster DNS server
// (--cluster-dns is not an option), so ClusterFirst always takes the kubelet's
// fallback to Default, which the caller reports as MissingClusterDNS.
import type { ValidPod } from '../apis/core/types.js';

export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

/** validation.MaxDNSNameservers and the search limits of formDNSConfigFitsLimits. */
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_CHARS = 2048;

/** parseResolvConf: nameserver lines add up; the last `search` wins (a trailing `.` cut, `.` alone dropped); options accumulate. */
export function parseResolvConf(text: string): DnsConfig {
  const out: DnsConfig = { servers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '');
    const fields = line.split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    const [key, ...rest] = fields;
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    if (key === 'search') out.searches = rest.filter((s) => s !== '.').map((s) => s.replace(/\.$/, ''));
    if (key === 'options') out.options = mergeOptions(out.options, rest);
  }
  return out;
}

/** mergeDNSOptions: `name[:value]`, a later name replaces an earlier one (kept in first-seen order here; Go's map order is random). */
function mergeOptions(existing: string[], added: string[]): string[] {
  const byName = new Map<string, string>();
  for (const op of [...existing, ...added]) {
    const i = op.indexOf(':');
    byName.set(i === -1 ? op : op.slice(0, i), i === -1 ? '' : op.slice(i + 1));
  }
  return [...byName].map(([name, value]) => (value ? `${name}:${value}` : name));
}

function omitDuplicates(xs: string[]): string[] {
  return [...new Set(xs)];
}

export interface PodDnsResult {
  config: DnsConfig;
  /** ClusterFirst asked for, no cluster DNS: the kubelet's MissingClusterDNS warning applies. */
  missingClusterDNS: boolean;
  /** More than three nameservers: the kubelet drops the rest and warns (DNSConfigForming). */
  droppedNameservers: boolean;
}

/**
 * GetPodDNS without a cluster DNS: None starts empty, every other policy starts from
 * the node's resolv.conf (`nodeResolvConf` undefined = kubelet `--resolv-conf ""`:
 * 127.0.0.1 and search `.`); then spec.dnsConfig is appended.
 */
export function podDns(pod: ValidPod, nodeResolvConf: string | undefined): PodDnsResult {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  const clusterFirst =
    policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && pod.spec.hostNetwork !== true);
  let config: DnsConfig;
  if (policy === 'None') config = { servers: [], searches: [], options: [] };
  else if (nodeResolvConf === undefined) config = { servers: ['127.0.0.1'], searches: ['.'], options: [] };
  else config = parseResolvConf(nodeResolvConf);
  const extra = pod.spec.dnsConfig;
  if (extra) {
    config = {
      servers: omitDuplicates([...config.servers, ...(extra.nameservers ?? [])]),
      searches: omitDuplicates([...config.searches, ...(extra.searches ?? [])]),
      options: mergeOptions(
        config.options,
        (extra.options ?? []).map((o) => (o.value !== undefined ? `${o.name ?? ''}:${o.value}` : (o.name ?? ''))),
      ),
    };
  }
  const droppedNameservers = config.servers.length > MAX_NAMESERVERS;
  return { config: fitsLimits(config), missingClusterDNS: clusterFirst, droppedNameservers };
}

/** formDNSConfigFitsLimits: at most 3 nameservers, 32 search paths, 2048 characters of search line. */
function fitsLimits(c: DnsConfig): DnsConfig {
  let searches = c.searches.slice(0, MAX_SEARCH_PATHS);
  while (searches.join(' ').length > MAX_SEARCH_CHARS) searches = searches.slice(0, -1);
  return { servers: c.servers.slice(0, MAX_NAMESERVERS), searches, options: c.options };
}

/** rewriteResolvFile: nameserver lines, one search line, one options line. */
export function resolvConfContent(c: DnsConfig): string {
  const lines = c.servers.map((s) => `nameserver ${s}`);
  if (c.searches.length) lines.push(`search ${c.searches.join(' ')}`);
  if (c.options.length) lines.push(`options ${c.options.join(' ')}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
