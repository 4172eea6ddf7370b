// The gRPC health-checking protocol (grpc/grpc proto/grpc/health/v1/health.proto):
// `grpc.health.v1.Health/Check`. The two messages are written here with protobufjs,
// which the project already uses, instead of loading health.proto through
// @grpc/proto-loader: no .proto file to ship or find at run time, no second protobufjs
// major in the agent's import graph, and the field numbers sit in one reviewed place.
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
`;

const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Request = root.lookupType('grpc.health.v1.HealthCheckRequest');
const Response = root.lookupType('grpc.health.v1.HealthCheckResponse');

/** The method path a Check call is sent to. */
export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

/** ServingStatus names by number, as Go's generated String() prints them. */
const STATUS_NAMES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

export interface HealthCheckRequest {
  service: string;
}

export interface HealthCheckResponse {
  /** The enum's name; an unknown number prints as the number, as Go does. */
  status: string;
}

export function encodeRequest(r: HealthCheckRequest): Buffer {
  return Buffer.from(Request.encode(Request.create({ service: r.service })).finish());
}

export function decodeRequest(b: Buffer): HealthCheckRequest {
  const m = Request.toObject(Request.decode(b), { defaults: true }) as { service: string };
  return { service: m.service };
}

export function encodeResponse(status: ServingStatus): Buffer {
  return Buffer.from(Response.encode(Response.create({ status: STATUS_NAMES.indexOf(status) })).finish());
}

export function decodeResponse(b: Buffer): HealthCheckResponse {
  const m = Response.toObject(Response.decode(b), { defaults: true }) as { status: number };
  return { status: STATUS_NAMES[m.status] ?? String(m.status) };
}
