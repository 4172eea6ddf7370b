// Watch responses: 200, headers flushed at once, then one `{"type","object"}` line per
// change. RV unset or "0" replays the current objects as ADDED; a concrete RV sends
// only what changed after it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectMeta } from '../apis/core/types.js';
import type { WatchEvent } from '../apis/core/types.js';
import type { Predicate } from './selectors.js';
import type { StreamTracker } from './streams.js';
import { ResourceVersionExpired, rvNumber, type WatchHub } from './watch-hub.js';
import { intParam } from './http-util.js';
import { failureStatus } from './errors.js';
import { KubeletError } from '../util/errors.js';

/** Queued bytes a slow watcher may fall behind by before its watch is ended. */
export const MAX_WATCH_BACKLOG = 16 * 1024 * 1024;

/** Writes lines in order, waiting for 'drain' instead of buffering inside the socket. */
export class LineWriter {
  readonly #queue: string[] = [];
  #queued = 0;
  #waiting = false;
  #closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly onOverflow: () => void,
    private readonly maxBacklog = MAX_WATCH_BACKLOG,
  ) {}

  write(obj: unknown): void {
    if (this.#closed) return;
    const line = `${JSON.stringify(obj)}\n`;
    if (this.#waiting) {
      this.#queue.push(line);
      this.#queued += line.length;
      if (this.#queued > this.maxBacklog) this.onOverflow();
      return;
    }
    if (!this.res.write(line)) this.#wait();
  }

  #wait(): void {
    this.#waiting = true;
    this.res.once('drain', () => this.#flush());
  }

  #flush(): void {
    this.#waiting = false;
    while (this.#queue.length > 0 && !this.#closed) {
      const line = this.#queue.shift()!;
      this.#queued -= line.length;
      if (!this.res.write(line)) {
        this.#wait();
        return;
      }
    }
  }

  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }
}

export interface WatchSource<T extends { metadata: ObjectMeta }> {
  hub: WatchHub<T>;
  /** The current objects in scope (namespace already applied). Called synchronously right after subscribing. */
  snapshot: () => T[];
  /** Namespace, field and label selectors. */
  filter: Predicate<T>;
  /** The object as sent: the plain object, or a one-row Table. */
  encode: (obj: T) => unknown;
}

export function isWatch(query: URLSearchParams): boolean {
  const v = query.get('watch');
  return v === 'true' || v === '1';
}

/** Serves one watch request; resolves when the stream has ended. */
export function serveWatch<T extends { metadata: ObjectMeta }>(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  src: WatchSource<T>,
  streams: StreamTracker,
): Promise<void> {
  const rvParam = query.get('resourceVersion') ?? '';
  const replayAll = rvParam === '' || rvParam === '0';
  const sinceRv = replayAll ? undefined : rvNumber(rvParam);
  if (!replayAll && sinceRv === undefined)
    throw new KubeletError('BadRequest', `invalid resource version: ${JSON.stringify(rvParam)}`);
  const timeoutSeconds = intParam(query, 'timeoutSeconds');
  // Taken before anything is written, so a refused watch is a plain 429 Status.
  const release = streams.reserve('watch');

  // Everything up to the first write is synchronous: subscribe, then snapshot, so
  // no change can fall between them.
  const pending: WatchEvent<T>[] = [];
  let writer: LineWriter | undefined;
  const send = (e: WatchEvent<T>) => {
    if (sinceRv !== undefined && (rvNumber(e.object.metadata.resourceVersion) ?? Infinity) <= sinceRv) return;
    if (!src.filter(e.object)) return;
    const line = { type: e.type, object: src.encode(e.object) };
    if (writer) writer.write(line);
    else pending.push(e);
  };

  let sub: ReturnType<WatchHub<T>['subscribe']>;
  let expired: ResourceVersionExpired | undefined;
  try {
    sub = src.hub.subscribe(send, sinceRv);
  } catch (err) {
    if (!(err instanceof ResourceVersionExpired)) {
      release();
      throw err;
    }
    expired = err;
    sub = { replay: [], unsubscribe: () => {} };
  }
  const initial: WatchEvent<T>[] = replayAll
    ? src.snapshot().map((object) => ({ type: 'ADDED' as const, object }))
    : sub.replay;

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  return new Promise<void>((resolve) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let untrack = () => {};
    const finish = (clientGone = false) => {
      if (done) return;
      done = true;
      sub.unsubscribe();
      untrack();
      release();
      if (timer) clearTimeout(timer);
      writer?.close();
      // A client that went away may leave a half-open socket behind: drop it.
      if (clientGone) res.destroy();
      else if (!res.writableEnded) res.end();
      resolve();
    };
    const w = new LineWriter(res, () => {
      finish();
    });
    untrack = streams.track(() => finish());
    res.on('close', () => finish(!res.writableFinished));
    req.on('aborted', () => finish(true));
    if (expired) {
      w.write({ type: 'ERROR', object: failureStatus(410, 'Expired', expired.message) });
      finish();
      return;
    }
    if (timeoutSeconds !== undefined && timeoutSeconds > 0) timer = setTimeout(() => finish(), timeoutSeconds * 1000);
    for (const e of initial) {
      if (!src.filter(e.object)) continue;
      w.write({ type: e.type, object: src.encode(e.object) });
    }
    writer = w;
    for (const e of pending.splice(0)) send(e);
  });
}
