// The pod's /etc/hosts as the kubelet writes it (pkg/kubelet/kubelet_pods.go
// makeHostsMount, managedHostsFileContent, nodeHostsFileContent,
// hostsEntriesFromHostAliases): a managed file for pods on the pod network, the node's
// own file (with a different header) for hostNetwork pods; hostAliases appended to both.
import type { PodSpec } from '../apis/core/types.js';

const MANAGED_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';

type HostAliases = PodSpec['hostAliases'];

/** hostsEntriesFromHostAliases: a blank line, a comment, then one `ip\tname\tname…` line per alias. */
function hostAliasEntries(aliases: HostAliases): string {
  if (!aliases?.length) return '';
  const lines = aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`);
  return `\n# Entries added by HostAliases.\n${lines.join('')}`;
}

/** managedHostsFileContent: localhost lines, then each pod IP with `hostname[.domain]`, then the aliases. */
export function managedHostsFileContent(
  podIPs: string[],
  hostname: string,
  hostDomain: string,
  aliases: HostAliases,
): string {
  let out = MANAGED_HEADER;
  out += '127.0.0.1\tlocalhost\n';
  out += '::1\tlocalhost ip6-localhost ip6-loopback\n';
  out += 'fe00::0\tip6-localnet\n';
  out += 'fe00::0\tip6-mcastprefix\n';
  out += 'fe00::1\tip6-allnodes\n';
  out += 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) {
    out += hostDomain ? `${ip}\t${hostname}.${hostDomain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  }
  return out + hostAliasEntries(aliases);
}

/** nodeHostsFileContent: the node's hosts file under its own header, then the aliases. */
export function nodeHostsFileContent(nodeHosts: string, aliases: HostAliases): string {
  return MANAGED_HEADER_HOST_NETWORK + nodeHosts + hostAliasEntries(aliases);
}
