// GetContainerLogs: the engine's json-file log as one plain-text stream, stdout and
// stderr interleaved (as `kubectl logs` shows them). A followed stream ends when the
// container stops, because the engine closes it then.
import { PassThrough, type Readable, type Transform } from 'node:stream';
import type { DockerClient, LogsRequest } from './docker-client.js';
import { ByteLimit, Demuxer } from './demux.js';
import type { LogOptions } from './runtime.js';
import type { Run } from './relist.js';

/** Map kubectl's options onto the engine's query (limitBytes is applied client-side). */
export function logsRequest(opts: LogOptions, nowMs = Date.now()): LogsRequest {
  const req: LogsRequest = { follow: opts.follow === true, timestamps: opts.timestamps === true };
  if (opts.tailLines !== undefined && opts.tailLines >= 0) req.tail = opts.tailLines;
  // The engine takes fractional seconds (`since=1700000000.5`), so keep ms precision.
  if (opts.sinceSeconds !== undefined) req.since = (nowMs - opts.sinceSeconds * 1000) / 1000;
  else if (opts.sinceTime !== undefined) {
    const t = Date.parse(opts.sinceTime);
    if (Number.isNaN(t)) throw new Error(`invalid sinceTime ${JSON.stringify(opts.sinceTime)}`);
    req.since = t / 1000;
  }
  return req;
}

export async function containerLogs(
  docker: DockerClient,
  run: Run,
  id: string,
  opts: LogOptions,
  signal?: AbortSignal,
): Promise<Readable> {
  const info = await run(() => docker.inspectContainer(id));
  const req = logsRequest(opts);
  // A short request goes through the engine queue; a followed one is a long stream.
  const raw = (
    req.follow ? await docker.containerLogs(id, req, signal) : await run(() => docker.containerLogs(id, req, signal))
  ) as Readable;
  const stages: Transform[] = [];
  if (!info.Config.Tty) stages.push(new Demuxer());
  if (opts.limitBytes !== undefined && opts.limitBytes > 0) {
    const limit = new ByteLimit(opts.limitBytes);
    limit.once('limit', () => raw.destroy());
    stages.push(limit);
  }
  if (stages.length === 0) stages.push(new PassThrough());
  let tail: Readable = raw;
  for (const t of stages) tail = tail.pipe(t);
  const result = stages[stages.length - 1]!;
  // pipe() forwards neither errors nor a destroyed (aborted) source: end the chain ourselves.
  raw.once('error', (err) => result.destroy(err));
  raw.once('close', () => {
    if (!stages[0]!.writableEnded) stages[0]!.end();
  });
  signal?.addEventListener('abort', () => raw.destroy(), { once: true });
  return result;
}
