// ObjectMeta validation (apimachinery ValidateObjectMeta) shared by Pods,
// Secrets and ConfigMaps: names, namespace, labels and annotations.

import type { FieldError } from '../../util/errors.js';
import { invalid, key, nameErrors, required, tooLong } from './field.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.js';
import type { ObjectMeta } from './types.js';

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  nameCheck: (v: string) => string[] = isDNS1123Subdomain,
): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  if (!m.name) {
    if (!m.generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  } else {
    errs.push(...nameErrors('metadata.name', m.name, nameCheck));
  }
  if (!m.namespace) errs.push(required('metadata.namespace'));
  else errs.push(...nameErrors('metadata.namespace', m.namespace, isDNS1123Label));
  errs.push(...validateLabels(m.labels ?? {}, 'metadata.labels'));
  errs.push(...validateAnnotations(m.annotations ?? {}, 'metadata.annotations'));
  return errs;
}

export function validateLabels(labels: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...nameErrors(path, k, isQualifiedName));
    errs.push(...isValidLabelValue(String(v)).map((msg) => invalid(key(path, k), v, msg)));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    // Annotation keys are validated lower-cased, as in ValidateAnnotations.
    errs.push(...nameErrors(path, k, (s) => isQualifiedName(s.toLowerCase())));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE));
  return errs;
}
