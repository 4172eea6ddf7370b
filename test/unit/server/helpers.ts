// Starts the real API server on a free port against a FakeNode.
import type { ApiBody } from './api-body.js';
import { startApiServer, type ApiLimits, type ApiServer } from '../../../src/server/api-server.js';
import { silentLogger } from '../../../src/util/logger.js';
import { FakeNode } from '../../fakes/fake-node.js';

export interface Harness {
  node: FakeNode;
  server: ApiServer;
  url: string;
  close(): Promise<void>;
}

export async function startHarness(node = new FakeNode(), limits: Partial<ApiLimits> = {}): Promise<Harness> {
  const server = await startApiServer({ node, listen: '127.0.0.1:0', log: silentLogger(), limits });
  return { node, server, url: server.url, close: () => server.close() };
}

export const TABLE_ACCEPT =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

/**
 * The decoded JSON body (the text when it is not JSON), typed as what the caller
 * expects: the server's answer is what the test asserts on, so nothing is checked here.
 */
export async function getJson<T = ApiBody>(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

export function postJson<T = ApiBody>(
  url: string,
  body: unknown,
  method = 'POST',
  contentType = 'application/json',
): Promise<{ status: number; headers: Headers; body: T }> {
  return getJson<T>(url, {
    method,
    headers: { 'Content-Type': contentType },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
}

/** Reads NDJSON lines from a streaming response as they arrive. */
export class LineReader {
  #buf = '';
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #dec = new TextDecoder();
  #pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | undefined;
  done = false;
  constructor(res: Response) {
    this.#reader = res.body!.getReader();
  }

  /** The next line, or undefined when the stream ended; rejects after ms. */
  async next(ms = 2000): Promise<ApiBody | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const nl = this.#buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.#buf.slice(0, nl);
        this.#buf = this.#buf.slice(nl + 1);
        return JSON.parse(line) as ApiBody;
      }
      if (this.done) return undefined;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a line');
      let t: NodeJS.Timeout | undefined;
      // A read that lost a race stays pending: reuse it, or its data would be lost.
      this.#pending ??= this.#reader.read();
      const r = await Promise.race([
        this.#pending,
        new Promise<'timeout'>((res) => {
          t = setTimeout(() => res('timeout'), left);
        }),
      ]);
      clearTimeout(t);
      if (r === 'timeout') throw new Error('timed out waiting for a line');
      this.#pending = undefined;
      if (r.done) this.done = true;
      else this.#buf += this.#dec.decode(r.value, { stream: true });
    }
  }

  cancel(): Promise<void> {
    return this.#reader.cancel();
  }
}
