// `minikubelet setup --agent-image`: the agent's own image (the top-level Dockerfile) on a
// machine where no registry is reachable. Two builds through the engine's build API:
//   1. a Node 20 base FROM the local busybox image holding the host's `node` binary, the
//      shared libraries `ldd` lists, the host's npm and its CA bundle (NODE_EXTRA_CA_CERTS, so
//      `npm ci` inside the build trusts the intercepting proxy) — environment.md;
//   2. the Dockerfile with NODE_BASE / PAUSE_IMAGE / BUSYBOX_IMAGE pointing at local images.
// Each image carries the hash of its inputs (image-build.ts); an unchanged one is skipped,
// and the Dockerfile's layers keep `npm ci` cached when only sources change.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { LOCAL_BUSYBOX_IMAGE, LOCAL_PAUSE_IMAGE } from '../options.js';
import type { Logger } from '../util/logger.js';
import { buildHash, buildImage, imageBuildHash } from './image-build.js';
import { tarPack, type TarEntry } from './tar.js';

export const LOCAL_NODE_BASE_IMAGE = 'minikubelet.local/node-base:20';
export const AGENT_IMAGE = 'minikubelet.local/minikubelet:latest';

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const NPM_DIR = '/usr/local/lib/node_modules/npm';
const MOUNT_TOOLS = ['/usr/bin/mount', '/usr/bin/umount'];

