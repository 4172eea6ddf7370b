// Manifest decoding: YAML or JSON, several documents per file (`---`), and
// `kind: List` wrappers. One bad document never hides the others: each result
// carries either an object or an error naming its document index.

import { parseAllDocuments } from 'yaml';

export interface DecodedDoc {
  /** 0-based position of the document in the file. */
  index: number;
  /** Position inside a `List`'s items, when the object came from one. */
  item?: number;
  object?: unknown;
  kind?: string;
  error?: string;
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

/**
 * `source` names the input for error messages only when given; callers that
 * already prefix the file name may omit it.
 */
export function decodeManifests(text: string, source?: string): DecodedDoc[] {
  const where = (index: number) => `${source ? `${source}: ` : ''}document ${index}`;
  const json = tryJson(text);
  const raw: { index: number; value?: unknown; error?: string }[] = json.ok
    ? [{ index: 0, value: json.value }]
    : parseYamlStream(text, where);

  const out: DecodedDoc[] = [];
  for (const d of raw) {
    if (d.error !== undefined) {
      out.push({ index: d.index, error: d.error });
      continue;
    }
    const v = d.value;
    if (v === null || v === undefined) continue; // empty document (e.g. a trailing `---`)
    if (!isMapping(v)) {
      out.push({
        index: d.index,
        error: `${where(d.index)}: expected a mapping (an object with apiVersion and kind), got ${describe(v)}`,
      });
      continue;
    }
    if (isList(v)) {
      (v.items as unknown[]).forEach((item, i) => {
        if (isMapping(item)) out.push(withKind({ index: d.index, item: i, object: item }));
        else
          out.push({
            index: d.index,
            item: i,
            error: `${where(d.index)}: items[${i}]: expected a mapping, got ${describe(item)}`,
          });
      });
      continue;
    }
    out.push(withKind({ index: d.index, object: v }));
  }
  return out;
}

/** `kind: List` (and typed lists such as `PodList`) carry their objects in `items`. */
function isList(v: Record<string, unknown>): boolean {
  return typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items);
}

function withKind(d: DecodedDoc): DecodedDoc {
  const kind = (d.object as Record<string, unknown>).kind;
  if (typeof kind === 'string') d.kind = kind;
  return d;
}

/** Plain JSON first: JSON with tab indentation is not always valid YAML. */
function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const t = text.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function parseYamlStream(
  text: string,
  where: (i: number) => string,
): { index: number; value?: unknown; error?: string }[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return {
        index,
        error: `${where(index)}: error converting YAML to JSON: yaml: ${line !== undefined ? `line ${line}: ` : ''}${msg}`,
      };
    }
    try {
      return { index, value: doc.toJS({ maxAliasCount: 100 }) };
    } catch (e) {
      return { index, error: `${where(index)}: ${(e as Error).message}` };
    }
  });
}
