// Lazy singletons for what the agent's start-up does not need (issue #17: `serve` answers
// /healthz sooner and idles smaller when a module is loaded on first use — the gRPC
// prober's client, the API's protobuf messages, the certificate builder). Node's own
// module cache makes a repeated `import()` cheap, but not free (a microtask, a resolve):
// this keeps one promise, shared by concurrent first callers.

/**
 * `load` runs on the first call only; every caller gets the same promise. A failed load
 * is forgotten, so the next call tries again (a transient error is not cached forever).
 */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}
