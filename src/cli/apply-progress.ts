// `apply` is client-side: the agent pulls. To show progress, apply polls the agent's
// /minikubelet/v1/pulls (bytes and layers per image in flight) for the pods it just
// created, and returns once none of them is still waiting for an image: no pull of
// theirs in flight and no container left in ContainerCreating. On by default on a
// TTY; `--progress` forces plain lines elsewhere (scripts keep kubectl's quick return).
import type { ApiClient } from '../client/api-client.js';
import { PullProgressView, type ProgressOut } from './pull-progress-view.js';

const POLL_MS = 250;
const MAX_MS = 30 * 60_000;

export async function followPulls(
  client: ApiClient,
  pods: { namespace: string; name: string }[],
  out: ProgressOut,
  tty: boolean,
): Promise<void> {
  if (pods.length === 0) return;
  const wanted = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const view = new PullProgressView(out, tty);
  const deadline = Date.now() + MAX_MS;
  try {
    while (Date.now() < deadline) {
      const pulls = (await client.listPulls()).filter((p) => p.pods.some((x) => wanted.has(x)));
      view.update(pulls);
      if (pulls.length === 0 && !(await anyCreating(client, pods))) return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    view.close();
  }
}

async function anyCreating(client: ApiClient, pods: { namespace: string; name: string }[]): Promise<boolean> {
  for (const p of pods) {
    const pod = await client.getPod(p.namespace, p.name).catch(() => undefined);
    if (!pod) continue;
    const st = pod.status;
    if (!st?.containerStatuses && st?.phase === 'Pending' && !st.initContainerStatuses) return true; // not synced yet
    const all = [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? [])];
    if (all.some((c) => c.state?.waiting?.reason === 'ContainerCreating')) return true;
  }
  return false;
}
