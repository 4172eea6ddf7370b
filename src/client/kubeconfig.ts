// kubeconfig files: the agent writes one; clients find the server the way kubectl does.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';
import { yaml } from '../util/yaml.js';
import { kubeconfigYaml } from './kubeconfig-text.js';
import { KubeletError } from '../util/errors.js';
import { writePrivateFile } from '../util/private-file.js';

export interface KubeconfigWriteOptions {
  server: string;
  /** Name of the cluster, user and context (default `minikubelet`). */
  name?: string;
  namespace?: string;
  /** PEM of the CA that signed the server's certificate (`certificate-authority-data`). */
  caPem?: string;
  /** Bearer token of the user. */
  token?: string;
}

/** Writes a v1 Config with one cluster/user/context, current-context set, mode 0600. */
export function writeKubeconfig(path: string, opts: KubeconfigWriteOptions): void {
  writePrivateFile(path, kubeconfigText(opts));
}

/** The kubeconfig's YAML (what `minikubelet kubeconfig --raw` prints). */
export function kubeconfigText(opts: KubeconfigWriteOptions): string {
  const name = opts.name ?? 'minikubelet';
  const cluster = {
    server: opts.server,
    ...(opts.caPem ? { 'certificate-authority-data': Buffer.from(opts.caPem).toString('base64') } : {}),
  };
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user: opts.token ? { token: opts.token } : {} }],
    contexts: [
      { name, context: { cluster: name, user: name, ...(opts.namespace ? { namespace: opts.namespace } : {}) } },
    ],
    'current-context': name,
    preferences: {},
  };
  return kubeconfigYaml(config);
}

/** Replaces the token of user `name` in a kubeconfig file (after a rotation), keeping the rest. */
export function setKubeconfigToken(path: string, token: string, name = 'minikubelet'): void {
  const doc = (yaml().parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  const users = Array.isArray(doc.users) ? (doc.users as Named<unknown>[]) : [];
  const entry = users.find((u) => u?.name === name);
  if (!entry) throw new KubeletError('NotFound', `user ${JSON.stringify(name)} not found in ${path}`);
  entry.user = { ...((entry.user as Record<string, unknown> | undefined) ?? {}), token };
  writePrivateFile(path, yaml().stringify(doc));
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
  /** PEM of the CA to trust (certificate-authority-data, or the certificate-authority file). */
  caPem?: string;
  /** Bearer token (token, or the tokenFile's content). */
  token?: string;
  /** insecure-skip-tls-verify: true. */
  insecureSkipTlsVerify?: boolean;
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
    doc = (yaml().parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
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
  const userName = ctx.user as string | undefined;
  const user = (userName ? findNamed(doc.users, userName, 'user') : undefined) ?? {};
  const caPem = clusterCa(cluster!, path);
  const token = userToken(user, path);
  return {
    server: server.replace(/\/+$/, ''),
    path,
    ...(namespace ? { namespace } : {}),
    ...(caPem ? { caPem } : {}),
    ...(token ? { token } : {}),
    ...(cluster!['insecure-skip-tls-verify'] === true ? { insecureSkipTlsVerify: true } : {}),
  };
}

/** A file named in a kubeconfig: relative paths are relative to the kubeconfig (clientcmd's ResolvePaths). */
function readReferenced(file: string, kubeconfig: string, field: string): string {
  const p = resolve(dirname(kubeconfig), file);
  try {
    return readFileSync(p, 'utf8');
  } catch (err) {
    throw new KubeletError('BadRequest', `unable to read ${field} ${p} (in ${kubeconfig}): ${(err as Error).message}`);
  }
}

function clusterCa(cluster: Record<string, unknown>, path: string): string | undefined {
  const data = cluster['certificate-authority-data'];
  if (typeof data === 'string' && data !== '') return Buffer.from(data, 'base64').toString('utf8');
  const file = cluster['certificate-authority'];
  if (typeof file === 'string' && file !== '') return readReferenced(file, path, 'certificate-authority');
  return undefined;
}

function userToken(user: Record<string, unknown>, path: string): string | undefined {
  if (typeof user.token === 'string' && user.token !== '') return user.token;
  const file = user.tokenFile;
  if (typeof file === 'string' && file !== '') return readReferenced(file, path, 'tokenFile').trim() || undefined;
  return undefined;
}
