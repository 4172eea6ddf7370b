// The pod's /etc/hosts and /etc/resolv.conf: written beside its termination logs
// (<root>/containers/<uid>/, removed with the pod) around its sandbox's creation, and
// bind-mounted into each of its containers, replacing the engine's own files. A kill -9
// between the sandbox's start and the hosts file leaves that pod with the engine's
// /etc/hosts (`<ip> <hostname>`), or with the placeholder (no line of its own) when its
// containers were created while the sandbox started, until its next sandbox.
// The kubelet writes etc-hosts in makeMounts (kubelet_pods.go makeHostsMount, which
// also skips a container that mounts /etc/hosts itself); cri-dockerd rewrites the
// sandbox's resolv.conf (core/sandbox_run.go rewriteResolvFile). Doing both with the
// sandbox, where the pod IP is first known, gives the same files.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ValidPod } from '../apis/core/types.js';
import { managedHostsFileContent, nodeHostsFileContent } from '../container/etc-hosts.js';
import { childPath } from '../util/safe-path.js';
import type { SandboxConfig } from './runtime.js';
import type { DockerMount } from './volumes.js';

const FILES = { hosts: ['etc-hosts', '/etc/hosts'], resolv: ['resolv.conf', '/etc/resolv.conf'] } as const;

/** The node's own hosts file, which hostNetwork pods see (kubelet etcHostsPath). */
export const NODE_HOSTS_FILE = '/etc/hosts';

function filePath(stateDir: string, uid: string, kind: keyof typeof FILES): string {
  return childPath(stateDir, 'containers', uid, FILES[kind][0]);
}

/** In place, not write-and-rename: a container's bind mount holds the file's inode. */
function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, content, { mode: 0o644 });
}

/** The pod's resolv.conf: written before its sandbox is created, so no crash can leave a sandbox without it. */
export function writePodResolvConf(stateDir: string, pod: ValidPod, config: SandboxConfig): void {
  write(filePath(stateDir, pod.metadata.uid, 'resolv'), config.resolvConf);
}

/**
 * The pod's hosts file: a hostNetwork pod's before its sandbox is created, any other
 * once its sandbox has an IP. No pod IP means no managed hosts file, as the kubelet
 * mounts one only when it has pod IPs (the containers then see the engine's).
 */
export function writePodHostsFile(
  stateDir: string,
  pod: ValidPod,
  config: SandboxConfig,
  podIP: string | undefined,
  nodeHostsFile = NODE_HOSTS_FILE,
): void {
  const aliases = pod.spec.hostAliases;
  const hosts = filePath(stateDir, pod.metadata.uid, 'hosts');
  if (pod.spec.hostNetwork) write(hosts, nodeHostsFileContent(readFileSync(nodeHostsFile, 'utf8'), aliases));
  else if (podIP) write(hosts, managedHostsFileContent([podIP], config.hostname, config.hostDomain, aliases));
  else rmSync(hosts, { force: true });
}

/**
 * Before a sandbox whose containers are created while it starts (runSandbox's
 * whenCreated): the hosts file must exist when they are created, or they would not
 * mount it. Written without the pod's own line (its IP is not known yet) and filled in
 * place by writePodHostsFile before any of them starts: Docker resolves a bind mount's
 * source at the start.
 */
export function writePodHostsPlaceholder(stateDir: string, pod: ValidPod, config: SandboxConfig): void {
  const hosts = filePath(stateDir, pod.metadata.uid, 'hosts');
  write(hosts, managedHostsFileContent([], config.hostname, config.hostDomain, pod.spec.hostAliases));
}

/** Bind mounts of the files that exist, except where the container mounts something itself. */
export function podNetworkMounts(stateDir: string, pod: ValidPod, mounts: DockerMount[]): DockerMount[] {
  const out: DockerMount[] = [];
  for (const kind of ['hosts', 'resolv'] as const) {
    const source = filePath(stateDir, pod.metadata.uid, kind);
    const target = FILES[kind][1];
    if (mounts.some((m) => m.Target === target) || !existsSync(source)) continue;
    out.push({ Type: 'bind', Source: source, Target: target, ReadOnly: false });
  }
  return out;
}
