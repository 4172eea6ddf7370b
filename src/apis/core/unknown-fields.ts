// Strict field validation: walk a raw decoded object against a schema of known
// field names and JSON types. Unknown fields are reported the way the API server's
// strict decoder does (`unknown field "spec.containers[0].imagee"`); a value of
// the wrong JSON type is an Invalid value, since nothing downstream could use it.
// `null` counts as absent, as it does when Go decodes into a struct.

import type { FieldError } from '../../util/errors.js';
import { POD_SCHEMA, type Leaf, type SchemaNode } from './schema.js';

export interface StructureErrors {
  unknown: FieldError[];
  /** Wrong JSON types: the object cannot be defaulted or validated further. */
  types: FieldError[];
}

export function checkStructure(raw: unknown, schema: SchemaNode = POD_SCHEMA): StructureErrors {
  const out: StructureErrors = { unknown: [], types: [] };
  walk(raw, schema, '', out);
  return out;
}

/** Only the unknown-field errors (strict decoding), for callers that need just those. */
export function unknownFields(raw: unknown, schema: SchemaNode = POD_SCHEMA): FieldError[] {
  return checkStructure(raw, schema).unknown;
}

const join = (base: string, name: string) => (base ? `${base}.${name}` : name);

function walk(v: unknown, node: SchemaNode, path: string, out: StructureErrors): void {
  if (v === null || v === undefined) return;
  if (typeof node === 'string') {
    if (!leafMatches(v, node))
      out.types.push({ path, type: 'Invalid value', value: shown(v), detail: `must be of type ${leafName(node)}` });
    return;
  }
  if ('items' in node) {
    if (!Array.isArray(v)) {
      out.types.push({ path, type: 'Invalid value', value: shown(v), detail: 'must be of type array' });
      return;
    }
    v.forEach((item, i) => {
      const p = `${path}[${i}]`;
      if (item === null) out.types.push({ path: p, type: 'Invalid value', value: null, detail: 'must not be null' });
      else walk(item, node.items, p, out);
    });
    return;
  }
  if (!isObject(v)) {
    out.types.push({ path, type: 'Invalid value', value: shown(v), detail: 'must be of type object' });
    return;
  }
  if ('values' in node) {
    for (const [k, val] of Object.entries(v)) walk(val, node.values, `${path}[${k}]`, out);
    return;
  }
  for (const [k, val] of Object.entries(v)) {
    // Own fields only: `__proto__`, `constructor`, `toString` are unknown fields like any other.
    const child = Object.hasOwn(node.fields, k) ? node.fields[k] : undefined;
    if (child === undefined) out.unknown.push({ path: join(path, k), type: 'Unknown field' });
    else walk(val, child, join(path, k), out);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function leafMatches(v: unknown, leaf: Leaf): boolean {
  switch (leaf) {
    case 'any':
      return true;
    case 'string':
      return typeof v === 'string';
    case 'boolean':
      return typeof v === 'boolean';
    case 'integer':
      return Number.isInteger(v);
    case 'int-or-string':
      return typeof v === 'string' || Number.isInteger(v);
    case 'quantity':
      return typeof v === 'string' || typeof v === 'number';
  }
}

function leafName(leaf: Leaf): string {
  return leaf === 'int-or-string' ? 'integer or string' : leaf === 'quantity' ? 'quantity (string or number)' : leaf;
}

/** Objects and arrays are summarised so a message never dumps a whole subtree. */
function shown(v: unknown): unknown {
  if (Array.isArray(v)) return '[...]';
  if (isObject(v)) return '{...}';
  return v;
}

/**
 * A copy of `raw` without the fields the schema does not know: what the API server's
 * decoder keeps when field validation is Ignore or Warn. Wrongly typed values stay,
 * for validation to report.
 */
export function withoutUnknownFields(raw: unknown, schema: SchemaNode = POD_SCHEMA): unknown {
  if (raw === null || typeof schema === 'string') return raw;
  if ('items' in schema) return Array.isArray(raw) ? raw.map((v) => withoutUnknownFields(v, schema.items)) : raw;
  if (!isObject(raw)) return raw;
  // Own-property lookups and fromEntries: a `__proto__` key is a field name like any other
  // (an inherited schema entry must not match it, and assigning it would set a prototype).
  const kept: [string, unknown][] = [];
  for (const [k, v] of Object.entries(raw)) {
    const child = 'values' in schema ? schema.values : Object.hasOwn(schema.fields, k) ? schema.fields[k] : undefined;
    if (child !== undefined) kept.push([k, withoutUnknownFields(v, child)]);
  }
  return Object.fromEntries(kept);
}
