// fieldSelector and labelSelector, parsed into predicates (apimachinery's syntax).
import { KubeletError } from '../util/errors.js';

export type Predicate<T> = (obj: T) => boolean;

/** Splits on commas outside parentheses, honouring `\,` escapes. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

const unescapeValue = (v: string) => v.replace(/\\(.)/g, '$1');

/** Field accessors per resource: the field labels the API server supports. */
export type FieldGetter<T> = (obj: T) => string | undefined;

export function parseFieldSelector<T>(selector: string | null, fields: Record<string, FieldGetter<T>>): Predicate<T> {
  if (!selector) return () => true;
  const tests = splitTerms(selector).map((term) => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m)
      throw new KubeletError(
        'BadRequest',
        `invalid field selector: ${JSON.stringify(term)}: expected key=value or key!=value`,
      );
    const [, key, op, rawValue] = m as unknown as [string, string, string, string];
    const get = fields[key];
    if (!get) throw new KubeletError('BadRequest', `field label not supported: ${key}`);
    const value = unescapeValue(rawValue);
    return op === '!=' ? (o: T) => (get(o) ?? '') !== value : (o: T) => (get(o) ?? '') === value;
  });
  return (o) => tests.every((t) => t(o));
}

const LABEL_KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, term: string): string {
  if (!LABEL_KEY.test(key))
    throw new KubeletError(
      'BadRequest',
      `unable to parse requirement: invalid label key ${JSON.stringify(key)} in ${JSON.stringify(term)}`,
    );
  return key;
}

type Labels = Record<string, string> | undefined;

export function parseLabelSelector(selector: string | null): Predicate<Labels> {
  if (!selector) return () => true;
  const tests = splitTerms(selector).map((term): Predicate<Labels> => {
    let m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(term);
    if (m) {
      const key = checkKey(m[1]!, term);
      const values = new Set(m[3]!.split(',').map((v) => v.trim()));
      return m[2] === 'in'
        ? (l) => l?.[key] !== undefined && values.has(l[key]!)
        : (l) => l?.[key] === undefined || !values.has(l[key]!);
    }
    m = /^!\s*(\S+)$/.exec(term);
    if (m) {
      const key = checkKey(m[1]!, term);
      return (l) => l?.[key] === undefined;
    }
    m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (m) {
      const key = checkKey(m[1]!, term);
      const value = m[3]!;
      return m[2] === '!=' ? (l) => l?.[key] !== value : (l) => l?.[key] === value;
    }
    if (/^\S+$/.test(term)) {
      const key = checkKey(term, term);
      return (l) => l?.[key] !== undefined;
    }
    throw new KubeletError('BadRequest', `unable to parse requirement: ${JSON.stringify(term)}`);
  });
  return (l) => tests.every((t) => t(l));
}

interface HasMeta {
  metadata: { labels?: Record<string, string> };
}

/** Both selectors of a list or watch request, combined (BadRequest when malformed). */
export function selectorFromQuery<T extends HasMeta>(
  query: URLSearchParams,
  fields: Record<string, FieldGetter<T>>,
): Predicate<T> {
  const byField = parseFieldSelector(query.get('fieldSelector'), fields);
  const byLabel = parseLabelSelector(query.get('labelSelector'));
  return (o) => byField(o) && byLabel(o.metadata.labels);
}
