// The query of the exec and attach subresources (core/v1 PodExecOptions,
// PodAttachOptions), checked as the API server does (pkg/apis/core/validation
// ValidatePodExecOptions / remotecommand options).
import { KubeletError } from '../../util/errors.js';
import type { StreamRequest } from '../../container/streams.js';
import { boolParam } from '../http-util.js';

export interface ExecOptions extends StreamRequest {
  container?: string;
  command: string[];
}

export function streamRequest(query: URLSearchParams): StreamRequest & { container?: string } {
  const tty = boolParam(query, 'tty');
  const req = {
    stdin: boolParam(query, 'stdin'),
    stdout: boolParam(query, 'stdout'),
    // With a TTY there is one output stream (kubectl omits stderr); the kubelet ignores stderr then.
    stderr: boolParam(query, 'stderr') && !tty,
    tty,
  };
  if (!req.stdin && !req.stdout && !req.stderr)
    throw new KubeletError('BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  const container = query.get('container');
  return container ? { ...req, container } : req;
}

export function execOptions(query: URLSearchParams): ExecOptions {
  const command = query.getAll('command');
  if (command.length === 0) throw new KubeletError('BadRequest', 'you must specify at least 1 command');
  return { ...streamRequest(query), command };
}
