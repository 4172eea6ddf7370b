// GET /api/v1/namespaces/{ns}/pods/{name}/attach?container=…&stdin=…&tty=… (the kubelet's
// ServeAttach): the container's main process, relayed until it exits or the client leaves.
import type { ApiDeps } from '../api-deps.js';
import type { StreamStart } from './exec-handler.js';
import { streamRequest } from './stream-request.js';
import { SUCCESS_STATUS } from '../../util/remotecommand/ws-channels.js';

export function attachStart(d: ApiDeps, namespace: string, name: string, query: URLSearchParams): StreamStart {
  const { container, ...req } = streamRequest(query);
  return {
    start: () => d.node.attachToContainer(namespace, name, container, req),
    // Always Success: a NonZeroExitCode here makes `run -it` fall back to printing logs.
    statusOf: () => SUCCESS_STATUS,
  };
}
