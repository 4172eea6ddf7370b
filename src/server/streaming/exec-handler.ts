// GET /api/v1/namespaces/{ns}/pods/{name}/exec?command=…&container=…&stdin=…&tty=…
// (the kubelet's ServeExec): start the command, relay it, report its exit code.
import type { ApiDeps } from '../api-deps.js';
import type { ContainerStreams } from '../../container/streams.js';
import type { StreamStatus } from '../../util/remotecommand/ws-channels.js';
import { exitStatus } from '../../util/remotecommand/ws-channels.js';
import { execOptions } from './stream-request.js';

export interface StreamStart {
  /** Starts the process; rejects (before any upgrade) with a KubeletError. */
  start: () => Promise<ContainerStreams>;
  statusOf: (exitCode: number | undefined) => StreamStatus;
}

export function execStart(d: ApiDeps, namespace: string, name: string, query: URLSearchParams): StreamStart {
  const { container, command, ...req } = execOptions(query);
  return {
    start: () => d.node.execInContainer(namespace, name, container, command, req),
    // exited is undefined only if the engine lost the exec; treat it as a failure to report.
    statusOf: (code) => exitStatus(code ?? -1, command),
  };
}
