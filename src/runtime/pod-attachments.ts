// Secondary pod networks, as Multus does them: the annotation
// `k8s.v1.cni.cncf.io/networks: a,b` names extra networks the sandbox joins besides the
// pod network (Multus's short form; here each name is a Docker network of the engine).
// The testing library uses it to put a pod on a testcontainers Network, next to
// GenericContainers. Only with the agent option podNetworkAttachments: without Multus,
// Kubernetes ignores the annotation, and so do we.
import type { ValidPod } from '../apis/core/types.js';
import { type DockerClient, engineMessage, isEngineNotFound } from './docker-client.js';

export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';

/**
 * The network names of the annotation, in order, without duplicates: the short form
 * (`a, ns/b@iface` keeps `a`, `b`) or the JSON form (`[{"name": "a", "namespace": …}]`).
 * Namespaces and interface names are dropped: a Docker network has neither.
 */
export function attachmentNames(pod: ValidPod): string[] {
  const raw = (pod.metadata.annotations?.[NETWORKS_ANNOTATION] ?? '').trim();
  const names = raw.startsWith('[')
    ? jsonNames(raw)
    : raw.split(',').map((n) =>
        n
          .trim()
          .replace(/^[^/]*\//, '')
          .replace(/@.*$/, ''),
      );
  return [...new Set(names.filter((n) => n !== ''))];
}

function jsonNames(raw: string): string[] {
  try {
    const list = JSON.parse(raw) as unknown;
    if (!Array.isArray(list)) return [];
    return list.map((e) => (typeof (e as { name?: unknown })?.name === 'string' ? (e as { name: string }).name : ''));
  } catch {
    // Multus refuses a malformed annotation; here it names no network and is ignored.
    return [];
  }
}

/**
 * Join the created sandbox to each named network, with the pod's name as its DNS alias
 * there (so containers on that network reach the pod by name). A network that does not
 * exist fails the sandbox, as a missing NetworkAttachmentDefinition fails it with Multus.
 */
export async function attachPodNetworks(
  docker: DockerClient,
  pod: ValidPod,
  sandboxId: string,
  podRef: string,
): Promise<void> {
  for (const name of attachmentNames(pod)) {
    const fail = (msg: string, cause: unknown) =>
      new Error(`failed to attach sandbox of pod "${podRef}" to network "${name}": ${msg}`, { cause });
    try {
      // The engine accepts a connect of a created container to any name and fails only
      // the start ("network x not found"): look first, to say which attachment failed.
      await docker.inspectNetwork(name);
    } catch (err) {
      throw fail(isEngineNotFound(err) ? 'network not found' : engineMessage(err), err);
    }
    try {
      await docker.connectNetwork(name, sandboxId, [pod.metadata.name]);
    } catch (err) {
      const msg = engineMessage(err);
      // A reused sandbox (crash between create and start) is already on it.
      if (/already exists/i.test(msg)) continue;
      throw fail(msg, err);
    }
  }
}
