// Nesting depth of JSON and YAML text, measured BEFORE parsing. Parsers recurse (or
// allocate) per level: a 200 KB `[[[[…` made the yaml library run out of memory and
// a 2 MB one blocked the event loop for seconds. The API server refuses such input
// with 400 (JSON: k8s.io/apimachinery/pkg/util/json via sigs.k8s.io/json's
// `maxNestingDepth` 10,000; YAML: sigs.k8s.io/yaml). Both scans are one linear pass
// that stops as soon as the limit is passed.

/**
 * Lower than the API server's 10,000 levels, for both formats: in Node the call stack
 * bounds it. The yaml library recurses several frames per level and overflows near
 * 800 levels; V8's structuredClone and JSON.stringify (every stored or served object
 * goes through them) overflow near 4,000. 500 levels is far above any real manifest
 * (a pod is under 20 deep) and keeps everything accepted well inside those bounds.
 */
export const MAX_NESTING_DEPTH = 500;

/** Deepest `{`/`[` nesting of JSON text; stops counting once past `limit`. Strings and escapes are skipped. */
export function jsonDepth(text: string, limit = MAX_NESTING_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === DQUOTE) inString = false;
    } else if (c === DQUOTE) inString = true;
    else if (c === LBRACE || c === LBRACKET) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if ((c === RBRACE || c === RBRACKET) && depth > 0) depth--;
  }
  return max;
}

/**
 * Conservative nesting depth of a YAML stream (the deepest document): block nesting
 * is counted as the stack of indentation levels plus compact `- `/`? ` entries on a
 * line, flow nesting as open `[`/`{` that start a node; quoted scalars, comments and
 * block scalars (`|`, `>`) are skipped. It may count a level or two more than the
 * parser sees, never fewer for the shapes that make parsers recurse.
 */
export function yamlDepth(text: string, limit = MAX_NESTING_DEPTH): number {
  const s = new YamlScan(limit);
  let start = 0;
  while (start <= text.length && s.max <= limit) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    s.line(text, start, end);
    start = end + 1;
  }
  return s.max;
}

const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const QMARK = 63;
const COLON = 58;
const COMMA = 44;
const CR = 13;

const isBlank = (c: number) => c === SPACE || c === TAB || c === CR;

class YamlScan {
  max = 0;
  /** Indentation of the enclosing block nodes. */
  readonly #indents: number[] = [];
  #flow = 0;
  #quote = 0;
  /** Indentation of the line that opened a block scalar; its more-indented lines are text. */
  #blockScalar = -1;
  #base = 0;

  constructor(readonly limit: number) {}

  line(text: string, start: number, end: number): void {
    let i = start;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    const indent = i - start;
    const blank = i >= end || text.charCodeAt(i) === CR;
    if (this.#blockScalar >= 0) {
      if (blank || indent > this.#blockScalar) return;
      this.#blockScalar = -1;
    }
    if (this.#flow === 0 && this.#quote === 0) {
      if (blank || text.charCodeAt(i) === HASH) return;
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) {
        this.#indents.length = 0;
        this.#base = 0;
        this.#rest(text, i + 3, end, indent);
        return;
      }
      while (this.#indents.length > 0 && this.#indents[this.#indents.length - 1]! > indent) this.#indents.pop();
      if (this.#indents.length === 0 || this.#indents[this.#indents.length - 1]! < indent) this.#indents.push(indent);
      this.#base = this.#indents.length;
      // Compact nesting on one line: `- - - x`, `? - x`.
      while (i < end && (text.charCodeAt(i) === DASH || text.charCodeAt(i) === QMARK)) {
        const next = i + 1 < end ? text.charCodeAt(i + 1) : SPACE;
        if (!isBlank(next)) break;
        this.#base++;
        i += 2;
        while (i < end && isBlank(text.charCodeAt(i))) i++;
      }
      this.#note(this.#base);
    }
    this.#rest(text, i, end, indent);
  }

  /** Flow collections, quotes and comments from `i` to the end of the line. */
  #rest(text: string, i: number, end: number, indent: number): void {
    const from = i;
    let tokenStart = true;
    for (; i < end && this.max <= this.limit; i++) {
      const c = text.charCodeAt(i);
      if (this.#quote === DQUOTE) {
        if (c === BACKSLASH) i++;
        else if (c === DQUOTE) this.#quote = 0;
        continue;
      }
      if (this.#quote === SQUOTE) {
        if (c === SQUOTE) this.#quote = 0; // `''` re-opens at once: same result
        continue;
      }
      if (c === HASH && tokenStart) return;
      if ((c === DQUOTE || c === SQUOTE) && tokenStart) this.#quote = c;
      else if ((c === LBRACE || c === LBRACKET) && (tokenStart || this.#flow > 0))
        this.#note(this.#base + ++this.#flow);
      else if ((c === RBRACE || c === RBRACKET) && this.#flow > 0) this.#flow--;
      tokenStart = isBlank(c) || c === LBRACE || c === LBRACKET || c === COMMA || (c === COLON && this.#flow > 0);
    }
    if (this.#flow === 0 && this.#quote === 0 && isBlockScalarHeader(text, from, end)) this.#blockScalar = indent;
  }

  #note(depth: number): void {
    if (depth > this.max) this.max = depth;
  }
}

/** The line ends in a block scalar indicator: `|`, `>`, with optional chomping/indentation (`|-`, `>+2`). */
function isBlockScalarHeader(text: string, from: number, end: number): boolean {
  let j = end - 1;
  while (j >= from && isBlank(text.charCodeAt(j))) j--;
  while (j >= from && /[-+0-9]/.test(text[j]!)) j--;
  if (j < from) return false;
  const c = text[j];
  return (c === '|' || c === '>') && (j === from || isBlank(text.charCodeAt(j - 1)));
}
