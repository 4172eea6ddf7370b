// The kubelet's part of a new sandbox (kuberuntime_sandbox.go generatePodSandboxConfig):
// hostname and domain (kubelet_pods.go GeneratePodHostNameAndDomain), the kernel
// hostname (pkg/kubelet/util/util.go GetNodenameForKernel) and the DNS settings
// (pkg/kubelet/network/dns/dns.go GetPodDNS), with that function's events.
import { readFileSync } from 'node:fs';
import type { ValidPod } from '../apis/core/types.js';
import { podHostname } from '../apis/core/pod-util.js';
import { podDns, resolvConfContent } from '../container/pod-dns.js';
import type { EventSink, NodeEventSink } from '../events/recorder.js';
import type { SandboxConfig } from '../runtime/runtime.js';

export interface DnsSettings {
  /** --resolv-conf ('' = none). */
  resolvConf: string;
  /** --cluster-domain. */
  clusterDomain: string;
  /** MissingClusterDNS is also recorded on the Node, as the kubelet does. */
  nodeEvents?: NodeEventSink;
}

/** The longest FQDN a kernel hostname may hold (GetNodenameForKernel). */
const MAX_FQDN_LENGTH = 64;

const MISSING_CLUSTER_DNS =
  'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.';

/** `<subdomain>.<namespace>.svc.<cluster-domain>`, or '' without a subdomain. */
export function podHostDomain(pod: ValidPod, clusterDomain: string): string {
  return pod.spec.subdomain ? `${pod.spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}` : '';
}

/** GetNodenameForKernel: the FQDN with setHostnameAsFQDN and a domain, else the hostname. */
export function kernelHostname(hostname: string, hostDomain: string, setHostnameAsFQDN: boolean | undefined): string {
  if (!setHostnameAsFQDN || !hostDomain) return hostname;
  const fqdn = `${hostname}.${hostDomain}`;
  if (fqdn.length > MAX_FQDN_LENGTH)
    throw new Error(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${MAX_FQDN_LENGTH} characters is the max, ${fqdn.length} characters requested)`,
    );
  return fqdn;
}

/** format.Pod: `name_namespace(uid)`. */
function podRef(pod: ValidPod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** Throws (the sandbox is not created) on an FQDN too long or an unreadable --resolv-conf. */
export function sandboxConfig(deps: { events: EventSink }, dns: DnsSettings, pod: ValidPod): SandboxConfig {
  const hostname = podHostname(pod);
  const hostDomain = podHostDomain(pod, dns.clusterDomain);
  const kernel = kernelHostname(hostname, hostDomain, pod.spec.setHostnameAsFQDN);
  const nodeResolv = dns.resolvConf === '' ? undefined : readFileSync(dns.resolvConf, 'utf8');
  const { config, missingClusterDNS, droppedNameservers } = podDns(pod, nodeResolv);
  if (missingClusterDNS) {
    dns.nodeEvents?.nodeEvent('Warning', 'MissingClusterDNS', MISSING_CLUSTER_DNS);
    deps.events.event(pod, 'Warning', 'MissingClusterDNS', `pod: "${podRef(pod)}". ${MISSING_CLUSTER_DNS}`);
  }
  if (droppedNameservers) {
    deps.events.event(
      pod,
      'Warning',
      'DNSConfigForming',
      `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${config.servers.join(' ')}`,
    );
  }
  return { kernelHostname: kernel, hostname, hostDomain, resolvConf: resolvConfContent(config) };
}
