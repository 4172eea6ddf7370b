// exec probe (pkg/probe/exec + prober.go): run the command in the container through
// the engine's exec with timeoutSeconds. Exit 0 → success; anything else → failure
// with the combined output (bounded by the runtime at 10 KiB); a timeout is a failure
// too (ExecProbeTimeout, GA). `$(VAR)` expands against the container's literal `env`
// values only (ExpandContainerCommandOnlyStatic): no envFrom, no downward API.
import type { Container, ExecAction } from '../../apis/core/types.js';
import type { ContainerRuntime } from '../../runtime/runtime.js';
import { expand } from '../../container/expand.js';
import type { ProbeOutcome } from './outcome.js';

export type ExecFn = ContainerRuntime['exec'];

/** The probe command after static `$(VAR)` expansion. */
export function probeCommand(action: ExecAction, container: Container): string[] {
  // EnvVarsToMap: every env entry by name, its literal value ('' for valueFrom); last wins.
  const vars = new Map<string, string>();
  for (const e of container.env ?? []) vars.set(e.name, e.value ?? '');
  return (action.command ?? []).map((s) => expand(s, (name) => vars.get(name)));
}

export async function execProbe(
  exec: ExecFn,
  containerId: string,
  container: Container,
  action: ExecAction,
  timeoutSeconds: number,
): Promise<ProbeOutcome> {
  const command = probeCommand(action, container);
  const r = await exec(containerId, command, timeoutSeconds * 1000);
  if (r.timedOut) {
    // The CRI's words for a DeadlineExceeded exec; the process may go on in the container.
    return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
  }
  return { result: r.exitCode === 0 ? 'success' : 'failure', output: r.output };
}
