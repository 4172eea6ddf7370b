// Taints and tolerations (core/v1 toleration.go ToleratesTaint; component-helpers
// scheduling/corev1 FindMatchingUntoleratedTaint) and the taint the node lifecycle
// controller keeps on a cordoned node.
import type { Taint } from '../apis/core/types.js';
import type { Toleration } from './types.js';

/** The node lifecycle controller's taint for spec.unschedulable (TaintNodeUnschedulable). */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** ToleratesTaint: an empty effect or key matches any; Exists ignores the value, Equal ('' too) compares it. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator === undefined || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

export function tolerated(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint));
}

/** The first taint of `effects` no toleration covers (the one the scheduler names in its message). */
export function firstUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly Taint['effect'][],
): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerated(taint, tolerations));
}

/**
 * The taint eviction controller's verdict for a NoExecute taint set
 * (tainteviction/taint_eviction.go getMinTolerationTime): `now` when any is not
 * tolerated, the smallest tolerationSeconds among the matching tolerations otherwise,
 * `never` when none of them bounds the time (or there are no NoExecute taints).
 */
export function noExecuteVerdict(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): { kind: 'now' } | { kind: 'after'; seconds: number } | { kind: 'never' } {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { kind: 'never' };
  let min: number | undefined;
  for (const taint of noExecute) {
    const matching = tolerations.filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return { kind: 'now' };
    for (const t of matching) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      const s = Math.max(0, t.tolerationSeconds);
      if (min === undefined || s < min) min = s;
    }
  }
  return min === undefined ? { kind: 'never' } : { kind: 'after', seconds: min };
}
