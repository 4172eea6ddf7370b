// Label and node selectors as the scheduler evaluates them: metav1.LabelSelectorAsSelector
// (apimachinery/pkg/apis/meta/v1/helpers.go) and nodeaffinity.NodeSelector
// (component-helpers/scheduling/corev1/nodeaffinity), including Gt/Lt and matchFields.
import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm } from './types.js';

export type Labels = Record<string, string>;

/** A nil selector matches nothing; an empty one matches everything (LabelSelectorAsSelector). */
export function matchesLabelSelector(sel: LabelSelector | null | undefined, labels: Labels): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]!))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key]!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Gt/Lt take one integer value and compare the label parsed as an integer; unparsable = no match. */
function compareInt(label: string | undefined, values: string[] | undefined, gt: boolean): boolean {
  if (label === undefined || values?.length !== 1) return false;
  if (!/^-?\d+$/.test(label) || !/^-?\d+$/.test(values[0]!)) return false;
  const l = Number(label);
  const r = Number(values[0]);
  return gt ? l > r : l < r;
}

/** One requirement against a set of labels (or, for matchFields, of fields). */
export function matchesRequirement(r: NodeSelectorRequirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'In':
      return has && (r.values ?? []).includes(value!);
    case 'NotIn':
      return !has || !(r.values ?? []).includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
      return compareInt(value, r.values, true);
    case 'Lt':
      return compareInt(value, r.values, false);
    default:
      return false;
  }
}

/**
 * A term matches when all its expressions (labels) and fields (only metadata.name)
 * match; an empty term matches nothing. Terms are ORed (nodeaffinity.nodeSelectorTerms).
 */
export function matchesNodeSelectorTerms(terms: NodeSelectorTerm[], labels: Labels, nodeName: string): boolean {
  return terms.some((t) => {
    const exprs = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false;
    if (!exprs.every((r) => matchesRequirement(r, labels))) return false;
    return fields.every((r) => r.key === 'metadata.name' && matchesRequirement(r, { 'metadata.name': nodeName }));
  });
}
