// A container's log, streamed as text/plain: the pods/log subresource
// (GET /api/v1/namespaces/{ns}/pods/{name}/log?container=…) and the kubelet's own
// /containerLogs/{ns}/{pod}/{container} (pkg/kubelet/server/server.go getContainerLogs),
// with the same query parameters.
import type { ApiDeps } from './api-deps.js';
import type { PodLogRequest } from '../apis/core/types.js';
import type { Handler } from './http-util.js';
import { boolParam, intParam } from './http-util.js';
import { KubeletError } from '../util/errors.js';

export function logRequest(query: URLSearchParams): PodLogRequest {
  const req: PodLogRequest = {};
  const container = query.get('container');
  if (container) req.container = container;
  if (boolParam(query, 'follow')) req.follow = true;
  if (boolParam(query, 'previous')) req.previous = true;
  if (boolParam(query, 'timestamps')) req.timestamps = true;
  const tail = intParam(query, 'tailLines');
  if (tail !== undefined) {
    if (tail < 0)
      throw new KubeletError('BadRequest', `tailLines: Invalid value: ${tail}: must be greater than or equal to 0`);
    req.tailLines = tail;
  }
  const since = intParam(query, 'sinceSeconds');
  const sinceTime = query.get('sinceTime');
  if (since !== undefined && sinceTime)
    throw new KubeletError('BadRequest', 'at most one of sinceTime or sinceSeconds may be specified');
  if (since !== undefined) {
    if (since < 1)
      throw new KubeletError('BadRequest', `sinceSeconds: Invalid value: ${since}: must be greater than 0`);
    req.sinceSeconds = since;
  }
  if (sinceTime) {
    if (Number.isNaN(Date.parse(sinceTime)))
      throw new KubeletError(
        'BadRequest',
        `sinceTime: Invalid value: ${JSON.stringify(sinceTime)}: must be an RFC 3339 time`,
      );
    req.sinceTime = sinceTime;
  }
  const limit = intParam(query, 'limitBytes');
  if (limit !== undefined) {
    if (limit < 1) throw new KubeletError('BadRequest', `limitBytes: Invalid value: ${limit}: must be greater than 0`);
    req.limitBytes = limit;
  }
  return req;
}

export function logHandler(d: ApiDeps): Handler {
  return async (req, res, { path, query }) => {
    const lr = logRequest(query);
    // /containerLogs names the container in its path, the subresource in the query.
    if (path.container) lr.container = path.container;
    const abort = new AbortController();
    // A followed log holds its connection until the container stops: those are capped.
    const release = lr.follow ? d.streams.reserve('follow') : () => {};
    let stream: Awaited<ReturnType<typeof d.node.podLogs>>;
    try {
      // Errors before the first byte still become a Status answer (thrown from here).
      stream = await d.node.podLogs(path.namespace!, path.name!, lr, abort.signal);
    } catch (err) {
      release();
      throw err;
    }
    res.writeHead(200, {
      'Content-Type': 'text/plain',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    res.flushHeaders();
    await new Promise<void>((resolve) => {
      let done = false;
      const finish = (how: 'end' | 'destroy') => {
        if (done) return;
        done = true;
        untrack();
        release();
        if (!abort.signal.aborted) abort.abort();
        stream.unpipe(res);
        stream.destroy();
        if (how === 'end' && !res.writableEnded) res.end();
        if (how === 'destroy' && !res.destroyed) res.destroy();
        resolve();
      };
      // Closing the server ends the response cleanly; the client sees a finished log.
      const untrack = d.streams.track(() => finish('end'));
      stream.on('end', () => {
        stream.unpipe(res);
        if (!res.writableEnded) res.end();
      });
      stream.on('error', (err) => {
        if (done) return;
        d.log.warn({ err: err.message, pod: `${path.namespace}/${path.name}` }, 'log stream failed');
        finish('destroy');
      });
      // Whether finished or the client went away: stop reading the container's log.
      res.on('close', () => finish(res.writableFinished ? 'end' : 'destroy'));
      req.on('aborted', () => finish('destroy'));
      stream.pipe(res, { end: false });
    });
  };
}
