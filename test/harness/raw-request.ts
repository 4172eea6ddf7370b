// Raw API requests for tests that send bodies the typed client cannot (broken YAML,
// random bytes, oversize). The one place that builds request URLs and headers for
// the agent's API outside the client: adapt it here when the API's transport or
// authentication changes.
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
  // Through the agent's client: its CA and bearer token, as kubectl would connect.
  const res = await agent.client.sendRaw(method, path, {
    ...(opts.body !== undefined ? { body: opts.body } : {}),
    ...(opts.contentType ? { contentType: opts.contentType } : {}),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: text };
  }
}
