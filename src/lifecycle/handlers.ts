// Lifecycle hook handlers (pkg/kubelet/lifecycle/handlers.go): exec, httpGet and
// sleep. A hook that runs and fails is a returned outcome with the kubelet's message,
// not a thrown error: the caller decides (kill after postStart, go on after preStop).
import type { Container, LifecycleHandler, ValidPod } from '../apis/core/types.js';
import type { ContainerRuntime } from '../runtime/runtime.js';
import { errorMessage } from '../util/errors.js';
import { sleep } from '../util/clock.js';
import { whenAborted } from '../util/abort.js';
import { buildHttpGetRequest, httpGetAction, LIFECYCLE_USER_AGENT } from '../prober/probers/http.js';

export interface HookOutcome {
  ok: boolean;
  message: string;
}

export interface HookTarget {
  pod: ValidPod;
  container: Container;
  containerId: string;
  podIP?: string;
}

export interface HookDeps {
  runtime: ContainerRuntime;
}

/**
 * The bound on any one hook's own call (exec or HTTP): effectively none, as in the kubelet,
 * whose hooks are bounded only by the grace period; the caller's signal ends the wait.
 */
const HOOK_TIMEOUT_MS = 24 * 3600_000;

/** format.Pod: name_namespace(uid). */
export function podRef(pod: ValidPod): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

/** Run one handler; `signal` bounds it (preStop: the grace period). postStart has no timeout. */
export async function runHook(
  deps: HookDeps,
  t: HookTarget,
  h: LifecycleHandler,
  signal: AbortSignal,
): Promise<HookOutcome> {
  if (h.exec) return runExec(deps, t, h.exec.command ?? [], signal);
  if (h.httpGet) return runHttpGet(t, h, signal);
  if (h.sleep) return runSleep(h.sleep.seconds, signal);
  // tcpSocket is accepted by the API for compatibility but no kubelet runs it.
  return { ok: false, message: `Cannot run handler: invalid handler: ${JSON.stringify(h)}` };
}

async function runExec(deps: HookDeps, t: HookTarget, command: string[], signal: AbortSignal): Promise<HookOutcome> {
  const fail = (err: string, output: string) => ({
    ok: false,
    message: `Exec lifecycle hook ([${command.join(' ')}]) for Container "${t.container.name}" in Pod "${podRef(t.pod)}" failed - error: ${err}, message: ${JSON.stringify(output)}`,
  });
  // The engine's exec has no cancellation: a long hook is bounded by waiting at most
  // until the signal fires (the process may go on inside the container, as with Docker).
  const run = deps.runtime.exec(t.containerId, command, HOOK_TIMEOUT_MS);
  try {
    const r = await Promise.race([run, whenAborted(signal).then(() => 'aborted' as const)]);
    if (r === 'aborted') return fail('context deadline exceeded', '');
    if (r.exitCode !== 0) return fail(`command '${command.join(' ')}' exited with ${r.exitCode}: `, r.output);
    return { ok: true, message: '' };
  } catch (err) {
    return fail(errorMessage(err), '');
  }
}

async function runHttpGet(t: HookTarget, h: LifecycleHandler, signal: AbortSignal): Promise<HookOutcome> {
  const path = h.httpGet!.path || '/';
  try {
    const { url, headers } = buildHttpGetRequest(h.httpGet!, t.container, t.podIP, LIFECYCLE_USER_AGENT);
    // Any response is a success for a hook: only a transport error fails it. The hook has
    // no timeout of its own; preStop's signal (the grace period) bounds it.
    await httpGetAction({ url, headers, timeoutMs: HOOK_TIMEOUT_MS, redirects: 'any', signal });
    return { ok: true, message: '' };
  } catch (err) {
    return {
      ok: false,
      message: `HTTP lifecycle hook (${path}) for Container "${t.container.name}" in Pod "${podRef(t.pod)}" failed - error: ${errorMessage(err)}`,
    };
  }
}

async function runSleep(seconds: number, signal: AbortSignal): Promise<HookOutcome> {
  try {
    await sleep(seconds * 1000, signal);
    return { ok: true, message: '' };
  } catch {
    return { ok: false, message: 'container terminated before sleep hook finished' };
  }
}
