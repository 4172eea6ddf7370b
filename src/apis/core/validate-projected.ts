// Validation of configMap, secret, downwardAPI and projected volume sources, as
// pkg/apis/core/validation/validation.go validateConfigMapVolumeSource,
// validateSecretVolumeSource, validateDownwardAPIVolumeSource and
// validateProjectedVolumeSource. The schema accepts these sources as free objects, so
// types are checked here too.
import type { FieldError } from '../../util/errors.js';
import { child, index, invalid, notSupported, required } from './field.js';
import { RESOURCE_FIELDS } from './validate-container.js';

type Obj = Record<string, unknown>;

const MODE_DETAIL = 'must be a number between 0 and 0777 (octal), both inclusive';
const FIELD_PATHS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function modeErrors(path: string, mode: unknown): FieldError[] {
  if (mode === undefined || mode === null) return [];
  return Number.isInteger(mode) && (mode as number) >= 0 && (mode as number) <= 0o777
    ? []
    : [invalid(path, mode, MODE_DETAIL)];
}

/** validateLocalNonReservedPath: relative, no `..` element, not starting with `..`. */
export function localPathErrors(path: string, p: unknown): FieldError[] {
  if (typeof p !== 'string' || p === '') return [required(path)];
  if (p.startsWith('/')) return [invalid(path, p, 'must be a relative path')];
  if (p.split('/').includes('..')) return [invalid(path, p, "must not contain '..'")];
  if (p.startsWith('..')) return [invalid(path, p, "must not start with '..'")];
  return [];
}

/** Each element of an optional list, which must be an object, checked by `check`. */
function eachObject(path: string, list: unknown, check: (p: string, o: Obj) => FieldError[]): FieldError[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [invalid(path, list, 'must be a list')];
  return list.flatMap((it, i) =>
    isObj(it) ? check(index(path, i), it) : [invalid(index(path, i), it, 'must be an object')],
  );
}

/** An item's path (validateLocalNonReservedPath, unique in the volume) and mode. */
function itemPathErrors(ip: string, it: Obj, paths: Set<string>): FieldError[] {
  return [
    ...localPathErrors(child(ip, 'path'), it.path),
    ...modeErrors(child(ip, 'mode'), it.mode),
    ...duplicatePath(child(ip, 'path'), it.path, paths),
  ];
}

function itemsErrors(path: string, items: unknown, paths: Set<string>): FieldError[] {
  return eachObject(path, items, (ip, it) => [
    ...(typeof it.key !== 'string' || it.key === '' ? [required(child(ip, 'key'))] : []),
    ...itemPathErrors(ip, it, paths),
  ]);
}

function duplicatePath(path: string, p: unknown, paths: Set<string>): FieldError[] {
  if (typeof p !== 'string') return [];
  if (paths.has(p)) return [invalid(path, p, 'conflicting duplicate paths')];
  paths.add(p);
  return [];
}

/** A configMap/secret source (`nameField` is `name` or `secretName`). */
function objectSourceErrors(path: string, src: unknown, nameField: string, paths: Set<string>): FieldError[] {
  if (!isObj(src)) return [invalid(path, src, 'must be an object')];
  const errs: FieldError[] = [];
  if (typeof src[nameField] !== 'string' || src[nameField] === '') errs.push(required(child(path, nameField)));
  errs.push(...itemsErrors(child(path, 'items'), src.items, paths));
  return errs;
}

