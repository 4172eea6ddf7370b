// kubeconfig files: the agent writes one; clients find the server the way kubectl does.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { KubeletError } from '../util/errors.js';

export interface KubeconfigWriteOptions {
  server: string;
  /** Name of the cluster, user and context (default `minikubelet`). */
  name?: string;
  namespace?: string;
}

/** Writes a v1 Config with one cluster/user/context, current-context set, mode 0600. */
export function writeKubeconfig(path: string, opts: KubeconfigWriteOptions): void {
  const name = opts.name ?? 'minikubelet';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: opts.server } }],
    users: [{ name, user: {} }],
    contexts: [
      { name, context: { cluster: name, user: name, ...(opts.namespace ? { namespace: opts.namespace } : {}) } },
    ],
    'current-context': name,
    preferences: {},
  };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, stringify(config), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export interface ResolveKubeconfigOptions {
  /** `--kubeconfig FILE`: wins over everything. */
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  /** The agent's kubeconfig, e.g. `~/.minikubelet/kubeconfig`. */
  defaultPath?: string;
  /** `--context`: instead of current-context. */
  context?: string;
}

export interface ResolvedKubeconfig {
  server: string;
  namespace?: string;
  path: string;
}

export const NO_KUBECONFIG = 'no kubeconfig found: start the agent with "minikubelet serve" or pass --kubeconfig';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Which file to read: --kubeconfig, else the first existing file in $KUBECONFIG, else the default. */
export function kubeconfigPath(opts: ResolveKubeconfigOptions): string {
  if (opts.kubeconfig) {
    if (!existsSync(opts.kubeconfig))
      throw new KubeletError('NotFound', `stat ${opts.kubeconfig}: no such file or directory`);
    return opts.kubeconfig;
  }
  const env = opts.env ?? process.env;
  const fromEnv = (env.KUBECONFIG ?? '')
    .split(delimiter)
    .filter((p) => p !== '')
    .find(isFile);
  if (fromEnv) return fromEnv;
  if (opts.defaultPath && isFile(opts.defaultPath)) return opts.defaultPath;
  throw new KubeletError('NotFound', NO_KUBECONFIG);
}

interface Named<T> {
  name?: string;
  [k: string]: unknown;
  value?: T;
}

function findNamed(list: unknown, name: string, field: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const hit = (list as Named<unknown>[]).find((e) => e && e.name === name);
  const v = hit?.[field];
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
}

/** The server (and namespace) of the current context, found as kubectl would. */
export function resolveKubeconfig(opts: ResolveKubeconfigOptions): ResolvedKubeconfig {
  const path = kubeconfigPath(opts);
  let doc: Record<string, unknown>;
  try {
    doc = (parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new KubeletError(
      'BadRequest',
      `error loading config file "${path}": ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const ctxName = opts.context ?? (doc['current-context'] as string | undefined);
  if (!ctxName) throw new KubeletError('BadRequest', `current-context is not set in ${path}`);
  const ctx = findNamed(doc.contexts, ctxName, 'context');
  if (!ctx) throw new KubeletError('BadRequest', `context was not found for specified context: ${ctxName}`);
  const clusterName = ctx.cluster as string | undefined;
  const cluster = clusterName ? findNamed(doc.clusters, clusterName, 'cluster') : undefined;
  const server = cluster?.server;
  if (typeof server !== 'string' || server === '') {
    throw new KubeletError('BadRequest', `cluster has no server defined (context ${ctxName} in ${path})`);
  }
  const namespace = typeof ctx.namespace === 'string' && ctx.namespace !== '' ? ctx.namespace : undefined;
  return { server: server.replace(/\/+$/, ''), path, ...(namespace ? { namespace } : {}) };
}
