// A directory of JSON files, one object each, written atomically with mode 0600
// (stored objects may hold credentials). A file's name is the SHA-256 of its key, so
// it has a fixed length whatever the key: a 253-character name in a 63-character
// namespace would overflow NAME_MAX (255) as a readable name. The key is stored in
// the file beside the value. Files written by earlier versions (the value alone,
// named `encodeURIComponent(key).json`) are still read, and rewritten in the new form.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { childPath } from '../util/safe-path.js';

interface Envelope<T> {
  key: string;
  value: T;
}

const HASHED_NAME = /^[0-9a-f]{64}\.json$/;

export class JsonDir<T> {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  /** Persist `value` under `key`; throws (with nothing changed) when the write fails. */
  write(key: string, value: T): void {
    const file = this.#file(key);
    const tmp = `${file}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ key, value } satisfies Envelope<T>), { mode: 0o600 });
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  remove(key: string): void {
    rmSync(this.#file(key), { force: true });
  }

  /** Every stored value; unreadable files are reported, not fatal. */
  readAll(onError: (file: string, err: unknown) => void): T[] {
    const out: T[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const parsed = JSON.parse(readFileSync(childPath(this.dir, name), 'utf8')) as unknown;
        out.push(HASHED_NAME.test(name) ? envelopeValue<T>(parsed) : this.#migrate(name, parsed as T));
      } catch (err) {
        onError(name, err);
      }
    }
    return out;
  }

  /** An old-style file: its name is the URI-encoded key. Rewrite it under the hashed name. */
  #migrate(name: string, value: T): T {
    const key = decodeURIComponent(name.slice(0, -'.json'.length));
    this.write(key, value);
    rmSync(childPath(this.dir, name), { force: true });
    return value;
  }

  #file(key: string): string {
    return childPath(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }
}

function envelopeValue<T>(parsed: unknown): T {
  const e = parsed as Partial<Envelope<T>> | null;
  if (typeof e !== 'object' || e === null || typeof e.key !== 'string' || e.value === undefined) {
    throw new Error('not a stored record (expected {"key", "value"})');
  }
  return e.value;
}
