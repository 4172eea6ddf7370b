// The names and addresses the serving certificate must cover, so every address a
// client may dial verifies: loopback always, the --listen host, --tls-san names and,
// for a wildcard listen, the host's own names and addresses.
import { isIP } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';

export interface SubjectAltNames {
  dns: string[];
  ips: string[];
}

const WILDCARDS = new Set(['', '0.0.0.0', '::']);

export interface HostIdentity {
  hostname: string;
  /** Non-loopback interface addresses. */
  addresses: string[];
}

/** This machine's name and addresses, for a wildcard listen. */
export function localIdentity(): HostIdentity {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal)
    .map((a) => a!.address.replace(/%.*$/, ''));
  return { hostname: hostname().toLowerCase(), addresses };
}

/**
 * SANs for a server listening on `listenHost`: 127.0.0.1, ::1 and localhost, the
 * listen host, each extra name (an IP or a DNS name), sorted and without repeats.
 */
export function servingSans(listenHost: string, extra: readonly string[] = [], host?: HostIdentity): SubjectAltNames {
  const names = ['localhost', '127.0.0.1', '::1', ...extra];
  if (WILDCARDS.has(listenHost)) {
    const id = host ?? localIdentity();
    names.push(id.hostname, ...id.addresses);
  } else names.push(listenHost);
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const raw of names) {
    const n = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (n === '') continue;
    if (isIP(n)) ips.add(n);
    else dns.add(n.toLowerCase());
  }
  return { dns: [...dns].sort(), ips: [...ips].sort() };
}
