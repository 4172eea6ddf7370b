// One resourceVersion counter for every kind the agent serves (Pods, Events,
// Secrets, ConfigMaps), like etcd's single revision behind kube-apiserver: a watch
// of any kind can resume from any version the server handed out.
//
// Versions never go backwards, across restarts too. Writing the counter at every
// change would cost an fsync per change, so the counter takes leases instead: before
// handing out a number above the stored ceiling it stores `ceiling + LEASE` durably,
// and a restarted agent continues from the stored ceiling (the numbers of the last
// lease it did not use are skipped). A watch from before the restart then names a
// version at or below the ceiling, which the new history cannot replay: 410 Gone.
import { readFileSync } from 'node:fs';
import { writeFileDurably } from './durable-write.js';

/** Numbers handed out per durable write of the ceiling. */
export const RV_LEASE = 1000;

/** Where a ceiling is kept: read at start, written before each lease is used. */
export interface CeilingStore {
  read(): number;
  write(ceiling: number): void;
}

export class ResourceVersions {
  #rv: number;
  #ceiling: number;
  /** The first version this process handed out may follow this one; older ones are gone with the old process. */
  readonly startedAt: number;

  constructor(private readonly store?: CeilingStore) {
    this.#rv = store?.read() ?? 0;
    this.#ceiling = this.#rv;
    this.startedAt = this.#rv;
  }

  next(): string {
    if (this.#rv + 1 > this.#ceiling) {
      this.#ceiling = this.#rv + RV_LEASE;
      this.store?.write(this.#ceiling);
    }
    return String(++this.#rv);
  }
  current(): string {
    return String(this.#rv);
  }
}

/** The ceiling in a file of its own (`<root>/resource-version`); a missing or unreadable file is 0. */
export function fileCeiling(path: string): CeilingStore {
  return {
    read() {
      try {
        const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
        return Number.isSafeInteger(n) && n > 0 ? n : 0;
      } catch {
        return 0;
      }
    },
    write(ceiling) {
      writeFileDurably(path, `${path}.tmp`, `${ceiling}\n`, 0o600);
    },
  };
}
