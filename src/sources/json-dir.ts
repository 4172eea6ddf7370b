// A directory of JSON files, one object each, written atomically with mode 0600
// (stored objects may hold credentials).
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class JsonDir<T> {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  write(key: string, value: T): void {
    const file = join(this.dir, `${encodeURIComponent(key)}.json`);
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
    renameSync(tmp, file);
  }

  remove(key: string): void {
    rmSync(join(this.dir, `${encodeURIComponent(key)}.json`), { force: true });
  }

  /** Every stored value; unreadable files are reported, not fatal. */
  readAll(onError: (file: string, err: unknown) => void): T[] {
    const out: T[] = [];
    for (const name of readdirSync(this.dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        out.push(JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as T);
      } catch (err) {
        onError(name, err);
      }
    }
    return out;
  }
}
