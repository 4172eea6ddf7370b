// Pod helpers the real-engine scenarios share: create a pod from a spec, read it, wait until
// it satisfies a predicate, its events, and a recorder of every status the agent publishes
// (so "never Ready" means never, not "not when polled").
import type { KubeEvent, Pod } from '../../src/apis/core/types.js';
import { type TestAgent, waitFor } from './agent.js';

/** Pod helpers bound to an agent (a getter: the agent is started in a `before` hook). */
export function podHelpers(agent: () => TestAgent, opts: { waitMs?: number } = {}) {
  const waitMs = opts.waitMs ?? 60_000;
  const create = (name: string, spec: Record<string, unknown>) =>
    agent().client.createPod('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
  const get = (name: string) => agent().client.getPod('default', name);
  const until = (what: string, name: string, pred: (p: Pod) => boolean, ms = waitMs) =>
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
  const untilCounted = (name: string, reason: string, n: number, ms = waitMs) =>
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
