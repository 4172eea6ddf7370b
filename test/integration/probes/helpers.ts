// Shared by the probe scenarios: pod builders and the pod helpers (test/harness/pod-helpers.ts).
import type { Container, Pod } from '../../../src/apis/core/types.js';
import { BUSYBOX, type TestAgent } from '../../harness/agent.js';
import { podHelpers } from '../../harness/pod-helpers.js';

/** Runs until SIGTERM, then exits 0 within a second. */
export const LOOP = 'trap "exit 0" TERM; while true; do sleep 1; done';

/** The probe scenarios wait at most 40 s by default. */
export function probeHelpers(agent: () => TestAgent) {
  return podHelpers(agent, { waitMs: 40_000 });
}

export const app = (over: Partial<Container>): Container => ({
  name: 'app',
  image: BUSYBOX,
  command: ['sh', '-c', LOOP],
  ...over,
});
export const cs = (p: Pod) => p.status!.containerStatuses![0]!;
export const cond = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);
