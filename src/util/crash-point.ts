// A test-only crash hook: `MINIKUBELET_CRASH_AT=<point>[:<n>]` makes the agent kill
// itself with SIGKILL (no handler, no flush: exactly a `kill -9`) the n-th time (default
// the first) it reaches `<point>`. The durability tests (test/integration/durability/
// kill9.test.ts) use it to stop the agent at a chosen step deterministically, instead of
// by timing, then restart it on the same root dir and check what it makes of the state.
// Read once at start; when unset, each call is one string comparison.

/** Every point the agent can be stopped at, and where it is. */
export const CRASH_POINTS = {
  /** runtime/sandbox.ts: the sandbox container is created, not yet started. */
  'sandbox-created': 'sandbox created, not started',
  /** runtime/sandbox.ts: the sandbox runs; no container of the pod exists yet. */
  'sandbox-started': 'sandbox started, before any container',
  /** sync/start-container.ts: a container is created and not started (half-created app containers when N > 1). */
  'container-created': 'a container created, not started',
  /** sync/start-container.ts: a container was started (half-started app containers when N > 1; an init container running). */
  'container-started': 'a container started, before its Started event',
  /** sync/start-container.ts: the postStart hook has begun and not returned. */
  'poststart-running': 'during postStart (the hook started)',
  /** images/image-manager.ts: an engine pull reported its first progress. */
  'image-pulling': 'during an image pull',
  /** sync/kill-pod.ts: a graceful kill is about to run the preStop hook. */
  'before-prestop': 'graceful delete, before preStop',
  /** sync/kill-pod.ts: preStop returned, the stop signal not yet sent. */
  'after-prestop': 'graceful delete, after preStop, before the stop',
  /** sync/kill-pod.ts: the pod's containers are stopped, its sandbox not yet. */
  'containers-stopped': 'graceful delete, containers stopped, sandbox running',
  /** sync/terminate-pod.ts: the pod is stopped, its containers not yet removed. */
  'before-remove': 'graceful delete, stopped, before the containers are removed',
  /** sources/pod-config.ts: an API pod's record is written, the workers not yet told. */
  'pod-persisted': 'API pod stored, not yet handed to the workers',
  /** sources/pod-config.ts: an edited manifest's old pod has terminated, the new one is not yet added. */
  'static-pod-replacement': 'static-pod replacement, old pod gone, new one not added',
  /** sources/json-dir.ts: the temporary file is written and synced, not yet renamed. */
  'persist-before-rename': 'during a persisted write, before the rename',
  /** sources/json-dir.ts: half of a record is written to the temporary file. */
  'persist-half-written': 'during a persisted write, half of the temporary file written',
} as const;

export type CrashPoint = keyof typeof CRASH_POINTS;

export const CRASH_ENV = 'MINIKUBELET_CRASH_AT';

interface Armed {
  point: string;
  hitsLeft: number;
}

/** `point` or `point:n` (n ≥ 1); anything else disarms (a typo must not crash the agent elsewhere). */
export function parseCrashSpec(spec: string | undefined): Armed | undefined {
  if (!spec) return undefined;
  const m = /^([a-z-]+)(?::(\d+))?$/.exec(spec);
  if (!m || !(m[1]! in CRASH_POINTS)) return undefined;
  const n = m[2] === undefined ? 1 : Number(m[2]);
  return n >= 1 ? { point: m[1]!, hitsLeft: n } : undefined;
}

const armed = parseCrashSpec(process.env[CRASH_ENV]);

/** Kills this process with SIGKILL, synchronously, when the hook names `point` and this is its n-th hit. */
export function crashPoint(point: CrashPoint): void {
  if (armed === undefined || armed.point !== point) return;
  armed.hitsLeft--;
  if (armed.hitsLeft > 0) return;
  process.kill(process.pid, 'SIGKILL');
  // The kernel delivers SIGKILL to every thread at once; block so not one more JS
  // statement runs in between.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5_000);
}
