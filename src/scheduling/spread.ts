// PodTopologySpread's filter for DoNotSchedule constraints on a one-node cluster
// (pkg/scheduler/framework/plugins/podtopologyspread filtering.go). The node is the only
// domain of each topologyKey it carries, so skew = matching pods + self − the global
// minimum, where that minimum is the same count, or 0 when minDomains asks for more
// domains than the one there is. ScheduleAnyway constraints only score: ignored here.
import type { ValidPod } from '../apis/core/types.js';
import { type Labels, matchesLabelSelector } from './labels.js';
import type { LabelSelector, SchedulingSpec } from './types.js';

export type SpreadFailure = 'missing-label' | 'skew';

/** matchLabelKeys: the incoming pod's values of those keys join the selector as In requirements. */
function selectorOf(pod: ValidPod, sel: LabelSelector | null | undefined, keys: string[] | undefined): LabelSelector {
  const base: LabelSelector = sel ?? {};
  const labels = pod.metadata.labels ?? {};
  const extra = (keys ?? [])
    .filter((k) => Object.hasOwn(labels, k))
    .map((k) => ({ key: k, operator: 'In' as const, values: [labels[k]!] }));
  return { ...base, matchExpressions: [...(base.matchExpressions ?? []), ...extra] };
}

export function topologySpreadFailure(
  pod: ValidPod,
  others: readonly ValidPod[],
  nodeLabels: Labels,
): SpreadFailure | undefined {
  const constraints = ((pod.spec as SchedulingSpec).topologySpreadConstraints ?? []).filter(
    (c) => c.whenUnsatisfiable === 'DoNotSchedule',
  );
  if (constraints.some((c) => !Object.hasOwn(nodeLabels, c.topologyKey))) return 'missing-label';
  for (const c of constraints) {
    // A nil labelSelector selects nothing: only self-matching matters then (none).
    const sel = c.labelSelector ? selectorOf(pod, c.labelSelector, c.matchLabelKeys) : undefined;
    const matches = (p: ValidPod) => sel !== undefined && matchesLabelSelector(sel, p.metadata.labels ?? {});
    // countPodsMatchSelector: same namespace, not terminating.
    const count = others.filter(
      (o) => o.metadata.namespace === pod.metadata.namespace && !o.metadata.deletionTimestamp && matches(o),
    ).length;
    const minMatch = (c.minDomains ?? 1) > 1 ? 0 : count;
    const skew = count + (matches(pod) ? 1 : 0) - minMatch;
    if (skew > c.maxSkew) return 'skew';
  }
  return undefined;
}