/** What goes into the agent image's build context, relative to the repository. */
const CONTEXT_FILES = ['Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const CONTEXT_DIRS = ['cmd', 'src', 'images'];

const NODE_BASE_DOCKERFILE = `# A Node 20 base made from the host's node (src/setup/agent-image.ts): no registry here.
FROM ${LOCAL_BUSYBOX_IMAGE}
COPY rootfs/ /
ENV NODE_EXTRA_CA_CERTS=${CA_BUNDLE}
CMD ["node"]
`;

const npmWrapper = (cli: string): string => `#!/bin/sh\nexec node ${NPM_DIR}/bin/${cli} "$@"\n`;

export interface AgentImageOptions {
  log: Logger;
  /** The repository (holds Dockerfile, src/, images/). */
  repoDir: string;
  force?: boolean;
}

/** Builds (when its inputs changed) the local Node base, then the agent image; returns its name. */
export async function ensureAgentImage(docker: Dockerode, opts: AgentImageOptions): Promise<string> {
  const base = await ensureNodeBase(docker, opts);
  const entries = await agentContext(opts.repoDir);
  const buildargs = { NODE_BASE: base, PAUSE_IMAGE: LOCAL_PAUSE_IMAGE, BUSYBOX_IMAGE: LOCAL_BUSYBOX_IMAGE };
  const ids = await Promise.all(Object.values(buildargs).map(async (i) => (await docker.getImage(i).inspect()).Id));
  const hash = buildHash('agent/v1', JSON.stringify(buildargs), ...ids, ...entriesHashParts(entries));
  if (!opts.force && (await imageBuildHash(docker, AGENT_IMAGE)) === hash) {
    opts.log.info({ image: AGENT_IMAGE }, 'agent image up to date');
    return AGENT_IMAGE;
  }
  opts.log.info({ image: AGENT_IMAGE, base }, 'building the agent image (npm ci and tsc run inside the build)');
  await buildImage(docker, tarPack(entries), AGENT_IMAGE, hash, opts.log, { buildargs });
  return AGENT_IMAGE;
}

async function ensureNodeBase(docker: Dockerode, opts: AgentImageOptions): Promise<string> {
  const entries = await nodeBaseContext();
  const bb = (await docker.getImage(LOCAL_BUSYBOX_IMAGE).inspect()).Id;
  const hash = buildHash('node-base/v1', bb, ...entriesHashParts(entries));
  if (!opts.force && (await imageBuildHash(docker, LOCAL_NODE_BASE_IMAGE)) === hash) return LOCAL_NODE_BASE_IMAGE;
  opts.log.info({ image: LOCAL_NODE_BASE_IMAGE, node: process.execPath }, 'building the Node base from the host');
  await buildImage(docker, tarPack(entries), LOCAL_NODE_BASE_IMAGE, hash, opts.log);
  return LOCAL_NODE_BASE_IMAGE;
}

async function nodeBaseContext(): Promise<TarEntry[]> {
  const file = async (from: string, to = from, mode = 0o755): Promise<TarEntry> => ({
    type: 'file',
    name: `rootfs${to}`,
    mode,
    data: await fs.readFile(from),
  });
  const npmSrc = await npmDir();
  // util-linux mount/umount (as node:20-slim has them) ahead of busybox's on PATH: the agent
  // bind-mounts subPaths with `mount --no-canonicalize --bind`, which busybox lacks.
  const tools = MOUNT_TOOLS.map((t) => ({ from: t, to: `/usr/local/bin/${t.slice(t.lastIndexOf('/') + 1)}` }));
  const libs = new Set<string>();
  for (const exe of [process.execPath, ...MOUNT_TOOLS]) for (const l of await sharedLibraries(exe)) libs.add(l);
  return [
    { type: 'file', name: 'Dockerfile', data: NODE_BASE_DOCKERFILE },
    await file(process.execPath, '/usr/local/bin/node'),
    ...(await Promise.all(tools.map((t) => file(t.from, t.to)))),
    ...(await Promise.all([...libs].sort().map((l) => file(l)))),
    await file(CA_BUNDLE, CA_BUNDLE, 0o644),
    ...(await treeEntries(npmSrc, `rootfs${NPM_DIR}`)),
    { type: 'file', name: 'rootfs/usr/local/bin/npm', mode: 0o755, data: npmWrapper('npm-cli.js') },
    { type: 'file', name: 'rootfs/usr/local/bin/npx', mode: 0o755, data: npmWrapper('npx-cli.js') },
  ];
}

/** The host's npm package directory (npm's bin is a symlink into it). */
async function npmDir(): Promise<string> {
  for (const d of [join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'), '/usr/lib/node_modules/npm']) {
    if (await fs.stat(join(d, 'bin', 'npm-cli.js')).catch(() => undefined)) return d;
  }
  throw new Error('cannot find the host npm (lib/node_modules/npm next to node) for the Node base image');
}

async function sharedLibraries(exe: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)('ldd', [exe]);
  return [...stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!);
}

async function agentContext(repoDir: string): Promise<TarEntry[]> {
  // An installed package ships dist/ and images/ only: the image is built from a checkout.
  for (const need of ['Dockerfile', 'src', 'cmd'])
    if (!(await fs.stat(join(repoDir, need)).catch(() => undefined)))
      throw new Error(`building the agent image needs a source checkout: ${join(repoDir, need)} is missing`);
  const files = await Promise.all(
    CONTEXT_FILES.map(
      async (f): Promise<TarEntry> => ({ type: 'file', name: f, data: await fs.readFile(join(repoDir, f)) }),
    ),
  );
  const trees = await Promise.all(CONTEXT_DIRS.map((d) => treeEntries(join(repoDir, d), d)));
  return [...files, ...trees.flat()];
}

/** Regular files under `dir` at `dest`, sorted (symlinks such as node_modules/.bin are left out). */
async function treeEntries(dir: string, dest: string): Promise<TarEntry[]> {
  const out: TarEntry[] = [];
  for (const e of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    const st = await fs.stat(full);
    out.push({
      type: 'file',
      name: join(dest, relative(dir, full)),
      mode: st.mode & 0o777,
      data: await fs.readFile(full),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function entriesHashParts(entries: TarEntry[]): Array<string | Buffer> {
  return entries.flatMap((e) => [e.name, e.type === 'file' ? e.data : '', String(e.type === 'file' ? e.mode : '')]);
}
