// PersistentVolumeClaim admission: decoding, the API server's defaults and admission
// plugins (DefaultStorageClass, StorageObjectInUseProtection) and validation
// (pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaim,
// ValidatePersistentVolumeClaimUpdate; pkg/registry/core/persistentvolumeclaim/strategy.go).
import { randomUUID } from 'node:crypto';
import { rfc3339 } from '../../util/clock.js';
import { type FieldError, KubeletError, ValidationError } from '../../util/errors.js';
import { child, forbidden, invalid, nameErrors, notSupported, required } from './field.js';
import { isDNS1123Subdomain } from './names.js';
import { PVC_SCHEMA } from './schema-storage.js';
import { checkStructure } from './unknown-fields.js';
import { parseQuantity } from './quantity.js';
import {
  ACCESS_MODES,
  type PersistentVolumeClaim,
  type PersistentVolumeClaimSpec,
  PVC_PROTECTION_FINALIZER,
} from './storage-types.js';
import type { ObjectMeta } from './types.js';

const VOLUME_MODES = ['Block', 'Filesystem'];

const SPEC_IMMUTABLE =
  'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

export interface ClaimAdmitOptions {
  namespace: string;
  now: number;
  /** The default StorageClass's name (DefaultStorageClass admission), if there is one. */
  defaultClass?: string;
}

/** The claim's spec errors, paths rooted at `path` (`spec`, or a volumeClaimTemplate's `…spec`). */
export function claimSpecErrors(spec: PersistentVolumeClaimSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const modes = spec?.accessModes ?? [];
  const mp = child(path, 'accessModes');
  if (modes.length === 0) errs.push(required(mp, 'at least 1 access mode is required'));
  for (const m of modes) if (!ACCESS_MODES.includes(m)) errs.push(notSupported(mp, m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    errs.push(forbidden(mp, 'may not use ReadWriteOncePod with other access modes'));
  const sp = `${child(path, 'resources')}[storage]`;
  const storage = spec?.resources?.requests?.storage;
  if (storage === undefined || storage === '') errs.push(required(sp, ''));
  else {
    let bytes: number | undefined;
    try {
      bytes = parseQuantity(storage);
    } catch {
      errs.push(invalid(sp, storage, 'must be a quantity (e.g. 1Gi)'));
    }
    if (bytes === 0) errs.push(invalid(sp, storage, 'must be greater than zero'));
  }
  if (spec?.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode))
    errs.push(notSupported(child(path, 'volumeMode'), spec.volumeMode, VOLUME_MODES));
  if (spec?.storageClassName)
    errs.push(...nameErrors(child(path, 'storageClassName'), spec.storageClassName, isDNS1123Subdomain));
  return errs;
}

/** A create: defaulted, validated, with the server's fields, Pending and protected by the finalizer. */
export function admitClaim(raw: unknown, opts: ClaimAdmitOptions): PersistentVolumeClaim {
  const claim = decodeClaim(raw, opts.namespace);
  const meta = claim.metadata;
  if (!meta.name && meta.generateName) meta.name = meta.generateName + randomUUID().slice(0, 5);
  defaultClaim(claim, opts.defaultClass);
  const errs: FieldError[] = [];
  if (!meta.name) errs.push(required('metadata.name', 'name or generateName is required'));
  else errs.push(...nameErrors('metadata.name', meta.name, isDNS1123Subdomain));
  errs.push(...claimSpecErrors(claim.spec, 'spec'));
  if (errs.length > 0) throw new ValidationError('PersistentVolumeClaim', meta.name ?? '', errs);
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(opts.now);
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  meta.finalizers = [...new Set([...(meta.finalizers ?? []), PVC_PROTECTION_FINALIZER])];
  claim.status = { phase: 'Pending' };
  return claim;
}

/**
 * An update (PUT, or a PATCH's result): metadata may change, the spec may not except a
 * bound claim's storage request growing; the server's fields and the status stay.
 */
export function admitClaimUpdate(raw: unknown, old: PersistentVolumeClaim): PersistentVolumeClaim {
  const next = decodeClaim(raw, old.metadata.namespace!);
  defaultClaim(next, old.spec.storageClassName);
  // The binder's fields are not the client's to drop (a manifest re-applied without volumeName).
  if (!next.spec.volumeName && old.spec.volumeName) next.spec.volumeName = old.spec.volumeName;
  const errs = claimSpecErrors(next.spec, 'spec');
  errs.push(...claimUpdateErrors(next, old));
  if (errs.length > 0) throw new ValidationError('PersistentVolumeClaim', old.metadata.name!, errs);
  const { uid, creationTimestamp, deletionTimestamp, namespace, name } = old.metadata;
  next.metadata = {
    ...next.metadata,
    name,
    namespace,
    uid,
    creationTimestamp,
    ...(deletionTimestamp ? { deletionTimestamp } : {}),
  };
  next.status = old.status;
  return next;
}

/** ValidatePersistentVolumeClaimUpdate, for what this agent lets change. */
export function claimUpdateErrors(next: PersistentVolumeClaim, old: PersistentVolumeClaim): FieldError[] {
  const strip = (s: PersistentVolumeClaimSpec) => JSON.stringify({ ...s, resources: { ...s.resources, requests: {} } });
  const bound = old.status?.phase === 'Bound';
  const sameRequests = old.spec.resources?.requests?.storage === next.spec.resources?.requests?.storage;
  if (strip(next.spec) !== strip(old.spec) || (!bound && !sameRequests)) return [forbidden('spec', SPEC_IMMUTABLE)];
  if (bound && !sameRequests) {
    const was = safeQuantity(old.status?.capacity?.storage ?? old.spec.resources?.requests?.storage);
    const now = safeQuantity(next.spec.resources?.requests?.storage);
    if (was !== undefined && now !== undefined && now < was)
      return [forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity')];
  }
  return [];
}

function defaultClaim(claim: PersistentVolumeClaim, defaultClass: string | undefined): void {
  claim.spec.volumeMode ??= 'Filesystem';
  if (claim.spec.storageClassName === undefined && defaultClass) claim.spec.storageClassName = defaultClass;
}

function decodeClaim(raw: unknown, namespace: string): PersistentVolumeClaim {
  if (!isObject(raw)) throw new KubeletError('BadRequest', 'the object must be a mapping with apiVersion and kind');
  if (raw.kind !== 'PersistentVolumeClaim' || raw.apiVersion !== 'v1')
    throw new KubeletError('BadRequest', 'expected apiVersion v1, kind PersistentVolumeClaim');
  // Wrong JSON types and unknown fields refuse the body before anything reads it.
  const structure = checkStructure(raw, PVC_SCHEMA);
  const bad = [...structure.types, ...structure.unknown];
  if (bad.length > 0) {
    const name = isObject(raw.metadata) && typeof raw.metadata.name === 'string' ? raw.metadata.name : '';
    throw new ValidationError('PersistentVolumeClaim', name, bad);
  }
  const meta = (isObject(raw.metadata) ? structuredClone(raw.metadata) : {}) as ObjectMeta;
  if (meta.namespace && meta.namespace !== namespace)
    throw new KubeletError(
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  meta.namespace = namespace;
  const spec = isObject(raw.spec) ? (structuredClone(raw.spec) as PersistentVolumeClaimSpec) : {};
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta, spec };
}

function safeQuantity(q: string | undefined): number | undefined {
  try {
    return q === undefined ? undefined : parseQuantity(q);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
