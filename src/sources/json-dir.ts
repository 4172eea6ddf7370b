// A directory of JSON files, one object each, written atomically with mode 0600
// (stored objects may hold credentials). A file's name is the SHA-256 of its key, so
// it has a fixed length whatever the key: a 253-character name in a 63-character
// namespace would overflow NAME_MAX (255) as a readable name. The key is stored in
// the file beside the value. Files written by earlier versions (the value alone,
// named `encodeURIComponent(key).json`) are still read, and rewritten in the new form.
// Writes are durable (util/durable-write.ts): after a crash a record is its old or its
// new version. A record that still cannot be read at start (damaged on disk, edited by
// hand) is reported and moved aside as `<name>.corrupt-<time>`; it never stops the agent.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { childPath } from '../util/safe-path.js';
import { syncDir, writeFileDurably } from '../util/durable-write.js';

interface Envelope<T> {
  key: string;
  value: T;
}

const HASHED_NAME = /^[0-9a-f]{64}\.json$/;

export class JsonDir<T> {
  /**
   * `crashPoints`: the test-only crash hook may fire inside this directory's writes
   * (persist-half-written, persist-before-rename). Only the API pods' directory sets it:
   * other stores write at every start, before a test could reach the write it means.
   */
  constructor(
    private readonly dir: string,
    private readonly opts: { crashPoints?: boolean } = {},
  ) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  /** Persist `value` under `key`; throws (with nothing changed) when the write fails. */
  write(key: string, value: T): void {
    const file = this.#file(key);
    writeFileDurably(file, `${file}.tmp`, JSON.stringify({ key, value } satisfies Envelope<T>), 0o600, {
      crashPoints: this.opts.crashPoints === true,
    });
  }

  /** The value stored under `key`, or undefined when there is none or it cannot be read. */
  read(key: string): T | undefined {
    try {
      return envelopeValue<T>(JSON.parse(readFileSync(this.#file(key), 'utf8')) as unknown);
    } catch {
      return undefined;
    }
  }

  remove(key: string): void {
    rmSync(this.#file(key), { force: true });
    syncDir(this.dir);
  }

  /**
   * Every stored value. A leftover temporary file (a crash before its rename) is
   * deleted: the record it would have replaced is intact. An unreadable record is
   * reported through `onError` (with the name it was moved aside to) and set aside.
   */
  readAll(onError: (file: string, err: unknown) => void, now: () => number = Date.now): T[] {
    const out: T[] = [];
    for (const name of readdirSync(this.dir)) {
      if (name.endsWith('.json.tmp')) {
        rmSync(childPath(this.dir, name), { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      try {
        const parsed = JSON.parse(readFileSync(childPath(this.dir, name), 'utf8')) as unknown;
        out.push(HASHED_NAME.test(name) ? envelopeValue<T>(parsed) : this.#migrate(name, parsed as T));
      } catch (err) {
        onError(this.#setAside(name, now()), err);
      }
    }
    return out;
  }

  /** Renames an unreadable record out of the way (kept for inspection); returns its new name. */
  #setAside(name: string, now: number): string {
    const aside = `${name}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(childPath(this.dir, name), childPath(this.dir, aside));
      return aside;
    } catch {
      return name; // unreadable and immovable (a directory named *.json): reported as it is
    }
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
