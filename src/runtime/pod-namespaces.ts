// Which Linux namespaces a pod's containers share with its pause (sandbox) container, and
// what the network looks like from inside each: the evidence behind "a pod is a set of
// containers sharing the pause container's namespaces" (`minikubelet inspect-ns`,
// `minikubelet describe pod`). Namespace identities are read from the host's
// /proc/<pid>/ns; where the host's /proc does not show the container's processes (the
// agent or CLI in a container without the host's PID namespace) each container is asked
// by exec instead, which needs a shell in the image.
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type ContainerInspectInfo, type DockerClient, isEngineNotFound } from './docker-client.js';
import { execCommand } from './exec.js';
import { DOCKER_TYPE_SANDBOX, LABEL, podUidFilter } from './labels.js';
import { type Listener, parseListeners, parseLocalAddresses, parseRoutes, type Route } from './procfs-net.js';

export const NAMESPACE_KINDS = ['net', 'ipc', 'uts', 'pid', 'mnt', 'cgroup', 'user'] as const;
export type NamespaceKind = (typeof NAMESPACE_KINDS)[number];

export interface ContainerView {
  /** `POD` for the sandbox, else the container's name. */
  name: string;
  role: 'sandbox' | 'container';
  id: string;
  pid: number;
  /** `net:[4026532301]`, or undefined when it could not be read. */
  namespaces: Partial<Record<NamespaceKind, string>>;
  /** How the namespaces and network were read. */
  source: 'host /proc' | 'exec' | 'unavailable';
  hostname?: string;
  addresses: string[];
  routes: Route[];
  listening: Listener[];
}

export interface PodNamespaces {
  sandbox: ContainerView;
  containers: ContainerView[];
  /** The node's namespaces (its init process's, else the inspecting process's): what "host" means. */
  host: Partial<Record<NamespaceKind, string>>;
}

/** How a container's namespace relates to the sandbox's and the host's. */
export function relation(
  kind: NamespaceKind,
  c: ContainerView,
  sandbox: ContainerView,
  host: PodNamespaces['host'],
): 'shared' | 'own' | 'host' | 'unknown' {
  const v = c.namespaces[kind];
  if (!v) return 'unknown';
  if (host[kind] === v) return 'host';
  return v === sandbox.namespaces[kind] ? 'shared' : 'own';
}

/** What HostConfig says a container joins of the sandbox (Docker's container:<id> modes). */
export function configuredSharing(sandboxId: string, hc: ContainerInspectInfo['HostConfig']): NamespaceKind[] {
  const joins = (mode: string | undefined) => mode === `container:${sandboxId}`;
  const out: NamespaceKind[] = [];
  // Docker's `container:` network mode joins the network namespace only: the container gets
  // a UTS namespace of its own holding a copy of the sandbox's hostname (inspect-ns shows it).
  if (joins(hc.NetworkMode)) out.push('net');
  if (joins(hc.IpcMode)) out.push('ipc');
  if (joins((hc as { PidMode?: string }).PidMode)) out.push('pid');
  return out;
}

export interface InspectDeps {
  docker: DockerClient;
  /** The host's procfs; tests point it elsewhere. */
  procRoot?: string;
  execTimeoutMs?: number;
}

/** The pod's sandbox and running containers, newest sandbox first; undefined when it has none. */
export async function inspectPodNamespaces(d: InspectDeps, uid: string): Promise<PodNamespaces | undefined> {
  const all = await d.docker.listContainers({ label: [podUidFilter(uid)], status: ['running'] }, false);
  const sandboxInfo = all
    .filter((c) => c.Labels[LABEL.dockerType] === DOCKER_TYPE_SANDBOX)
    .sort((a, b) => b.Created - a.Created)[0];
  if (!sandboxInfo) return undefined;
  const sandbox = await view(d, sandboxInfo.Id, 'POD', 'sandbox');
  const containers: ContainerView[] = [];
  for (const c of all.filter((x) => x.Labels[LABEL.dockerType] !== DOCKER_TYPE_SANDBOX)) {
    const v = await view(d, c.Id, c.Labels[LABEL.containerName] ?? c.Names[0] ?? c.Id, 'container');
    if (v) containers.push(v);
  }
  containers.sort((a, b) => a.name.localeCompare(b.name));
  if (!sandbox) return undefined;
  return { sandbox, containers, host: hostNamespaces(d.procRoot ?? '/proc') };
}

