// Builds Kubernetes protobuf request bodies byte by byte with protobufjs' Writer and the
// upstream field numbers, independently of the agent's .proto text, so a test of the
// decoder does not read back its own definitions.
import protobuf from 'protobufjs';

type Fields = (w: protobuf.Writer) => void;

const str =
  (n: number, v: string | undefined): Fields =>
  (w) => {
    if (v !== undefined) w.uint32((n << 3) | 2).string(v);
  };
const msg =
  (n: number, inner: Fields): Fields =>
  (w) => {
    w.uint32((n << 3) | 2).fork();
    inner(w);
    w.ldelim();
  };
const bytesField =
  (n: number, v: Uint8Array): Fields =>
  (w) => {
    w.uint32((n << 3) | 2).bytes(v);
  };
const all =
  (...fs: Fields[]): Fields =>
  (w) => {
    for (const f of fs) f(w);
  };
const map = (n: number, entries: Record<string, string | Uint8Array>): Fields =>
  all(
    ...Object.entries(entries).map(([k, v]) =>
      msg(n, all(str(1, k), typeof v === 'string' ? str(2, v) : bytesField(2, v))),
    ),
  );

function encode(f: Fields): Uint8Array {
  const w = protobuf.Writer.create();
  f(w);
  return w.finish();
}

export interface MetaFields {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
}
const objectMeta = (m: MetaFields): Fields =>
  all(str(1, m.name), str(3, m.namespace), ...(m.labels ? [map(11, m.labels)] : []));

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw, "", ""} as client-go sends it. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = encode(
    all(msg(1, all(str(1, apiVersion), str(2, kind))), bytesField(2, raw), str(3, ''), str(4, '')),
  );
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(unknown)]);
}

export function secretBody(meta: MetaFields, data: Record<string, Uint8Array>, type?: string): Buffer {
  return envelope('v1', 'Secret', encode(all(msg(1, objectMeta(meta)), map(2, data), str(3, type))));
}

export function configMapBody(meta: MetaFields, data: Record<string, string>): Buffer {
  return envelope('v1', 'ConfigMap', encode(all(msg(1, objectMeta(meta)), map(2, data))));
}

export function podBody(meta: MetaFields): Buffer {
  return envelope('v1', 'Pod', encode(msg(1, objectMeta(meta))));
}

const varint =
  (n: number, v: number | boolean): Fields =>
  (w) => {
    w.uint32(n << 3).int64(typeof v === 'boolean' ? (v ? 1 : 0) : v);
  };

/**
 * The pod `kubectl debug node/test-node` creates, as gogo marshals it: every non-pointer
 * string and bool written even when empty, inline structs (VolumeSource, ProbeHandler)
 * as nested messages, a Quantity and an IntOrString. Plus an emptyDir (an empty message
 * that must survive) and a readiness probe, which kubectl's copy would carry.
 */
export function nodeDebugPodBody(): Buffer {
  const emptyStrings = (...ns: number[]) => all(...ns.map((n) => str(n, '')));
  const container = all(
    str(1, 'debugger'),
    str(2, 'minikubelet.local/busybox:1.35'),
    emptyStrings(5),
    msg(8, all()),
    msg(9, all(str(1, 'host-root'), varint(2, false), str(3, '/host'), emptyStrings(4, 6))),
    msg(9, all(str(1, 'scratch'), varint(2, false), str(3, '/scratch'), emptyStrings(4, 6))),
    // readinessProbe{handler{tcpSocket{port{type 0, intVal 80, strVal ""}}}, zeros for the value ints}
    msg(11, all(msg(1, msg(3, msg(1, all(varint(1, 0), varint(2, 80), str(3, ''))))), varint(2, 0), varint(3, 0))),
    emptyStrings(13, 14),
    varint(16, true),
    varint(17, false),
    varint(18, true),
    str(20, 'File'),
  );
  const spec = all(
    msg(1, all(str(1, 'host-root'), msg(2, msg(1, all(str(1, '/'), str(2, '')))))),
    // emptyDir{medium "", sizeLimit Quantity{"64Mi"}}
    msg(1, all(str(1, 'scratch'), msg(2, msg(2, all(str(1, ''), msg(2, str(1, '64Mi'))))))),
    msg(2, container),
    str(3, 'Never'),
    emptyStrings(6, 8, 9),
    str(10, 'test-node'),
    varint(11, true),
    varint(12, true),
    varint(13, true),
    emptyStrings(16, 17, 19),
    msg(22, all(str(1, ''), str(2, 'Exists'), str(3, ''), str(4, ''))),
  );
  const meta = all(str(1, 'node-debugger-test-node-abcde'), emptyStrings(2), str(3, 'default'), msg(8, all()));
  return envelope('v1', 'Pod', encode(all(msg(1, meta), msg(2, spec))));
}
