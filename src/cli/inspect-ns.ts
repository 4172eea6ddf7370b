// `minikubelet inspect-ns POD`: the namespace identities of the pod's pause container and
// of each of its containers side by side, and what each sees of the network — proof of
// what a pod shares. `describe pod` adds the short form (sandbox-section.ts). The pod comes
// from the API; the containers from the engine the agent uses (same host).
import type { Pod } from '../apis/core/types.js';
import { createDockerClient } from '../runtime/docker-client.js';
import {
  type ContainerView,
  inspectPodNamespaces,
  NAMESPACE_KINDS,
  type PodNamespaces,
  relation,
} from '../runtime/pod-namespaces.js';
import { formatRoute } from '../runtime/procfs-net.js';
import { GET_TABWRITER, tabify } from '../printers/tabwriter.js';

const tabulate = (rows: string[][]) => tabify(`${rows.map((r) => r.join('\t')).join('\n')}\n`, GET_TABWRITER);
import { str, wantsHelp } from './args.js';
import { connect } from './client-verbs.js';

export const INSPECT_NS_HELP = `Show which Linux namespaces a pod's containers share with its pause container.

Usage: minikubelet inspect-ns POD [-n NAMESPACE] [-o json] [--docker-host URL]

For the pause (sandbox) container and each running container: the identity of its net, ipc, uts,
pid, mnt, cgroup and user namespaces (from the host's /proc/<pid>/ns, or by exec in the container
where the host's /proc does not show it), marked shared (the pause container's), own, or host;
then the hostname, IPv4 addresses, routes and listening TCP sockets each container sees.
`;

export async function inspectNs(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(INSPECT_NS_HELP);
    return 0;
  }
  const { client, namespace, p } = connect(argv, {
    output: { type: 'string', short: 'o' },
    'docker-host': { type: 'string' },
  });
  const [name] = p.positionals;
  if (!name) throw new Error('a pod name is required: minikubelet inspect-ns POD');
  const pod = await client.getPod(namespace, name);
  const report = await inspectPodNamespaces({ docker: createDockerClient(str(p, 'docker-host')) }, pod.metadata!.uid!);
  if (!report) throw new Error(`pod ${namespace}/${name} has no running sandbox`);
  const format = str(p, 'output');
  if (format === 'json') process.stdout.write(`${JSON.stringify(inspectNsJson(pod, report), null, 2)}\n`);
  else if (format === undefined || format === 'wide') process.stdout.write(inspectNsText(pod, report));
  else
    throw new Error(`unable to match a printer suitable for the output format "${format}", allowed formats are: json`);
  return 0;
}

export function inspectNsJson(pod: Pod, r: PodNamespaces): object {
  const entry = (c: ContainerView) => ({
    ...c,
    sharing: Object.fromEntries(NAMESPACE_KINDS.map((k) => [k, relation(k, c, r.sandbox, r.host)])),
  });
  return {
    pod: {
      namespace: pod.metadata!.namespace,
      name: pod.metadata!.name,
      uid: pod.metadata!.uid,
      podIP: pod.status?.podIP,
    },
    sandbox: entry(r.sandbox),
    containers: r.containers.map(entry),
    host: r.host,
  };
}

/** `net:[4026532301]` → `4026532301`. */
const nsId = (v: string | undefined) => (v ? (/\[(\d+)\]/.exec(v)?.[1] ?? v) : '?');

export function inspectNsText(pod: Pod, r: PodNamespaces): string {
  const all = [r.sandbox, ...r.containers];
  const header = ['NAMESPACE', ...all.map((c) => (c.role === 'sandbox' ? 'POD (pause)' : c.name))];
  const rows = NAMESPACE_KINDS.map((k) => [
    k,
    ...all.map((c) => {
      const rel = relation(k, c, r.sandbox, r.host);
      return c === r.sandbox
        ? `${nsId(c.namespaces[k])}${rel === 'host' ? ' host' : ''}`
        : `${nsId(c.namespaces[k])} ${rel}`;
    }),
  ]);
  const net = all.map((c) => [
    c.role === 'sandbox' ? 'POD' : c.name,
    c.hostname ?? '?',
    c.addresses.join(',') || '-',
    c.listening
      .map((l) => `${l.proto} ${l.address.includes(':') ? `[${l.address}]` : l.address}:${l.port}`)
      .join(', ') || '-',
    c.routes.map(formatRoute).join('; ') || '-',
  ]);
  const sources = [...new Set(all.map((c) => c.source))].join(', ');
  return (
    `Pod ${pod.metadata!.namespace}/${pod.metadata!.name}  IP ${pod.status?.podIP ?? '-'}  pause container ${r.sandbox.id.slice(0, 12)} (pid ${r.sandbox.pid})\n` +
    `Namespaces (read from ${sources}; "shared" = the pause container's):\n` +
    tabulate([header, ...rows]) +
    '\nWhat each container sees:\n' +
    tabulate([['CONTAINER', 'HOSTNAME', 'IPV4', 'LISTENING', 'ROUTES'], ...net])
  );
}
