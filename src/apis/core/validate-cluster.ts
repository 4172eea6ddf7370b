// Validation of the cluster-scoped kinds the agent serves: Node updates
// (pkg/apis/core/validation ValidateNodeUpdate, validateNodeTaints) and Namespaces
// (ValidateNamespace: a DNS label name, no namespace in its metadata).
import type { FieldError } from '../../util/errors.js';
import { forbidden, index, invalid, nameErrors, notSupported, required } from './field.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue } from './names.js';
import type { Namespace, Node } from './types.js';
import { validateAnnotations, validateLabels } from './validate-meta.js';

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] as const;

/** What a user may change on the Node: labels, annotations, taints, unschedulable. */
export function validateNodeUpdate(next: Node, old: Node): FieldError[] {
  const errs: FieldError[] = [
    ...validateLabels(next.metadata.labels ?? {}, 'metadata.labels'),
    ...validateAnnotations(next.metadata.annotations ?? {}, 'metadata.annotations'),
  ];
  const taints = next.spec?.taints ?? [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const path = index('spec.taints', i);
    if (!t.key) errs.push(required(`${path}.key`));
    else errs.push(...nameErrors(`${path}.key`, t.key, isQualifiedName));
    if (t.value) errs.push(...isValidLabelValue(t.value).map((m) => invalid(`${path}.value`, t.value, m)));
    if (!t.effect) errs.push(required(`${path}.effect`));
    else if (!(TAINT_EFFECTS as readonly string[]).includes(t.effect))
      errs.push(notSupported(`${path}.effect`, t.effect, TAINT_EFFECTS));
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) errs.push(invalid(path, t, 'taints must be unique by key and effect pair'));
    seen.add(id);
  });
  const oldCidr = old.spec.podCIDR ?? '';
  if (oldCidr !== '' && (next.spec?.podCIDR ?? oldCidr) !== oldCidr)
    errs.push(forbidden('spec.podCIDR', 'node updates may not change podCIDR except from "" to valid'));
  return errs;
}

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  const name = ns.metadata?.name;
  if (!name) errs.push(required('metadata.name', 'name or generateName is required'));
  else errs.push(...nameErrors('metadata.name', name, isDNS1123Label));
  if (ns.metadata?.namespace) errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  errs.push(...validateLabels(ns.metadata?.labels ?? {}, 'metadata.labels'));
  errs.push(...validateAnnotations(ns.metadata?.annotations ?? {}, 'metadata.annotations'));
  return errs;
}