function downwardItemsErrors(path: string, items: unknown, paths: Set<string>): FieldError[] {
  return eachObject(path, items, (ip, it) => {
    const errs = itemPathErrors(ip, it, paths);
    const f = it.fieldRef;
    const r = it.resourceFieldRef;
    if (f !== undefined && r !== undefined) {
      errs.push(invalid(ip, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    } else if (isObj(f)) {
      const fp = f.fieldPath;
      const sub = typeof fp === 'string' && /^metadata\.(labels|annotations)\['.+'\]$/.test(fp);
      if (typeof fp !== 'string' || fp === '') errs.push(required(child(child(ip, 'fieldRef'), 'fieldPath')));
      else if (!FIELD_PATHS.includes(fp) && !sub)
        errs.push(notSupported(child(child(ip, 'fieldRef'), 'fieldPath'), fp, FIELD_PATHS));
    } else if (isObj(r)) {
      const rp = child(ip, 'resourceFieldRef');
      if (typeof r.containerName !== 'string' || r.containerName === '')
        errs.push(required(child(rp, 'containerName')));
      if (typeof r.resource !== 'string' || !RESOURCE_FIELDS.includes(r.resource))
        errs.push(notSupported(child(rp, 'resource'), r.resource, RESOURCE_FIELDS));
    } else {
      errs.push(required(ip, 'one of fieldRef and resourceFieldRef is required'));
    }
    return errs;
  });
}

/** The errors of one configMap/secret/downwardAPI/projected source at `path` (e.g. `spec.volumes[0].configMap`). */
export function projectedSourceErrors(kind: string, path: string, src: unknown): FieldError[] {
  if (!isObj(src)) return [invalid(path, src, 'must be an object')];
  const errs = modeErrors(child(path, 'defaultMode'), src.defaultMode);
  const paths = new Set<string>();
  if (kind === 'configMap') errs.push(...objectSourceErrors(path, src, 'name', paths));
  else if (kind === 'secret') errs.push(...objectSourceErrors(path, src, 'secretName', paths));
  else if (kind === 'downwardAPI') errs.push(...downwardItemsErrors(child(path, 'items'), src.items, paths));
  else errs.push(...projectedSourcesErrors(child(path, 'sources'), src.sources, paths));
  return errs;
}

function projectedSourcesErrors(path: string, sources: unknown, paths: Set<string>): FieldError[] {
  return eachObject(path, sources, (sp, s) => {
    const kinds = Object.keys(s).filter((k) => s[k] !== undefined && s[k] !== null);
    if (kinds.length !== 1) return [invalid(sp, kinds.join(','), 'exactly one projection source must be specified')];
    const k = kinds[0]!;
    const kp = child(sp, k);
    if (k === 'configMap') return objectSourceErrors(kp, s[k], 'name', paths);
    if (k === 'secret') return objectSourceErrors(kp, s[k], 'name', paths);
    if (k === 'downwardAPI')
      return isObj(s[k]) ? downwardItemsErrors(child(kp, 'items'), (s[k] as Obj).items, paths) : [];
    if (k === 'serviceAccountToken') return tokenProjectionErrors(kp, s[k], paths);
    // clusterTrustBundle and podCertificate need signers this agent does not have:
    // refused here, never accepted and left unmounted.
    return [
      notSupported(
        kp,
        k,
        ['configMap', 'secret', 'downwardAPI', 'serviceAccountToken'],
        `minikubelet does not support the ${k} projection yet`,
      ),
    ];
  });
}

/** The API server's default for a serviceAccountToken projection's expirationSeconds (1 h). */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/** validateProjectionSources' serviceAccountToken rules: at least 10 min, at most 2^32 s, a path. */
function tokenProjectionErrors(path: string, src: unknown, paths: Set<string>): FieldError[] {
  if (!isObj(src)) return [invalid(path, src, 'must be an object')];
  const errs: FieldError[] = [];
  const exp = src.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  const ep = child(path, 'expirationSeconds');
  if (!Number.isInteger(exp)) errs.push(invalid(ep, exp, 'must be an integer'));
  else if ((exp as number) < 600) errs.push(invalid(ep, exp, 'may not specify a duration less than 10 minutes'));
  else if ((exp as number) > 2 ** 32)
    errs.push(invalid(ep, exp, 'may not specify a duration larger than 2^32 seconds'));
  if (src.audience !== undefined && typeof src.audience !== 'string')
    errs.push(invalid(child(path, 'audience'), src.audience, 'must be a string'));
  if (typeof src.path !== 'string' || src.path === '') errs.push(required(child(path, 'path')));
  else
    errs.push(
      ...localPathErrors(child(path, 'path'), src.path),
      ...duplicatePath(child(path, 'path'), src.path, paths),
    );
  return errs;
}
