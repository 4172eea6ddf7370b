// grpc probe (pkg/probe/grpc/grpc.go Probe): a plaintext, blocking dial of
// `<podIP>:<port>` and one `grpc.health.v1.Health/Check {service}` call, both under
// one `timeoutSeconds` deadline. Every outcome is a success or a failure with the
// kubelet's output text; like upstream it never reports an error.
//
// Each probe owns its channel: a local subchannel pool (so no connection is shared
// with, or kept alive for, another probe) and close() on every path, as upstream
// closes its ClientConn.
import * as grpc from '@grpc/grpc-js';
import { goDuration } from '../../util/go-duration.js';
import { joinHostPort } from '../target.js';
import { PROBE_USER_AGENT } from './http.js';
import { HEALTH_CHECK_PATH, decodeResponse, encodeRequest, type HealthCheckResponse } from './grpc-health.js';
import type { ProbeOutcome } from './outcome.js';

/** Go's codes.Code String() by number (google.golang.org/grpc/codes/code_string.go). */
const GO_CODE_NAMES = [
  'OK',
  'Canceled',
  'Unknown',
  'InvalidArgument',
  'DeadlineExceeded',
  'NotFound',
  'AlreadyExists',
  'PermissionDenied',
  'ResourceExhausted',
  'FailedPrecondition',
  'Aborted',
  'OutOfRange',
  'Unimplemented',
  'Internal',
  'Unavailable',
  'DataLoss',
  'Unauthenticated',
];

const goCode = (code: number) => GO_CODE_NAMES[code] ?? `Code(${code})`;

const failure = (output: string): ProbeOutcome => ({ result: 'failure', output });

export async function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  const timeout = goDuration(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  let client: grpc.Client;
  try {
    client = new grpc.Client(addr, grpc.credentials.createInsecure(), {
      'grpc.primary_user_agent': PROBE_USER_AGENT,
      'grpc.use_local_subchannel_pool': 1,
    });
  } catch (err) {
    return failure(`error: failed to connect service at "${addr}": ${(err as Error).message}`);
  }
  try {
    // WithBlock: refused connections are retried until the deadline, as grpc-go does.
    const connectErr = await new Promise<Error | undefined>((resolve) => client.waitForReady(deadline, resolve));
    if (connectErr)
      return failure(`timeout: failed to connect service "${addr}" within ${timeout}: context deadline exceeded`);
    return await check(client, service, timeout, deadline);
  } finally {
    client.close();
  }
}

function check(client: grpc.Client, service: string, timeout: string, deadline: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    client.makeUnaryRequest<{ service: string }, HealthCheckResponse>(
      HEALTH_CHECK_PATH,
      encodeRequest,
      decodeResponse,
      { service },
      new grpc.Metadata(),
      { deadline },
      (err, resp) => {
        if (err) resolve(rpcFailure(err, timeout));
        else if (resp?.status !== 'SERVING')
          resolve(failure(`service unhealthy (responded with "${resp?.status ?? 'UNKNOWN'}")`));
        else resolve({ result: 'success', output: 'service healthy' });
      },
    );
  });
}

function rpcFailure(err: grpc.ServiceError, timeout: string): ProbeOutcome {
  switch (err.code) {
    case grpc.status.UNIMPLEMENTED:
      return failure(
        `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${err.details}`,
      );
    case grpc.status.DEADLINE_EXCEEDED:
      return failure(`timeout: health rpc did not complete within ${timeout}`);
    default:
      return failure(`error: health rpc probe failed: rpc error: code = ${goCode(err.code)} desc = ${err.details}`);
  }
}
