// The pod as a failing wait reports it: phase, conditions, each container's state, and
// the pod's events (what `kubectl describe pod` would show first).
import type { ContainerStatus, KubeEvent, Pod } from '../apis/core/types.js';

function stateOf(s: ContainerStatus): string {
  const st = s.state;
  if (st.running) return 'running';
  if (st.waiting) return `waiting ${st.waiting.reason ?? ''}${st.waiting.message ? `: ${st.waiting.message}` : ''}`;
  if (st.terminated) {
    const t = st.terminated;
    return `terminated ${t.reason ?? ''} (exit code ${t.exitCode})${t.message ? `: ${t.message}` : ''}`;
  }
  return 'unknown';
}

export function summarizePod(pod: Pod, events: KubeEvent[]): string {
  const s = pod.status;
  const lines = [`  phase: ${s?.phase ?? 'unknown'}${s?.reason ? ` (${s.reason}: ${s.message ?? ''})` : ''}`];
  const conds = (s?.conditions ?? []).map(
    (c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`,
  );
  if (conds.length) lines.push(`  conditions: ${conds.join(', ')}`);
  const groups: [string, ContainerStatus[] | undefined][] = [
    ['init container', s?.initContainerStatuses],
    ['container', s?.containerStatuses],
  ];
  for (const [what, list] of groups) {
    for (const c of list ?? []) {
      lines.push(`  ${what} ${c.name}: ${stateOf(c)}, ready=${c.ready}, restarts=${c.restartCount}`);
    }
  }
  if (events.length) {
    lines.push('  events:');
    for (const e of events.slice(-20)) lines.push(`    ${e.type} ${e.reason} (x${e.count}): ${e.message}`);
  }
  return lines.join('\n');
}
