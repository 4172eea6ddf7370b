// What an update may change in a pod, as the API server decides it:
// pkg/apis/core/validation/validation.go ValidatePodUpdate (1.32, in-place resize off)
// and apimachinery's ValidateObjectMetaUpdate. Labels and annotations change freely;
// in the spec only container and init container images, activeDeadlineSeconds (set,
// or lowered), tolerations (additions) and terminationGracePeriodSeconds (negative
// to 1). Everything else is refused with the API server's Forbidden and a diff.
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../util/errors.js';
import { forbidden, invalid } from './field.js';
import type { Pod, PodSpec } from './types.js';

/** updatablePodSpecFieldsNoResources, joined as the API server joins it. */
const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
].join(',');

const MAX_INT32 = 2 ** 31 - 1;

export function validatePodUpdate(next: Pod, old: Pod): FieldError[] {
  const errs = validateMetaUpdate(next, old);
  const n = next.spec;
  const o = old.spec;
  if (n.containers.length !== o.containers.length)
    return [...errs, forbidden('spec.containers', 'pod updates may not add or remove containers')];
  if ((n.initContainers ?? []).length !== (o.initContainers ?? []).length)
    return [...errs, forbidden('spec.initContainers', 'pod updates may not add or remove containers')];
  const deadline = activeDeadlineErrors(n.activeDeadlineSeconds, o.activeDeadlineSeconds);
  if (deadline.length > 0) return [...errs, ...deadline];
  errs.push(...onlyAddedTolerations(n.tolerations ?? [], o.tolerations ?? []));
  const munged = mungeUpdatable(n, o);
  if (!isDeepStrictEqual(munged, normalize(o))) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE}\n${specDiff(o, munged)}`));
  }
  return errs;
}

/** ValidateObjectMetaUpdate: identity fields are immutable. */
function validateMetaUpdate(next: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['name', 'namespace', 'uid'] as const) {
    const v = next.metadata[f];
    if (v !== old.metadata[f]) errs.push(invalid(`metadata.${f}`, v, 'field is immutable'));
  }
  return errs;
}

function activeDeadlineErrors(n: number | undefined, o: number | undefined): FieldError[] {
  const path = 'spec.activeDeadlineSeconds';
  if (n === undefined)
    return o === undefined ? [] : [invalid(path, 'null', 'must not update from a positive integer to nil value')];
  if (n < 0 || n > MAX_INT32) return [invalid(path, n, `must be between 0 and ${MAX_INT32}, inclusive`)];
  if (o !== undefined && o < n) return [invalid(path, n, 'must be less than or equal to previous value')];
  return [];
}

/** validateOnlyAddedTolerations: every old toleration is still there (tolerationSeconds may change). */
function onlyAddedTolerations(next: unknown[], old: unknown[]): FieldError[] {
  const sansSeconds = (t: unknown) => {
    const { tolerationSeconds: _s, ...rest } = (t ?? {}) as Record<string, unknown>;
    return rest;
  };
  for (const o of old) {
    if (!next.some((t) => isDeepStrictEqual(sansSeconds(t), sansSeconds(o))))
      return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

/** The new spec with every updatable field set back to the old value (the API server's munging). */
function mungeUpdatable(n: PodSpec, o: PodSpec): PodSpec {
  const m = normalize(n) as PodSpec & { schedulingGates?: unknown };
  m.containers = m.containers.map((c, i) => ({ ...c, image: o.containers[i]!.image }));
  if (m.initContainers)
    m.initContainers = m.initContainers.map((c, i) => ({ ...c, image: o.initContainers![i]!.image }));
  setOrDelete(m, 'activeDeadlineSeconds', o.activeDeadlineSeconds);
  setOrDelete(m, 'tolerations', o.tolerations);
  setOrDelete(m, 'schedulingGates', (o as { schedulingGates?: unknown }).schedulingGates);
  const oldGrace = o.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && m.terminationGracePeriodSeconds === 1)
    m.terminationGracePeriodSeconds = oldGrace;
  return m;
}

function setOrDelete<T extends object, K extends keyof T>(obj: T, k: K, v: T[K] | undefined): void {
  if (v === undefined) delete obj[k];
  else obj[k] = structuredClone(v);
}

/** A JSON copy: no undefined-valued keys, so deep equality means what the API server's does. */
function normalize<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * The fields that differ, in the shape of the cmp.Diff the API server appends
 * (`core.PodSpec{`, `- \tField: old`, `+ \tField: new`); values are printed as JSON.
 */
function specDiff(old: PodSpec, next: PodSpec): string {
  const a = normalize(old) as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const lines = ['  core.PodSpec{'];
  let same = 0;
  const flushSame = () => {
    if (same > 0) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const k of keys) {
    if (isDeepStrictEqual(a[k], b[k])) {
      same++;
      continue;
    }
    flushSame();
    const name = goFieldName(k);
    if (k in a) lines.push(`- \t${name}: ${JSON.stringify(a[k])},`);
    if (k in b) lines.push(`+ \t${name}: ${JSON.stringify(b[k])},`);
  }
  flushSame();
  lines.push('  }');
  return lines.join('\n');
}

const GO_NAMES: Record<string, string> = { dnsPolicy: 'DNSPolicy', hostPID: 'HostPID', hostIPC: 'HostIPC' };

function goFieldName(k: string): string {
  return GO_NAMES[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
}
