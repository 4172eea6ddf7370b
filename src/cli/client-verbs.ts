// Client verbs (apply, get, describe, logs, delete) against a running agent's API,
// with kubectl's flags and output.
import { join } from 'node:path';
import { ApiClient } from '../client/api-client.js';
import { resolveKubeconfig } from '../client/kubeconfig.js';
import { defaultRootDir } from '../options.js';
import { CLIENT_FLAGS, bool, parse, str, type Parsed } from './args.js';
import { readManifestArgs } from './manifest-files.js';
import { followPulls } from './apply-progress.js';
import { printObject } from './output.js';
import { defaultContainer } from './default-container.js';
import { formatPodTable } from '../printers/pod-columns.js';
import { formatEventTable } from '../printers/event-columns.js';
import { describePod } from '../printers/describe-pod.js';
import { sandboxSection } from './sandbox-section.js';
import type { KubeEvent, Pod } from '../apis/core/types.js';

export interface Ctx {
  client: ApiClient;
  namespace: string;
  p: Parsed;
}

export function connect(argv: string[], extra: Parameters<typeof parse>[1]): Ctx {
  const p = parse(argv, { ...CLIENT_FLAGS, ...extra });
  const kc = resolveKubeconfig({
    ...(str(p, 'kubeconfig') ? { kubeconfig: str(p, 'kubeconfig')! } : {}),
    defaultPath: join(defaultRootDir(), 'kubeconfig'),
  });
  return { client: ApiClient.fromKubeconfig(kc), namespace: str(p, 'namespace') ?? kc.namespace ?? 'default', p };
}

export async function apply(argv: string[]): Promise<number> {
  const { client, namespace, p } = connect(argv, {
    filename: { type: 'string', short: 'f', multiple: true },
    progress: { type: 'boolean' },
  });
  const files = (p.values.filename as string[] | undefined) ?? [];
  if (files.length === 0) throw new Error('must specify one of -f and -k');
  const createdPods: { namespace: string; name: string }[] = [];
  for (const doc of readManifestArgs(files)) {
    const obj = doc.object as { kind?: string; metadata?: { name?: string; namespace?: string } };
    const created = await client.applyObject(obj.metadata?.namespace ?? namespace, doc.object);
    process.stdout.write(`${String(created.kind).toLowerCase()}/${created.metadata.name} ${created.action}\n`);
    if (created.kind === 'Pod' && created.action === 'created')
      createdPods.push({ namespace: created.metadata.namespace ?? namespace, name: created.metadata.name! });
  }
  // Image pull progress of the new pods: live bars on a TTY, plain lines with --progress.
  const tty = process.stdout.isTTY === true;
  if (tty || bool(p, 'progress')) await followPulls(client, createdPods, process.stdout, tty);
  return 0;
}

const GET_FLAGS = {
  output: { type: 'string', short: 'o' },
  watch: { type: 'boolean', short: 'w' },
  'all-namespaces': { type: 'boolean', short: 'A' },
} as const;

export async function get(argv: string[]): Promise<number> {
  const { client, namespace, p } = connect(argv, GET_FLAGS);
  const [resource, name] = splitResource(p.positionals);
  const ns = bool(p, 'all-namespaces') ? undefined : namespace;
  const out = str(p, 'output');
  switch (normaliseResource(resource)) {
    case 'pods':
      return getPods(client, ns, name, out, bool(p, 'watch'));
    case 'events':
      return getEvents(client, ns, bool(p, 'watch'), out);
    default:
      throw new Error(`the server doesn't have a resource type "${resource ?? ''}"`);
  }
}

