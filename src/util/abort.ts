// Cancellation helpers for work that cannot itself be aborted (an engine exec, a shared
// image pull): the caller stops waiting when its signal fires, the work goes on for
// whoever else waits on it. Mirrors Go's `select { case <-ctx.Done(): … case r := <-ch: … }`.
import type { Clock } from './clock.js';

/** Resolves when the signal fires (at once if it already has). */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The promise's outcome, or a rejection with the signal's reason as soon as it fires. */
export async function raceAbort<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  let onAbort!: () => void;
  const abort = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, abort]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** The reason a pod sync is cancelled (pod_workers.go: the sync's context is cancelled). */
export class SyncCancelledError extends Error {
  constructor(why: string) {
    super(`sync cancelled: ${why}`);
    this.name = 'SyncCancelledError';
  }
}

/**
 * True when the promise resolves within `ms`, false when the time runs out first (the
 * work goes on; the caller stops waiting). A rejection within the time is passed on.
 */
export async function settlesWithin(
  clock: Pick<Clock, 'setTimeout'>,
  ms: number,
  p: Promise<unknown>,
): Promise<boolean> {
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    timer?.cancel();
  }
}
