// A raw request to the agent's listener, for what ApiClient does not wrap (the kubelet
// endpoints): the one place that builds the URL and credentials, so the authenticated
// listener (issue #11, whose branch has the same function going through the client's
// CA and bearer token) changes only this file.
import type { TestAgent } from './agent.js';

export interface RawAnswer {
  status: number;
  /** The decoded JSON answer, or the text when it is not JSON. */
  body: unknown;
}

export async function rawApiRequest(
  agent: TestAgent,
  method: string,
  path: string,
  opts: { body?: string; contentType?: string; timeoutMs?: number } = {},
): Promise<RawAnswer> {
  const res = await fetch(`${agent.kubelet.url}${path}`, {
    method,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    ...(opts.contentType ? { headers: { 'Content-Type': opts.contentType } } : {}),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: text };
  }
}
