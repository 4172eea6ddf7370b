// The kubeconfig the agent writes at every start, emitted without the yaml package when
// every key and value is a plain scalar (#17: the package stays unloaded in `serve`).
// The output is byte for byte what yaml's stringify gives for the same object (unit-
// tested against it); anything outside the plain subset — a value that would need quotes,
// a name starting with a digit, an empty string — goes to yaml's stringify itself.
import { yaml } from '../util/yaml.js';

/**
 * A letter, digit, `_` or `-` first (a base64url token may start with any of them), then
 * characters no YAML plain scalar needs quoting for; no spaces, `#` or `: `.
 */
const PLAIN = /^[A-Za-z0-9_-][A-Za-z0-9_./:+=@-]*$/;
/** Words a YAML 1.1/1.2 reader might take for a boolean, null or special float. */
const SPECIAL = /^(true|false|null|yes|no|on|off|y|n|nan|inf)$/i;
/** What the core schema reads as a number (yaml quotes a string that looks like one). */
const NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;

/** A string yaml's stringify writes as is: the plain emitter may write it. */
export const isPlainScalar = (s: unknown): s is string =>
  typeof s === 'string' && PLAIN.test(s) && s !== '-' && !s.endsWith(':') && !SPECIAL.test(s) && !NUMBER.test(s);
const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Block-style lines of a mapping at `indent`; undefined when something is outside the plain subset. */
function mappingLines(obj: Record<string, unknown>, indent: number): string[] | undefined {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (!isPlainScalar(k)) return undefined;
    if (typeof v === 'string') {
      if (!isPlainScalar(v)) return undefined;
      lines.push(`${pad}${k}: ${v}`);
    } else if (Array.isArray(v)) {
      if (v.length === 0) return undefined;
      lines.push(`${pad}${k}:`);
      for (const item of v) {
        // A sequence of mappings: `  - first: x` then the other keys under `first`.
        if (!isMapping(item) || Object.keys(item).length === 0) return undefined;
        const sub = mappingLines(item, indent + 4);
        if (!sub) return undefined;
        sub[0] = `${pad}  - ${sub[0]!.slice(indent + 4)}`;
        lines.push(...sub);
      }
    } else if (isMapping(v)) {
      if (Object.keys(v).length === 0) {
        lines.push(`${pad}${k}: {}`);
        continue;
      }
      const sub = mappingLines(v, indent + 2);
      if (!sub) return undefined;
      lines.push(`${pad}${k}:`, ...sub);
    } else return undefined;
  }
  return lines;
}

/** `config` as YAML: the plain emitter when it can, yaml's stringify otherwise. */
export function kubeconfigYaml(config: Record<string, unknown>): string {
  const lines = mappingLines(config, 0);
  return lines ? `${lines.join('\n')}\n` : yaml().stringify(config);
}
