// Manifest decoding: YAML or JSON, several documents per file (`---`), and
// `kind: List` wrappers. One bad document never hides the others: each result
// carries either an object or an error naming its document index.

import type { Document } from 'yaml';
import { yaml } from '../../util/yaml.js';
import { jsonDepth, MAX_NESTING_DEPTH, yamlDepth } from './nesting.js';

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
  const raw: RawDoc[] = json.ok
    ? [{ index: 0, value: json.value }]
    : json.error !== undefined
      ? [{ index: 0, error: `${where(0)}: ${json.error}` }]
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

interface RawDoc {
  index: number;
  value?: unknown;
  error?: string;
}

/**
 * One request body (the API server's decoder): JSON, or YAML when `yaml` is set
 * (JSON text is decoded as JSON either way: it is YAML too, and much cheaper).
 * Throws an Error whose message says what is wrong; nesting is bounded first.
 */
export function decodeDocument(text: string, yaml: boolean): unknown {
  const json = tryJson(text);
  if (json.ok) return json.value;
  if (json.error !== undefined) throw new Error(json.error);
  if (!yaml) return JSON.parse(text);
  const docs = parseYamlStream(text, () => 'document');
  const first = docs[0];
  if (first?.error !== undefined) throw new Error(first.error.replace(/^document: /, ''));
  return first?.value;
}

/** Plain JSON first: JSON with tab indentation is not always valid YAML. */
function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error?: string } {
  const t = text.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return { ok: false };
  if (jsonDepth(text) > MAX_NESTING_DEPTH) return { ok: false, error: `exceeded max depth of ${MAX_NESTING_DEPTH}` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const yamlError = (msg: string) => `error converting YAML to JSON: yaml: ${msg}`;

function parseYamlStream(text: string, where: (i: number) => string): RawDoc[] {
  if (yamlDepth(text) > MAX_NESTING_DEPTH)
    return [{ index: 0, error: `${where(0)}: ${yamlError(`exceeded max depth of ${MAX_NESTING_DEPTH}`)}` }];
  // uniqueKeys is checked below in linear time: the library compares every key with every other one.
  const docs = yaml().parseAllDocuments(text, { uniqueKeys: false, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line;
      const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { index, error: `${where(index)}: ${yamlError(`${line !== undefined ? `line ${line}: ` : ''}${msg}`)}` };
    }
    const dup = duplicateKey(doc, text);
    if (dup) return { index, error: `${where(index)}: ${yamlError(dup)}` };
    try {
      // maxAliasCount refuses alias bombs ("billion laughs").
      return { index, value: doc.toJS({ maxAliasCount: 100 }) };
    } catch (e) {
      return { index, error: `${where(index)}: ${(e as Error).message}` };
    }
  });
}

/** The first scalar key repeated in a mapping, as goyaml's strict decoding words it. */
function duplicateKey(doc: Document.Parsed, text: string): string | undefined {
  let found: string | undefined;
  const { isMap, isScalar, visit } = yaml();
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if (key === undefined) continue;
        if (seen.has(key)) {
          const at = pair.key && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
          const line = at === undefined ? '' : `line ${lineOf(text, at)}: `;
          found = `unmarshal errors: ${line}key ${JSON.stringify(String(key))} already set in map`;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
