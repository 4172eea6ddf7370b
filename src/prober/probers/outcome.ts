// What one probe attempt says (pkg/probe Result + output). A check that ran and did
// not pass is a 'failure', not an exception; a thrown error means the probe could
// not run at all (the worker retries those and then throws the attempt away).

/** 'warning' counts as success but is reported (ProbeWarning), e.g. an off-host redirect. */
export type ProbeAttemptResult = 'success' | 'failure' | 'warning';

export interface ProbeOutcome {
  result: ProbeAttemptResult;
  output: string;
}

/** Go's net error texts for the common dial failures (what users see in events). */
export function goDialError(code: string | undefined, hostPort: string, fallback: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `dial tcp ${hostPort}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${hostPort}: connect: no route to host`;
    case 'ENETUNREACH':
      return `dial tcp ${hostPort}: connect: network is unreachable`;
    case 'ETIMEDOUT':
      return `dial tcp ${hostPort}: i/o timeout`;
    case 'ECONNRESET':
      return `read tcp ${hostPort}: read: connection reset by peer`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${hostPort.replace(/:\d+$/, '')}: no such host`;
    default:
      return fallback;
  }
}
