// Shared by the probe scenarios: pod builders, events by pod, and a recorder of every
// status the agent publishes (so "never Ready" means never, not "not when polled").
import type { Container, KubeEvent, Pod } from '../../../src/apis/core/types.js';
import { BUSYBOX, waitFor, type TestAgent } from '../../harness/agent.js';

/** Runs until SIGTERM, then exits 0 within a second. */
export const LOOP = 'trap "exit 0" TERM; while true; do sleep 1; done';

export function probeHelpers(agent: () => TestAgent) {
  const create = (name: string, spec: Record<string, unknown>) =>
    agent().client.createPod('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
  const get = (name: string) => agent().client.getPod('default', name);
  const until = (what: string, name: string, pred: (p: Pod) => boolean, ms = 40_000) =>
    waitFor(
      `${name}: ${what}`,
      async () => {
        const p = await get(name);
        return pred(p) ? p : undefined;
      },
      ms,
    );
  const events = async (name: string): Promise<KubeEvent[]> =>
    (await agent().client.listEvents('default')).filter((e) => e.involvedObject.name === name);
  const messages = async (name: string, reason: string) =>
    (await events(name)).filter((e) => e.reason === reason).map((e) => e.message);
  /** Until the pod's `reason` event has been counted at least n times (probe runs, say). */
  const untilCounted = (name: string, reason: string, n: number, ms = 40_000) =>
    waitFor(
      `${name}: ${reason} x${n}`,
      async () => (await events(name)).find((e) => e.reason === reason && e.count >= n),
      ms,
    );
  /** Every published status of one pod, from now on. */
  const record = (name: string) => {
    const seen: Pod[] = [];
    const stop = agent().kubelet.node.watchPods((e) => {
      if (e.object.metadata.name === name) seen.push(structuredClone(e.object));
    });
    return { seen, stop };
  };
  return { create, get, until, events, messages, untilCounted, record };
}

export const app = (over: Partial<Container>): Container => ({
  name: 'app',
  image: BUSYBOX,
  command: ['sh', '-c', LOOP],
  ...over,
});
export const cs = (p: Pod) => p.status!.containerStatuses![0]!;
export const cond = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type);
