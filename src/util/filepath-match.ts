// Go's path/filepath.Match (Unix separator), ported chunk for chunk from
// src/path/filepath/match.go: `*` (not across `/`), `?`, `[a-z]`, `[^x]`, `\x`.
// Linear per chunk position, no regular expression and no backtracking beyond the
// last star: a pattern like `*a*a*a*a*a*a*a*a*b` costs O(len(pattern) · len(name)),
// where a translated RegExp backtracks exponentially. A malformed pattern never
// matches (Go returns ErrBadPattern, which the callers treat as no match).

const SEPARATOR = '/';

class BadPattern extends Error {}

/** filepath.Match(pattern, name) with an error counted as no match. */
export function filepathMatch(pattern: string, name: string): boolean {
  try {
    return match([...pattern], [...name]);
  } catch (err) {
    if (err instanceof BadPattern) return false;
    throw err;
  }
}

function match(pattern: string[], name: string[]): boolean {
  let p = 0;
  let n = 0;
  outer: while (p < pattern.length) {
    const { star, chunk, next } = scanChunk(pattern, p);
    p = next;
    if (star && chunk.length === 0) return !name.slice(n).includes(SEPARATOR); // trailing `*`
    const t = matchChunk(chunk, name, n);
    // The last chunk must consume the whole name; otherwise a star may still move it on.
    if (t >= 0 && (t === name.length || p < pattern.length)) {
      n = t;
      continue;
    }
    if (star) {
      for (let i = n; i < name.length && name[i] !== SEPARATOR; i++) {
        const u = matchChunk(chunk, name, i + 1);
        if (u < 0 || (p === pattern.length && u < name.length)) continue;
        n = u;
        continue outer;
      }
    }
    // No match: the rest of the pattern must still be well-formed (Go reports ErrBadPattern).
    while (p < pattern.length) {
      const rest = scanChunk(pattern, p);
      p = rest.next;
      matchChunk(rest.chunk, [], 0);
    }
    return false;
  }
  return n === name.length;
}

/** Leading stars, then the chunk up to the next star outside a `[…]` class. */
function scanChunk(pattern: string[], from: number): { star: boolean; chunk: string[]; next: number } {
  let i = from;
  let star = false;
  while (i < pattern.length && pattern[i] === '*') {
    i++;
    star = true;
  }
  const start = i;
  let inRange = false;
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 < pattern.length) i++;
    } else if (c === '[') inRange = true;
    else if (c === ']') inRange = false;
    else if (c === '*' && !inRange) break;
  }
  return { star, chunk: pattern.slice(start, i), next: i };
}

/** Matches `chunk` at name[from]; the index after it, or -1. Throws BadPattern for a malformed chunk. */
function matchChunk(chunk: string[], name: string[], from: number): number {
  let s = from;
  let failed = false;
  let c = 0;
  while (c < chunk.length) {
    if (!failed && s >= name.length) failed = true;
    const ch = chunk[c]!;
    if (ch === '[') {
      const r = failed ? -1 : name[s++]!.codePointAt(0)!;
      c++;
      const negated = chunk[c] === '^';
      if (negated) c++;
      let matched = false;
      for (let ranges = 0; ; ranges++) {
        if (chunk[c] === ']' && ranges > 0) {
          c++;
          break;
        }
        const lo = getEsc(chunk, c);
        c = lo.next;
        let hi = lo.rune;
        if (chunk[c] === '-') {
          const h = getEsc(chunk, c + 1);
          hi = h.rune;
          c = h.next;
        }
        if (lo.rune <= r && r <= hi) matched = true;
      }
      if (matched === negated) failed = true;
    } else if (ch === '?') {
      if (!failed) {
        if (name[s] === SEPARATOR) failed = true;
        s++;
      }
      c++;
    } else {
      if (ch === '\\') {
        c++;
        if (c >= chunk.length) throw new BadPattern();
      }
      if (!failed) {
        if (chunk[c] !== name[s]) failed = true;
        s++;
      }
      c++;
    }
  }
  return failed ? -1 : s;
}

/** One (possibly escaped) character of a class; `-`, `]` or the end where one is needed are malformed. */
function getEsc(chunk: string[], at: number): { rune: number; next: number } {
  let i = at;
  if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']') throw new BadPattern();
  if (chunk[i] === '\\') {
    i++;
    if (i >= chunk.length) throw new BadPattern();
  }
  const rune = chunk[i]!.codePointAt(0)!;
  i++;
  if (i >= chunk.length) throw new BadPattern();
  return { rune, next: i };
}
