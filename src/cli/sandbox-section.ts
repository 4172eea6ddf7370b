// The "Sandbox:" part of `minikubelet describe pod` (beyond kubectl's describe): the pause
// container, the pod's IP and network, and which namespaces each container joins of it, as
// its HostConfig asks the engine (Docker's container:<id> modes).
import type { Pod } from '../apis/core/types.js';
import { createDockerClient } from '../runtime/docker-client.js';
import { LABEL } from '../runtime/labels.js';
import { configuredSharing, inspectPodNamespaces } from '../runtime/pod-namespaces.js';
import { DESCRIBE_TABWRITER, tabify } from '../printers/tabwriter.js';

/** The "Sandbox:" part of `describe pod`: the pause container and what each container joins. */
export async function sandboxSection(pod: Pod, dockerHost?: string): Promise<string> {
  const docker = createDockerClient(dockerHost);
  const report = await inspectPodNamespaces({ docker }, pod.metadata!.uid!).catch(() => undefined);
  if (!report) return '';
  const sb = await docker.inspectContainer(report.sandbox.id);
  // A CNI sandbox is on no Docker network (NetworkMode none): name the CNI network instead.
  const cni = sb.Config.Labels?.[LABEL.cniNetwork];
  const networks = cni ? [`${cni} (CNI)`] : Object.keys(sb.NetworkSettings?.Networks ?? {});
  const lines = [
    'Sandbox:',
    `  Pause Container:  docker://${report.sandbox.id}`,
    `  Image:            ${sb.Config.Image}`,
    `  Pod IP:           ${pod.status?.podIP ?? '<none>'}`,
    `  Network:          ${networks.join(', ') || sb.HostConfig.NetworkMode}`,
    '  Shared Namespaces:',
  ];
  for (const c of report.containers) {
    const hc = (await docker.inspectContainer(c.id)).HostConfig;
    const joined = configuredSharing(report.sandbox.id, hc);
    lines.push(`    ${c.name}:\t${joined.length ? joined.join(', ') : '(none)'}`);
  }
  return tabify(`${lines.join('\n')}\n`, DESCRIBE_TABWRITER);
}
