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
