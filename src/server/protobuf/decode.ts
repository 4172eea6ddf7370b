// Decodes a `application/vnd.kubernetes.protobuf` request body into the same plain
// object a JSON body would give, so everything after the body reader (admission,
// validation, storage) is unchanged. The envelope is the 4-byte magic `k8s\0` then a
// runtime.Unknown (apimachinery/pkg/runtime/serializer/protobuf/protobuf.go).
import { KubeletError } from '../../util/errors.js';
import { rfc3339 } from '../../util/clock.js';
import { messages, PROTOBUF_KINDS, type ProtobufKind } from './messages.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badBody('the body does not start with the Kubernetes protobuf magic "k8s\\x00"');
  }
  const envelope = decodeEnvelope(body.subarray(MAGIC.length));
  const { apiVersion, kind } = envelope.typeMeta ?? {};
  if (apiVersion !== 'v1' || !isProtobufKind(kind)) {
    throw new KubeletError(
      'UnsupportedMediaType',
      `protobuf bodies are accepted for v1 ${PROTOBUF_KINDS.join(', ')}; got ${apiVersion ?? '""'}/${kind ?? '""'}: send JSON`,
    );
  }
  if (envelope.contentEncoding) throw badBody(`unsupported content encoding "${String(envelope.contentEncoding)}"`);
  const raw = envelope.raw ?? new Uint8Array();
  const decoded = decodeMessage(kind, raw);
  const shaped = kind === 'Pod' ? (fromPodProto(decoded) as Record<string, unknown>) : dropEmpty(decoded);
  return { apiVersion, kind, ...toJsonShape(shaped) };
}

function isProtobufKind(kind: string | undefined): kind is ProtobufKind {
  return (PROTOBUF_KINDS as readonly string[]).includes(kind ?? '');
}

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: Uint8Array;
  contentEncoding?: string;
}

/** runtime.Unknown, with `raw` kept as bytes (it is the inner message). */
function decodeEnvelope(bytes: Uint8Array): Envelope {
  try {
    return messages().lookupType('k8s.Unknown').decode(bytes) as unknown as Envelope;
  } catch (err) {
    throw badBody(`cannot decode the envelope: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function decodeMessage(name: string, bytes: Uint8Array): Record<string, unknown> {
  const type = messages().lookupType(`k8s.${name}`);
  try {
    // bytes → base64 strings (the JSON encoding of []byte), int64 → number.
    return type.toObject(type.decode(bytes), { bytes: String, longs: Number, defaults: false }) as Record<
      string,
      unknown
    >;
  } catch (err) {
    throw badBody(`cannot decode ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Protobuf's encodings where JSON's differ: Time messages become RFC 3339 strings. */
function toJsonShape(out: Record<string, unknown>): Record<string, unknown> {
  const meta = out.metadata as Record<string, unknown> | undefined;
  if (meta) {
    for (const key of ['creationTimestamp', 'deletionTimestamp'] as const) {
      const t = meta[key] as { seconds?: number; nanos?: number } | undefined;
      if (t) meta[key] = rfc3339((t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
    }
  }
  return out;
}

/** Map fields: their values may be empty strings (a label `tier: ""`). */
const MAP_FIELDS = new Set(['labels', 'annotations', 'nodeSelector']);
/**
 * Non-pointer bool and int fields with `omitempty`: gogo writes their zero value, JSON
 * leaves them out. (Pointer fields are written only when set, so a pointer's 0 or false,
 * e.g. terminationGracePeriodSeconds: 0, is kept.)
 */
const ZERO_OMITTED = new Set([
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'stdin',
  'stdinOnce',
  'tty',
  'readOnly',
  'hostPort',
  'initialDelaySeconds',
  'timeoutSeconds',
  'periodSeconds',
  'successThreshold',
  'failureThreshold',
]);

/**
 * A decoded Pod in its JSON shape (pod-messages.ts conventions): inline structs merged
 * into their parent, Quantity and IntOrString back to scalars, and the empty strings Go
 * writes for every unset string field (gogo marshals non-pointer fields always) dropped,
 * as JSON's omitempty drops them, and so the zero values of ZERO_OMITTED. Empty messages stay: `emptyDir: {}` is a volume source.
 */
function fromPodProto(v: unknown, isMap = false): unknown {
  if (Array.isArray(v)) return v.map((x) => fromPodProto(x));
  if (!isPlainObject(v)) return v;
  if ('__quantity' in v) return v.__quantity ?? '';
  if ('__ios_type' in v || '__ios_int' in v || '__ios_str' in v)
    return v.__ios_type === 1 ? (v.__ios_str ?? '') : (v.__ios_int ?? 0);
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === '__inline') {
      Object.assign(out, fromPodProto(val));
      continue;
    }
    const c = fromPodProto(val, MAP_FIELDS.has(k));
    if (c === '' && !isMap) continue;
    if ((c === false || c === 0) && ZERO_OMITTED.has(k)) continue;
    out[k] = c;
  }
  return out;
}

function dropEmpty(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      if (v.length) out[k] = v.map((x) => (isPlainObject(x) ? dropEmpty(x) : x));
    } else if (isPlainObject(v)) {
      const inner = dropEmpty(v);
      if (Object.keys(inner).length) out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function badBody(message: string): KubeletError {
  return new KubeletError('BadRequest', `invalid protobuf body: ${message}`);
}
