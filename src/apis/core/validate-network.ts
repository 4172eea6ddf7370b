// The pod's network identity as the API server validates it
// (pkg/apis/core/validation/validation.go validatePodDNSConfig, validateHostNetwork,
// ValidateHostAliases).
import { isIP } from 'node:net';
import type { FieldError } from '../../util/errors.js';
import { child, index, invalid, nameErrors, required } from './field.js';
import { isDNS1123Subdomain } from './names.js';
import type { PodSpec } from './types.js';

const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;
const MAX_DNS_SEARCH_LIST_CHARS = 2048;
const IP_DETAIL = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** validatePodDNSConfig: None needs nameservers; at most 3 valid IPs, 32 searches of 2048 characters, named options. */
export function validatePodDNSConfig(spec: PodSpec, path = 'spec.dnsConfig'): FieldError[] {
  const dns = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!dns) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!dns.nameservers?.length)
      return [
        required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'),
      ];
  }
  if (!dns) return [];
  const errs: FieldError[] = [];
  const ns = dns.nameservers ?? [];
  if (ns.length > MAX_DNS_NAMESERVERS)
    errs.push(invalid(child(path, 'nameservers'), ns, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  ns.forEach((ip, i) => {
    if (isIP(ip) === 0) errs.push(invalid(index(child(path, 'nameservers'), i), ip, IP_DETAIL));
  });
  const searches = dns.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS)
    errs.push(
      invalid(child(path, 'searches'), searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`),
    );
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS)
    errs.push(
      invalid(
        child(path, 'searches'),
        searches,
        `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`,
      ),
    );
  searches.forEach((s, i) => {
    // A trailing dot is fine.
    errs.push(...nameErrors(index(child(path, 'searches'), i), s.replace(/\.$/, ''), isDNS1123Subdomain));
  });
  (dns.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(required(index(child(path, 'options'), i), 'must not be empty'));
  });
  return errs;
}

/** validateHostNetwork: with the host's network a container port is the host port. */
export function validateHostNetwork(spec: PodSpec): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  const check = (kind: 'containers' | 'initContainers') =>
    (spec[kind] ?? []).forEach((c, ci) => {
      (c.ports ?? []).forEach((p, pi) => {
        if (p.hostPort !== p.containerPort)
          errs.push(
            invalid(
              `spec.${kind}[${ci}].ports[${pi}].hostPort`,
              p.hostPort,
              'must match `containerPort` when `hostNetwork` is true',
            ),
          );
      });
    });
  check('containers');
  check('initContainers');
  return errs;
}
