// Keep the newest two instances of each container (the current one and the previous,
// so `logs --previous` works) and only the newest of each init container; remove the
// rest, and sandboxes older than the newest one once they stopped.
import type { ContainerRuntime, RuntimePodStatus } from '../runtime/runtime.js';

export async function pruneOldInstances(runtime: ContainerRuntime, rt: RuntimePodStatus): Promise<void> {
  const seen = new Map<string, number>();
  const doomed: string[] = [];
  for (const c of rt.containers) {
    const key = `${c.type}/${c.name}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    const keep = c.type === 'init' ? 1 : 2;
    if (n > keep && c.state !== 'running') doomed.push(c.id);
  }
  // Old sandboxes have no use once a newer one exists and they stopped; containers
  // that lived in them stay until pruned above (their logs may still be wanted).
  for (const s of rt.sandboxes.slice(1)) {
    if (s.state !== 'running' && !rt.containers.some((c) => c.sandboxId === s.id && !doomed.includes(c.id)))
      doomed.push(s.id);
  }
  await Promise.all(doomed.map((id) => runtime.removeContainer(id)));
}
