// The shapes of the served kinds the agent does not decode from users (Namespace,
// Event, Node) and of the apimachinery meta types every answer uses (ListMeta,
// Status). Same node language as schema.ts; the OpenAPI documents are generated
// from both, and a list kind is derived for every kind (k8s.io/api/core/v1 types.go).
import { A, B, I, OBJECT_META, OBJECT_REFERENCE, S, arr, map, obj, strings, type ObjectNode } from './schema.js';

export const LIST_META = obj('meta.ListMeta', { selfLink: S, resourceVersion: S, continue: S, remainingItemCount: I });

export const STATUS_SCHEMA = obj('meta.Status', {
  apiVersion: S,
  kind: S,
  metadata: LIST_META,
  status: S,
  message: S,
  reason: S,
  details: obj('meta.StatusDetails', {
    name: S,
    group: S,
    kind: S,
    uid: S,
    causes: arr(obj('meta.StatusCause', { reason: S, message: S, field: S })),
    retryAfterSeconds: I,
  }),
  code: I,
});

export const objectReference = OBJECT_REFERENCE;

export const NAMESPACE_SCHEMA = obj('Namespace', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  spec: obj('NamespaceSpec', { finalizers: strings }),
  status: obj('NamespaceStatus', {
    phase: S,
    conditions: arr(obj('NamespaceCondition', { type: S, status: S, lastTransitionTime: S, reason: S, message: S })),
  }),
});

export const EVENT_SCHEMA = obj('Event', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  involvedObject: objectReference,
  reason: S,
  message: S,
  source: obj('EventSource', { component: S, host: S }),
  firstTimestamp: S,
  lastTimestamp: S,
  count: I,
  type: S,
  eventTime: S,
  series: obj('EventSeries', { count: I, lastObservedTime: S }),
  action: S,
  related: objectReference,
  reportingComponent: S,
  reportingInstance: S,
});

export const NODE_SCHEMA = obj('Node', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  spec: obj('NodeSpec', {
    podCIDR: S,
    podCIDRs: strings,
    providerID: S,
    unschedulable: B,
    taints: arr(obj('Taint', { key: S, value: S, effect: S, timeAdded: S })),
    configSource: A,
    externalID: S,
  }),
  status: obj('NodeStatus', {
    capacity: map('quantity'),
    allocatable: map('quantity'),
    phase: S,
    conditions: arr(
      obj('NodeCondition', {
        type: S,
        status: S,
        lastHeartbeatTime: S,
        lastTransitionTime: S,
        reason: S,
        message: S,
      }),
    ),
    addresses: arr(obj('NodeAddress', { type: S, address: S })),
    daemonEndpoints: obj('NodeDaemonEndpoints', {
      kubeletEndpoint: obj('DaemonEndpoint', { Port: I }),
    }),
    nodeInfo: obj('NodeSystemInfo', {
      machineID: S,
      systemUUID: S,
      bootID: S,
      kernelVersion: S,
      osImage: S,
      containerRuntimeVersion: S,
      kubeletVersion: S,
      kubeProxyVersion: S,
      operatingSystem: S,
      architecture: S,
    }),
    images: arr(obj('ContainerImage', { names: strings, sizeBytes: I })),
    volumesInUse: strings,
    volumesAttached: arr(A),
    config: A,
    runtimeHandlers: arr(A),
    features: A,
  }),
});

/** `PodList` and friends: the shape every list answer has. */
export function listOf(kind: ObjectNode): ObjectNode {
  return obj(`${kind.name}List`, { apiVersion: S, kind: S, metadata: LIST_META, items: arr(kind) });
}
