// Long-running responses (watches, followed logs), so closing the server ends them.
export class StreamTracker {
  readonly #enders = new Set<() => void>();

  /** Registers a function that ends one stream; returns its deregistration. */
  track(end: () => void): () => void {
    this.#enders.add(end);
    return () => {
      this.#enders.delete(end);
    };
  }

  get size(): number {
    return this.#enders.size;
  }

  endAll(): void {
    for (const end of [...this.#enders]) {
      try {
        end();
      } catch {
        /* already gone */
      }
    }
    this.#enders.clear();
  }
}