/** The node's namespaces: init's, else (where /proc/1 is not readable) this process's own. */
function hostNamespaces(procRoot: string): PodNamespaces['host'] {
  const out: PodNamespaces['host'] = {};
  for (const k of NAMESPACE_KINDS) {
    const v = readLinkOrUndefined(join(procRoot, '1', 'ns', k)) ?? readLinkOrUndefined(join(procRoot, 'self', 'ns', k));
    if (v) out[k] = v;
  }
  return out;
}

function readLinkOrUndefined(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}

function readOrUndefined(p: string): string | undefined {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

async function view(
  d: InspectDeps,
  id: string,
  name: string,
  role: ContainerView['role'],
): Promise<ContainerView | undefined> {
  let info: ContainerInspectInfo;
  try {
    info = await d.docker.inspectContainer(id);
  } catch (err) {
    if (isEngineNotFound(err)) return undefined; // gone since the list
    throw err;
  }
  const pid = info.State.Pid;
  const base = { name, role, id, pid, addresses: [], routes: [], listening: [] };
  const fromHost = pid > 0 ? fromProc(join(d.procRoot ?? '/proc', String(pid))) : undefined;
  // Docker records the hostname each container starts with (joined ones copy the sandbox's).
  if (fromHost) return { ...base, ...fromHost, hostname: info.Config.Hostname, source: 'host /proc' };
  const fromExec = await byExec(d, id);
  if (fromExec) return { ...base, ...fromExec, source: 'exec' };
  return { ...base, namespaces: {}, source: 'unavailable' };
}

type Read = Pick<ContainerView, 'namespaces' | 'addresses' | 'routes' | 'listening'> & { hostname?: string };

/** From the host: /proc/<pid>/ns/* and /proc/<pid>/net/* (the task's network namespace). */
function fromProc(dir: string): Read | undefined {
  const namespaces: ContainerView['namespaces'] = {};
  for (const k of NAMESPACE_KINDS) {
    const v = readLinkOrUndefined(join(dir, 'ns', k));
    if (v) namespaces[k] = v;
  }
  if (!namespaces.net) return undefined;
  return { namespaces, ...network((f) => readOrUndefined(join(dir, 'net', f))) };
}

function network(read: (file: string) => string | undefined): Omit<Read, 'namespaces' | 'hostname'> {
  return {
    addresses: parseLocalAddresses(read('fib_trie') ?? ''),
    routes: parseRoutes(read('route') ?? ''),
    listening: [...parseListeners(read('tcp') ?? '', 'tcp'), ...parseListeners(read('tcp6') ?? '', 'tcp6')],
  };
}

const MARK = '=====minikubelet:';
const FILES = ['fib_trie', 'route', 'tcp', 'tcp6'] as const;

/** Inside the container: one shell command prints the links, the hostname and the net files. */
async function byExec(d: InspectDeps, id: string): Promise<Read | undefined> {
  const script = [
    ...NAMESPACE_KINDS.map((k) => `echo "${MARK}ns:${k}"; readlink /proc/self/ns/${k}`),
    `echo "${MARK}hostname"; cat /proc/sys/kernel/hostname`,
    ...FILES.map((f) => `echo "${MARK}${f}"; cat /proc/net/${f}`),
  ].join('; ');
  let output: string;
  try {
    const r = await execCommand(d.docker, (f) => f(), id, ['sh', '-c', script], d.execTimeoutMs ?? 5_000);
    if (r.exitCode !== 0 && !r.output.includes(MARK)) return undefined;
    output = r.output;
  } catch {
    return undefined; // no shell in the image (pause, distroless)
  }
  const sections = new Map<string, string>();
  for (const part of output.split(MARK).slice(1)) {
    const nl = part.indexOf('\n');
    sections.set(part.slice(0, nl), part.slice(nl + 1));
  }
  const namespaces: ContainerView['namespaces'] = {};
  for (const k of NAMESPACE_KINDS) {
    const v = sections.get(`ns:${k}`)?.trim();
    if (v) namespaces[k] = v;
  }
  const hostname = sections.get('hostname')?.trim();
  return { namespaces, ...(hostname ? { hostname } : {}), ...network((f) => sections.get(f)) };
}
