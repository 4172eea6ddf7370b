// InterPodAffinity's filter on this one node (pkg/scheduler/framework/plugins/interpodaffinity
// filtering.go): the incoming pod's required affinity and anti-affinity against the pods
// on the node, then the existing pods' required anti-affinity against the incoming pod.
// A term counts only where the node has its topologyKey label (the node is one domain).
import type { ValidPod } from '../apis/core/types.js';
import { type Labels, matchesLabelSelector } from './labels.js';
import type { PodAffinityTerm, SchedulingSpec } from './types.js';

/** The namespace labels a namespaceSelector is matched against; unknown = only its name label. */
export type NamespaceLabels = (namespace: string) => Labels | undefined;

const affinity = (p: ValidPod) => (p.spec as SchedulingSpec).affinity;

/**
 * Whether `term` (declared by a pod in `ownerNs`) selects `target`: namespaces listed or
 * selected by namespaceSelector, else the owner's own namespace; then its labelSelector
 * (framework.AffinityTerm Matches).
 */
export function termMatches(
  term: PodAffinityTerm,
  ownerNs: string,
  target: ValidPod,
  nsLabels: NamespaceLabels,
): boolean {
  const ns = target.metadata.namespace;
  const listed = term.namespaces ?? [];
  let inNs: boolean;
  if (listed.length === 0 && !term.namespaceSelector) inNs = ns === ownerNs;
  else {
    const labels = nsLabels(ns) ?? { 'kubernetes.io/metadata.name': ns };
    inNs = listed.includes(ns) || matchesLabelSelector(term.namespaceSelector, labels);
  }
  return inNs && matchesLabelSelector(term.labelSelector, target.metadata.labels ?? {});
}

export type InterPodFailure = 'affinity' | 'anti-affinity' | 'existing-anti-affinity';

export function interPodAffinityFailure(
  pod: ValidPod,
  others: readonly ValidPod[],
  nodeLabels: Labels,
  nsLabels: NamespaceLabels,
): InterPodFailure | undefined {
  const own = pod.metadata.namespace;
  const onNode = (key: string) => Object.hasOwn(nodeLabels, key);
  const required = affinity(pod)?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  if (required.length > 0) {
    const satisfied = required.every(
      (t) => onNode(t.topologyKey) && others.some((o) => termMatches(t, own, o, nsLabels)),
    );
    // satisfyPodAffinity: no pod anywhere matches any term, but the pod matches all its own
    // terms: the first of a group may go (else a self-affine set could never start).
    const nobody = !others.some((o) => required.some((t) => termMatches(t, own, o, nsLabels)));
    const self = required.every((t) => onNode(t.topologyKey) && termMatches(t, own, pod, nsLabels));
    if (!satisfied && !(nobody && self)) return 'affinity';
  }
  const anti = affinity(pod)?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  if (anti.some((t) => onNode(t.topologyKey) && others.some((o) => termMatches(t, own, o, nsLabels)))) {
    return 'anti-affinity';
  }
  for (const o of others) {
    const terms = affinity(o)?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    if (terms.some((t) => onNode(t.topologyKey) && termMatches(t, o.metadata.namespace, pod, nsLabels))) {
      return 'existing-anti-affinity';
    }
  }
  return undefined;
}
