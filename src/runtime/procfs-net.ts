// What a network namespace looks like from inside, read from procfs text: the kernel's
// own views in /proc/<pid>/net (per the task's network namespace), parsed without tools
// so it also works for containers that have none (pause, distroless). Pure.

export interface Route {
  iface: string;
  /** `default` or a CIDR, e.g. `172.18.0.0/16`. */
  destination: string;
  /** The next hop, absent for a directly connected network. */
  gateway?: string;
}

export interface Listener {
  proto: 'tcp' | 'tcp6';
  address: string;
  port: number;
}

/** A little-endian hex IPv4 address as /proc/net/route writes it (`010012AC` = 172.18.0.1). */
function hexToIPv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

function maskBits(hexMask: string): number {
  let n = Number.parseInt(hexMask, 16) >>> 0;
  let bits = 0;
  while (n) {
    bits += n & 1;
    n >>>= 1;
  }
  return bits;
}

/** /proc/net/route: the IPv4 routing table (`ip route`). */
export function parseRoutes(text: string): Route[] {
  const out: Route[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    const [iface, dest, gw, , , , , mask] = f as [string, string, string, ...string[]];
    const bits = maskBits(mask!);
    const destination = bits === 0 && dest === '00000000' ? 'default' : `${hexToIPv4(dest)}/${bits}`;
    const gateway = gw === '00000000' ? undefined : hexToIPv4(gw);
    out.push({ iface, destination, ...(gateway ? { gateway } : {}) });
  }
  return out;
}

/** `default via 172.18.0.1 dev eth0` — how `ip route` prints a route. */
export function formatRoute(r: Route): string {
  return `${r.destination}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.iface}`;
}

function hexToIPv6(hex: string): string {
  // /proc/net/tcp6 writes four 32-bit words, each in host (little-endian) byte order.
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (let b = 3; b >= 0; b--) bytes.push(Number.parseInt(word.slice(b * 2, b * 2 + 2), 16));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  const full = groups.join(':');
  // The longest run of zero groups becomes `::` (RFC 5952).
  const runs = [...full.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)].sort((a, b) => b[0].length - a[0].length);
  if (!runs.length) return full;
  const r = runs[0]!;
  return `${full.slice(0, r.index)}::${full.slice(r.index! + r[0].length)}`.replace(/^:::/, '::').replace(/:::$/, '::');
}

/** /proc/net/tcp or tcp6: the sockets in LISTEN state (st 0A). */
export function parseListeners(text: string, proto: 'tcp' | 'tcp6'): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || f[3] !== '0A') continue;
    const [addr, port] = f[1]!.split(':') as [string, string];
    const address = proto === 'tcp' ? hexToIPv4(addr) : hexToIPv6(addr);
    out.push({ proto, address, port: Number.parseInt(port, 16) });
  }
  return out.sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
}

/** /proc/net/fib_trie: the IPv4 addresses assigned in the namespace (`/32 host LOCAL`), loopback left out. */
export function parseLocalAddresses(text: string): string[] {
  const found = new Set<string>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (!/\/32 host LOCAL/.test(lines[i]!)) continue;
    const m = /\|--\s+(\d+\.\d+\.\d+\.\d+)/.exec(lines[i - 1]!);
    if (m && !m[1]!.startsWith('127.')) found.add(m[1]!);
  }
  return [...found];
}