async function getPods(
  client: ApiClient,
  ns: string | undefined,
  name: string | undefined,
  out: string | undefined,
  watch: boolean,
): Promise<number> {
  // Watch from the list's resourceVersion, so the watch sends only later changes.
  const list = name ? undefined : await client.listPodList(ns);
  const pods: Pod[] = name ? [await client.getPod(ns ?? 'default', name)] : list!.items;
  const rv = list?.metadata.resourceVersion ?? pods[0]?.metadata.resourceVersion;
  if (out === 'json' || out === 'yaml') {
    printObject(
      name ? pods[0] : { apiVersion: 'v1', kind: 'List', items: pods, metadata: { resourceVersion: '' } },
      out,
    );
    return 0;
  }
  if (out === 'name') {
    for (const pod of pods) process.stdout.write(`pod/${pod.metadata.name}\n`);
    return 0;
  }
  const wide = out === 'wide';
  if (pods.length === 0 && !watch) {
    process.stderr.write(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
    return 0;
  }
  const table = formatPodTable(pods, Date.now(), { wide, showNamespace: ns === undefined });
  process.stdout.write(table);
  if (!watch) return 0;
  await client.watchPods(
    ns,
    (e) => {
      if (name && e.object.metadata.name !== name) return;
      process.stdout.write(
        formatPodTable([e.object], Date.now(), { wide, showNamespace: ns === undefined, noHeaders: true }),
      );
    },
    undefined,
    rv ? { resourceVersion: rv } : {},
  );
  return 0;
}

async function getEvents(
  client: ApiClient,
  ns: string | undefined,
  watch: boolean,
  out: string | undefined,
): Promise<number> {
  const list = await client.listEventList(ns);
  const events: KubeEvent[] = list.items;
  if (out === 'json' || out === 'yaml') {
    printObject({ apiVersion: 'v1', kind: 'List', items: events, metadata: { resourceVersion: '' } }, out);
    return 0;
  }
  if (events.length === 0 && !watch)
    process.stderr.write(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
  else process.stdout.write(formatEventTable(events, Date.now()));
  if (watch) {
    await client.watchEvents(
      ns,
      (e) => {
        if (e.type === 'DELETED') return;
        process.stdout.write(formatEventTable([e.object], Date.now(), { noHeaders: true }));
      },
      undefined,
      { resourceVersion: list.metadata.resourceVersion },
    );
  }
  return 0;
}

export async function describe(argv: string[]): Promise<number> {
  const { client, namespace, p } = connect(argv, { 'docker-host': { type: 'string' } });
  const [resource, name] = splitResource(p.positionals);
  if (normaliseResource(resource) !== 'pods')
    throw new Error(`the server doesn't have a resource type "${resource ?? ''}"`);
  const pods = name ? [await client.getPod(namespace, name)] : await client.listPods(namespace);
  for (const pod of pods) {
    const events = await client.listEvents(namespace, `involvedObject.uid=${pod.metadata.uid}`);
    process.stdout.write(describePod(pod, events, Date.now()));
    // Beyond kubectl's describe: the pause container and what each container shares with it.
    process.stdout.write(await sandboxSection(pod, str(p, 'docker-host')));
  }
  return 0;
}

export async function logs(argv: string[]): Promise<number> {
  const { client, namespace, p } = connect(argv, {
    container: { type: 'string', short: 'c' },
    follow: { type: 'boolean', short: 'f' },
    previous: { type: 'boolean', short: 'p' },
    tail: { type: 'string' },
    timestamps: { type: 'boolean' },
    since: { type: 'string' },
    'limit-bytes': { type: 'string' },
  });
  const [name] = p.positionals;
  if (!name) throw new Error('expected POD');
  const pod = await client.getPod(namespace, name);
  const container = str(p, 'container') ?? defaultContainer(pod, (line) => process.stderr.write(`${line}\n`));
  const tail = str(p, 'tail');
  const stream = await client.podLogs(namespace, name, {
    ...(container ? { container } : {}),
    follow: bool(p, 'follow'),
    previous: bool(p, 'previous'),
    timestamps: bool(p, 'timestamps'),
    ...(tail !== undefined && Number(tail) >= 0 ? { tailLines: Number(tail) } : {}),
    ...(str(p, 'limit-bytes') ? { limitBytes: Number(str(p, 'limit-bytes')) } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(process.stdout, { end: false });
  });
  return 0;
}

export async function del(argv: string[]): Promise<number> {
  const { client, namespace, p } = connect(argv, {
    'grace-period': { type: 'string' },
    now: { type: 'boolean' },
    force: { type: 'boolean' },
    wait: { type: 'string' },
    filename: { type: 'string', short: 'f', multiple: true },
  });
  const targets: { ns: string; name: string }[] = [];
  for (const doc of readManifestArgs((p.values.filename as string[] | undefined) ?? [])) {
    const o = doc.object as { kind?: string; metadata?: { name?: string; namespace?: string } };
    if (o.kind === 'Pod' && o.metadata?.name)
      targets.push({ ns: o.metadata.namespace ?? namespace, name: o.metadata.name });
  }
  const [resource, ...names] = p.positionals;
  if (resource) {
    const [kind, slashName] = resource.split('/');
    if (normaliseResource(kind) !== 'pods') throw new Error(`the server doesn't have a resource type "${kind}"`);
    for (const n of slashName ? [slashName] : names) targets.push({ ns: namespace, name: n });
  }
  if (targets.length === 0) throw new Error('resource(s) were provided, but no name was specified');
  let grace = str(p, 'grace-period') !== undefined ? Number(str(p, 'grace-period')) : undefined;
  if (bool(p, 'now')) grace = 1;
  if (grace !== undefined && grace < 0) grace = undefined;
  const wait = str(p, 'wait') !== 'false';
  for (const t of targets) {
    await client.deletePod(t.ns, t.name, grace);
    if (wait) await client.waitForPodGone(t.ns, t.name, 10 * 60_000);
    process.stdout.write(`pod "${t.name}" ${grace === 0 && bool(p, 'force') ? 'force deleted' : 'deleted'}\n`);
  }
  return 0;
}

export function normaliseResource(r: string | undefined): string | undefined {
  if (!r) return undefined;
  const base = r.split('/')[0]!.toLowerCase();
  if (['po', 'pod', 'pods'].includes(base)) return 'pods';
  if (['ev', 'event', 'events'].includes(base)) return 'events';
  return base;
}

/** `get pod web` and `get pod/web` mean the same. */
function splitResource(positionals: string[]): [string | undefined, string | undefined] {
  const [first, second] = positionals;
  if (first?.includes('/')) {
    const [r, n] = first.split('/');
    return [r, n];
  }
  return [first, second];
}
