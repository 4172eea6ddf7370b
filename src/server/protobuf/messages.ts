// The protobuf messages kubectl's typed commands send (`kubectl create secret|configmap|
// namespace`, `kubectl debug --copy-to|node/`): client-go's clientset prefers protobuf for built-in kinds. Written from
// our types with the field numbers of the upstream definitions
// (staging/src/k8s.io/api/core/v1/generated.proto, apimachinery/pkg/apis/meta/v1/generated.proto,
// apimachinery/pkg/runtime/generated.proto). Only what those requests carry is declared:
// protobuf skips unknown fields, so an older or newer client still decodes.
import protobuf from 'protobufjs';
import { POD_PROTO } from './pod-messages.js';

const PROTO = `
syntax = "proto2";
package k8s;

message TypeMeta { optional string apiVersion = 1; optional string kind = 2; }
// runtime.Unknown: the envelope after the 4-byte magic "k8s\\0".
message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
message Time { optional int64 seconds = 1; optional int32 nanos = 2; }
message OwnerReference {
  optional string kind = 1; optional string name = 3; optional string uid = 4; optional string apiVersion = 5;
  optional bool controller = 6; optional bool blockOwnerDeletion = 7;
}
message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9;
  optional int64 deletionGracePeriodSeconds = 10;
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
}
message Secret {
  optional ObjectMeta metadata = 1;
  map<string, bytes> data = 2;
  optional string type = 3;
  map<string, string> stringData = 4;
  optional bool immutable = 5;
}
message ConfigMap {
  optional ObjectMeta metadata = 1;
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
  optional bool immutable = 4;
}
message NamespaceSpec { repeated string finalizers = 1; }
message Namespace { optional ObjectMeta metadata = 1; optional NamespaceSpec spec = 2; }
`;

let root: protobuf.Root | undefined;

/** The parsed definitions, built on first use (start-up does not pay for them). */
export function messages(): protobuf.Root {
  root ??= protobuf.parse(PROTO + POD_PROTO, { keepCase: true }).root;
  return root;
}

/** The core/v1 kinds a protobuf body may carry, by kind. */
export const PROTOBUF_KINDS = ['Secret', 'ConfigMap', 'Namespace', 'Pod'] as const;
export type ProtobufKind = (typeof PROTOBUF_KINDS)[number];
