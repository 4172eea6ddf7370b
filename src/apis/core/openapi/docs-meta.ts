// Descriptions of the apimachinery meta types (k8s.io/apimachinery/pkg/apis/meta/v1 types.go),
// written for minikubelet from what each field means to the API.
import { TIME, TYPE_META_FIELDS, type TypeDocs } from './doc-types.js';

export const META_DOCS: TypeDocs = {
  'meta.ObjectMeta': {
    d: 'Metadata every persisted object carries: its identity (name, namespace, uid), its version for optimistic concurrency, user-set labels and annotations, and lifecycle markers.',
    fields: {
      name: "The object's name, unique among objects of its kind in its namespace. Must be a DNS subdomain for most kinds; it cannot be changed once the object exists.",
      generateName:
        'A prefix from which the server builds a unique name when `name` is empty: it appends a short random suffix. Ignored when `name` is set.',
      namespace:
        'The namespace the object lives in; an empty value means `default` for namespaced kinds. Cluster-scoped kinds (Node, Namespace) have none. Must be a DNS label.',
      selfLink:
        'Deprecated and never set: a URL of the object. Build it from the group, version, resource and name instead.',
      uid: 'A server-assigned identifier, unique across the whole lifetime of the cluster. Distinguishes an object from a later one re-created with the same name. Read-only.',
      resourceVersion:
        'An opaque version of this object that changes on every write. Clients hand it back unmodified for optimistic concurrency and to start watches from a point in time. Read-only.',
      generation: {
        d: 'A sequence number the server increments whenever the desired state (spec) changes. Read-only.',
        format: 'int64',
      },
      creationTimestamp: {
        d: 'When the server created the object, in RFC 3339 form (UTC). Read-only; clients must not set it.',
        ...TIME,
      },
      deletionTimestamp: {
        d: 'When the object will be (or was asked to be) removed: set by the server when a graceful deletion is requested. Once set it is only moved earlier; the object disappears after its finalizers are gone. Read-only.',
        ...TIME,
      },
      deletionGracePeriodSeconds: {
        d: 'The number of seconds the object was given to terminate gracefully once deletion was requested. Set together with deletionTimestamp; read-only.',
        format: 'int64',
      },
      labels:
        'Key/value pairs used to organise and select objects (label selectors). Keys are an optional DNS-subdomain prefix and a name of at most 63 characters; values are at most 63 characters.',
      annotations:
        'Arbitrary non-identifying key/value metadata kept with the object, for tools and humans (for example `kubectl.kubernetes.io/last-applied-configuration`). Not queryable.',
      ownerReferences: {
        d: 'The objects this one depends on. When every owner is deleted, the garbage collector removes this object. At most one owner may be the managing controller.',
        mergeKey: 'uid',
      },
      finalizers: {
        d: 'Names of pending cleanup steps. A deleted object stays (with deletionTimestamp set) until this list is empty; each entry is removed by the component responsible for it.',
        set: true,
      },
      managedFields:
        'Which field manager (client) owns which fields, as maintained by server-side apply. Internal bookkeeping; most users never need to read or set it.',
    },
  },
  'meta.ListMeta': {
    d: 'Metadata of a list answer: the version the list was read at and the token to fetch the next page.',
    fields: {
      selfLink: 'Deprecated and never set: a URL of the list.',
      resourceVersion:
        'The version of the collection this list was read at. Start a watch from it to see every change after the list.',
      continue:
        'Set when the list was cut short by `limit`: pass it as the `continue` parameter to get the next page. Empty on the last page.',
      remainingItemCount: {
        d: 'How many items remain after this page, when the server can count them. An estimate: the collection may change meanwhile.',
        format: 'int64',
      },
    },
  },
  'meta.Status': {
    d: 'The answer to a call that returns no object, and the body of every error: whether it succeeded, a human message, a machine-readable reason and details.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: 'Standard list metadata (unused for a single status).',
      status: { d: 'The outcome of the operation.', enum: ['Success', 'Failure'] },
      message: 'A human-readable description of the outcome.',
      reason:
        'A machine-readable CamelCase reason for a failure (NotFound, AlreadyExists, Invalid, BadRequest, Conflict…). Empty when unknown.',
      details:
        'Extra data about the failure, such as the object involved and the invalid fields. Its shape depends on the reason.',
      code: 'The HTTP status code of this answer (0 when not set).',
    },
  },
  'meta.StatusDetails': {
    d: 'Data a failure Status carries about the object it concerns.',
    fields: {
      name: 'The name of the object the failure is about, when there is one.',
      group: 'The API group of that object.',
      kind: 'The kind (or resource) of that object.',
      uid: 'The uid of that object, when known.',
      causes: 'Each individual problem, for example one per invalid field.',
      retryAfterSeconds: 'How many seconds the client should wait before retrying, when the failure is temporary.',
    },
  },
  'meta.StatusCause': {
    d: 'One problem that contributed to a failure.',
    fields: {
      reason: 'A machine-readable description of the problem (for example FieldValueRequired, FieldValueInvalid).',
      message: 'A human-readable description of the problem.',
      field:
        'The path of the field the problem is in, as JSON field names with dots and list indexes (`spec.containers[0].image`). Empty when no single field is at fault.',
    },
  },
  ObjectReference: {
    d: 'A reference to another object precisely enough to find it, optionally to a part of it.',
    fields: {
      apiVersion: 'The API version of the referenced object.',
      kind: 'The kind of the referenced object.',
      name: 'The name of the referenced object.',
      namespace: 'The namespace of the referenced object, for namespaced kinds.',
      uid: 'The uid of the referenced object, so a re-created object with the same name does not match.',
      fieldPath:
        'Which part of the object is meant, as a path such as `spec.containers{app}` (the container named app) for an event about one container.',
      resourceVersion: 'The version of the referenced object the reference was made against.',
    },
  },
};
