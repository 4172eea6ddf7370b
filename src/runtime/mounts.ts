// Mount helpers on the host's mount table (the agent runs as root in the engine's
// mount namespace; see subpath-mount.ts). `mount`/`umount` are the util-linux tools,
// as the kubelet's mount-utils shells out to them.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, type Stats, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Mount points under `prefix`, deepest first (from /proc/self/mountinfo, octal escapes decoded). */
export function mountsUnder(prefix: string): string[] {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))));
  return points.filter((p) => p === prefix || p.startsWith(`${prefix}/`)).sort((a, b) => b.length - a.length);
}

export function run(cmd: string, args: string[], fd?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // The descriptor becomes the child's fd 3 (dup2 clears close-on-exec).
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe', ...(fd === undefined ? [] : [fd])] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}: ${stderr.trim()}`)),
    );
  });
}

export async function unmountAll(prefix: string): Promise<void> {
  for (const p of mountsUnder(prefix)) await run('umount', [p]);
}

/**
 * Is `p` the root of another filesystem than its parent directory's (a tmpfs, a volume)?
 * Two stat calls, where reading /proc/self/mountinfo grows with every container's mounts:
 * every sync of every pod asks this for its Secret and service-account tmpfs, and the
 * mountinfo reads were most of the agent's steady-state CPU (a profile at 20 pods: 2 % of
 * a core). A bind of the same filesystem is not seen, which is fine for the tmpfs mounts
 * asked about here (each tmpfs is its own device).
 */
export function isMountPoint(p: string, st: Stats = statSync(p)): boolean {
  return statSync(dirname(p)).dev !== st.dev;
}

/**
 * A tmpfs at `dir` (mode 0755 root, like the kubelet's secret volume tmpfs:
 * pkg/volume/emptydir setupTmpfs), unless one is already there.
 */
export async function mountTmpfs(dir: string, mode = 0o755, sizeBytes?: number): Promise<void> {
  if (isMountPoint(dir)) return;
  const options = [`mode=${mode.toString(8).padStart(4, '0')}`, ...(sizeBytes ? [`size=${sizeBytes}`] : [])];
  await run('mount', ['-t', 'tmpfs', '-o', options.join(','), 'tmpfs', dir]);
}

/**
 * Unmount everything under `dir`, then remove it; nothing is removed while a mount
 * remains (a recursive delete through a bind or tmpfs would delete what it holds).
 */
export async function unmountAndRemove(dir: string): Promise<void> {
  await unmountAll(dir);
  const left = mountsUnder(dir);
  if (left.length) throw new Error(`mounts still present: ${left.join(', ')}`);
  rmSync(dir, { recursive: true, force: true });
}
