// The termination message (kubelet makeMounts + kuberuntime getTerminationMessage):
// a per-instance host file, bind-mounted at terminationMessagePath (default
// /dev/termination-log), read after the container exits. The file must exist before
// the bind, or the engine would create a directory in its place.
// When the agent runs in a container, its state dir must be the same path on the host.
import { chmodSync, mkdirSync, openSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { podDirNames } from './pod-dirs.js';
import { dirname } from 'node:path';
import { childPath } from '../util/safe-path.js';

/** The kubelet reads at most this much of the file. */
const MAX_MESSAGE_BYTES = 4096;
/** FallbackToLogsOnError: the last 80 lines, at most 2 KiB. */
export const FALLBACK_LOG_LINES = 80;
const MAX_FALLBACK_BYTES = 2048;

export function terminationLogPath(stateDir: string, podUid: string, container: string, restartCount: number): string {
  return childPath(stateDir, 'containers', podUid, `${container}_${restartCount}`, 'termination-log');
}

/**
 * Create the empty, world-writable file (0666, like the kubelet) to bind into the
 * container: a container running as any user must be able to write its message. The
 * 0700 root dir above it is what keeps other host users out.
 */
export function prepareTerminationLog(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, '', { mode: 0o666 });
  chmodSync(path, 0o666);
}

export function readTerminationLog(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(MAX_MESSAGE_BYTES);
    const n = readSync(fd, buf, 0, MAX_MESSAGE_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The tail of the logs as the kubelet keeps it for FallbackToLogsOnError. */
export function fallbackMessage(logs: string): string {
  const lines = logs.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let text = lines.slice(-FALLBACK_LOG_LINES).join('\n');
  if (logs.endsWith('\n')) text += '\n';
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length > MAX_FALLBACK_BYTES ? bytes.subarray(bytes.length - MAX_FALLBACK_BYTES).toString('utf8') : text;
}

export function removePodTerminationLogs(stateDir: string, podUid: string): void {
  rmSync(childPath(stateDir, 'containers', podUid), { recursive: true, force: true });
}

/** Pod UIDs with a termination-log directory (<state>/containers/<uid>). */
export function podTerminationLogDirs(stateDir: string): string[] {
  return podDirNames(childPath(stateDir, 'containers'));
}
