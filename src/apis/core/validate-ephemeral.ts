// Ephemeral containers as the API server validates them (pkg/apis/core/validation/
// validation.go validateEphemeralContainers, ValidatePodCreate, and
// ValidatePodEphemeralContainersUpdate). They are debugging tools: fields that make a
// container part of the pod's service (ports, probes, lifecycle, resources, restart
// policy, subPath mounts) are refused, names are unique across every container of the
// pod, a target must be a regular or init container, and once added an ephemeral
// container can be neither changed nor removed.
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../util/errors.js';
import { child, forbidden, index, key, notFound } from './field.js';
import type { Container, EphemeralContainer, Pod } from './types.js';
import { validateContainer, type ContainerContext } from './validate-container.js';
import { validateSecurityContext } from './validate-security.js';

const PATH = 'spec.ephemeralContainers';
const NOT_FOR_EPHEMERAL = 'cannot be set for an Ephemeral Container';

/** EphemeralContainerCommon fields outside allowedEphemeralContainerFields, when set (non-zero). */
const FORBIDDEN_FIELDS = [
  'ports',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'lifecycle',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
] as const;

/** Part of ValidatePodSpec: each ephemeral container, after the regular and init containers filled `ctx.names`. */
export function validateEphemeralContainers(pod: Pod, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const spec = pod.spec;
  const targets = new Set([...spec.containers, ...(spec.initContainers ?? [])].map((c) => c.name));
  (spec.ephemeralContainers ?? []).forEach((ec, i) => {
    const path = index(PATH, i);
    errs.push(...forbiddenFields(ec, path));
    // The allowed part is validated as any container is (name, image, env, mounts…).
    errs.push(...validateContainer(allowedPart(ec), path, ctx));
    errs.push(...validateSecurityContext(ec.securityContext, child(path, 'securityContext')));
    if (ec.targetContainerName !== undefined && ec.targetContainerName !== '' && !targets.has(ec.targetContainerName))
      errs.push(notFound(child(path, 'targetContainerName'), ec.targetContainerName));
  });
  return errs;
}

/** ValidatePodCreate: ephemeral containers only arrive through the subresource. */
export function ephemeralContainersOnCreate(pod: Pod): FieldError[] {
  return (pod.spec?.ephemeralContainers ?? []).length > 0 ? [forbidden(PATH, 'cannot be set on create')] : [];
}

/** ValidatePodEphemeralContainersUpdate's add-only rule: every old entry is still there, unchanged. */
export function validateEphemeralContainersUpdate(next: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const byName = new Map((next.spec.ephemeralContainers ?? []).map((c) => [c.name, c]));
  for (const o of old.spec.ephemeralContainers ?? []) {
    const n = byName.get(o.name);
    if (!n) errs.push(forbidden(PATH, `existing ephemeral containers "${o.name}" may not be removed`));
    else if (!isDeepStrictEqual(normalize(n), normalize(o)))
      errs.push(forbidden(key(PATH, o.name), `existing ephemeral containers "${o.name}" may not be changed`));
  }
  return errs;
}

function forbiddenFields(ec: EphemeralContainer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of FORBIDDEN_FIELDS)
    if (isSet(ec[f as keyof EphemeralContainer])) errs.push(forbidden(child(path, f), NOT_FOR_EPHEMERAL));
  (ec.volumeMounts ?? []).forEach((m, i) => {
    for (const f of ['subPath', 'subPathExpr'] as const)
      if (m[f]) errs.push(forbidden(child(index(child(path, 'volumeMounts'), i), f), NOT_FOR_EPHEMERAL));
  });
  return errs;
}

function allowedPart(ec: EphemeralContainer): Container {
  const c: Record<string, unknown> = { ...ec };
  for (const f of FORBIDDEN_FIELDS) delete c[f];
  delete c.targetContainerName;
  return c as unknown as Container;
}

/** A Go zero value (nil, empty struct, empty list) counts as unset. */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.values(v).some(isSet);
  return v !== '' && v !== false && v !== 0;
}

function normalize<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
