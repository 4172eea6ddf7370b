// `minikubelet port-forward POD [LOCAL:]REMOTE...`: kubectl port-forward over the same API
// (k8s.io/kubectl pkg/cmd/portforward/portforward.go, client-go tools/portforward): one
// SPDY connection to the pod, local listeners on --address (default localhost: 127.0.0.1
// and ::1), one pair of streams per local connection. Unlike kubectl 1.32, an error on one
// connection (e.g. nothing listens on the pod's port) is reported and the others go on.
import { createServer, type Server, type Socket } from 'node:net';
import { PortForwarder } from '../client/port-forwarder.js';
import { str, wantsHelp } from './args.js';
import { connect } from './client-verbs.js';

export const PORT_FORWARD_HELP = `Forward one or more local ports to a pod.

Usage:
  minikubelet port-forward POD [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]

Examples:
  minikubelet port-forward web 8080:80        # localhost:8080 -> port 80 of pod web
  minikubelet port-forward pod/web 80         # the same port locally
  minikubelet port-forward web :80            # a free local port, printed
  minikubelet port-forward --address 0.0.0.0 web 8080:80

Options:
      --address LIST     addresses to listen on, comma-separated (default localhost:
                         127.0.0.1 and ::1)
  -n, --namespace NS     the pod's namespace
      --kubeconfig FILE  the agent's kubeconfig

Runs until interrupted (Ctrl-C) or the connection to the pod is lost.
`;

export interface PortMapping {
  local: number;
  remote: number;
}

/** `80`, `8080:80`, `:80` (local port 0: any free one), as kubectl parses them (portforward.go parsePorts). */
export function parsePortSpec(spec: string): PortMapping {
  const parts = spec.split(':');
  if (parts.length > 2) throw new Error(`invalid port format '${spec}'`);
  const [localText, remoteText] = parts.length === 2 ? parts : [parts[0]!, parts[0]!];
  const remote = parsePort(remoteText!, 'remote', spec);
  if (remote === 0) throw new Error(`remote port must be > 0`);
  const local = localText === '' ? 0 : parsePort(localText!, 'local', spec);
  return { local, remote };
}

function parsePort(text: string, which: string, spec: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535)
    throw new Error(`error parsing ${which} port '${text}' in '${spec}': invalid syntax`);
  return Number(text);
}

/** `--address localhost` listens on both loopbacks, as kubectl does. */
export function listenAddresses(flag: string | undefined): string[] {
  const list = (flag ?? 'localhost')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  return [...new Set(list.flatMap((a) => (a === 'localhost' ? ['127.0.0.1', '::1'] : [a])))];
}

const hostPort = (address: string, port: number) =>
  address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;

export async function portForward(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(PORT_FORWARD_HELP);
    return 0;
  }
  const { client, namespace, p } = connect(argv, { address: { type: 'string' } });
  const [target, ...specs] = p.positionals;
  if (!target || specs.length === 0) throw new Error('TYPE/NAME and list of ports are required for port-forward');
  const name = target.includes('/') ? target.split('/', 2)[1]! : target;
  const mappings = specs.map(parsePortSpec);
  const pod = await client.getPod(namespace, name);
  if (pod.status?.phase !== 'Running')
    throw new Error(
      `unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Unknown'}`,
    );

  let lost!: () => void;
  const connectionLost = new Promise<void>((resolve) => {
    lost = resolve;
  });
  const forwarder = await PortForwarder.connect(client, namespace, name, () => lost());
  const servers: Server[] = [];
  const close = () => {
    for (const s of servers) s.close();
    forwarder.close();
  };
  try {
    for (const m of mappings) await listenAll(servers, forwarder, m, listenAddresses(str(p, 'address')));
  } catch (err) {
    close();
    throw err;
  }
  const interrupted = new Promise<'interrupted'>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('interrupted'));
  });
  const outcome = await Promise.race([connectionLost.then(() => 'lost' as const), interrupted]);
  close();
  if (outcome === 'lost') throw new Error('lost connection to pod');
  return 0;
}

/** Listens for one mapping on every address; a loopback that does not exist (no IPv6) is skipped, as kubectl does. */
async function listenAll(servers: Server[], f: PortForwarder, m: PortMapping, addresses: string[]): Promise<void> {
  let local = m.local;
  let listening = 0;
  for (const address of addresses) {
    const server = createServer((sock) => void handle(f, sock, local, m.remote));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(local, address, () => resolve());
      });
    } catch (err) {
      if (address === '::1' && addresses.includes('127.0.0.1')) continue;
      throw new Error(`unable to listen on port ${local}: ${err instanceof Error ? err.message : String(err)}`);
    }
    servers.push(server);
    listening++;
    // `:80` picks a free port on the first address; the others use the same one.
    local = (server.address() as { port: number }).port;
    process.stdout.write(`Forwarding from ${hostPort(address, local)} -> ${m.remote}\n`);
  }
  if (listening === 0) throw new Error(`unable to listen on any of the requested ports: [${m.local}:${m.remote}]`);
}

async function handle(f: PortForwarder, sock: Socket, local: number, remote: number): Promise<void> {
  process.stdout.write(`Handling connection for ${local}\n`);
  const { error } = await f.forward(sock, remote);
  if (error) process.stderr.write(`error: an error occurred forwarding ${local} -> ${remote}: ${error}\n`);
}
