// Admission: the single entry point that turns a decoded manifest or API body
// into an object the agent may store or run. Mirrors the API server's create
// path: kind check, strict decoding, defaulting, validation, then the
// server-assigned metadata (uid, creationTimestamp). Whatever a client
// sends for those is ignored, as kube-apiserver ignores it on create.

import { randomUUID } from 'node:crypto';
import { KubeletError, ValidationError, type FieldError } from '../../util/errors.js';
import { applyPodDefaults } from './defaults.js';
import { DECODE_SCHEMAS } from './schema.js';
import type { ConfigMap, KubeObject, ObjectMeta, Pod, Secret, ValidPod } from './types.js';
import { checkStructure } from './unknown-fields.js';
import { validatePod } from './validate.js';
import { validatePodUpdate } from './validate-pod-update.js';
import { ephemeralContainersOnCreate, validateEphemeralContainersUpdate } from './validate-ephemeral.js';
import { isStaticPod } from './pod-util.js';
import { validateConfigMap, validateSecret } from './validate-config.js';
import { rfc3339 } from '../../util/clock.js';

export interface AdmitOptions {
  /** The namespace of the request (URL or `--namespace`). */
  namespace?: string;
  /** Milliseconds since the epoch; defaults to Date.now(). */
  now?: number;
  /**
   * The UID to assign. Only the agent's own sources pass one (a static pod's
   * content-hash UID); a client's `metadata.uid` is never kept.
   */
  uid?: () => string;
}

const SCHEMAS = DECODE_SCHEMAS;
const SUPPORTED = Object.keys(SCHEMAS);

/** A create: decoded, defaulted and validated, with the server's identity fields assigned. */
export function admitObject(raw: unknown, opts: AdmitOptions = {}): KubeObject {
  const admitted = decodeDefaultValidate(raw, opts, true);
  assignServerFields(admitted.metadata, opts);
  // The API server ignores a submitted status: a new pod always starts Pending.
  if (admitted.kind === 'Pod') admitted.status = { phase: 'Pending' };
  return admitted;
}

/** Decoding, Kubernetes defaults and validation: what create and update share. */
function decodeDefaultValidate(raw: unknown, opts: AdmitOptions, create = false): KubeObject {
  if (!isObject(raw)) throw new KubeletError('BadRequest', 'the object must be a mapping with apiVersion and kind');
  const kind = raw.kind;
  if (typeof kind !== 'string' || kind === '') {
    throw new KubeletError('BadRequest', `Object 'Kind' is missing (supported: ${SUPPORTED.join(', ')})`);
  }
  if (!Object.hasOwn(SCHEMAS, kind)) {
    throw new KubeletError(
      'BadRequest',
      `kind ${JSON.stringify(kind)} is not supported by minikubelet (supported: ${SUPPORTED.join(', ')})`,
    );
  }
  if (raw.apiVersion !== 'v1') {
    const got =
      raw.apiVersion === undefined
        ? "Object 'apiVersion' is missing"
        : `apiVersion ${JSON.stringify(raw.apiVersion)} is not supported`;
    throw new KubeletError('BadRequest', `${got} for kind ${JSON.stringify(kind)} (supported: v1)`);
  }

  // Go decodes `null` into a zero value; dropping nulls gives the same result here.
  const obj = stripNulls(raw) as Record<string, unknown>;
  obj.metadata ??= {};
  const structure = checkStructure(obj, SCHEMAS[kind]!);
  if (structure.types.length > 0) {
    const name = isObject(obj.metadata) ? displayName(obj.metadata as ObjectMeta) : '';
    throw new ValidationError(kind, name, [...structure.unknown, ...structure.types]);
  }
  const meta = obj.metadata as ObjectMeta;
  meta.namespace = resolveNamespace(meta.namespace, opts.namespace);
  if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();

  let admitted: KubeObject;
  let errors: FieldError[];
  if (kind === 'Pod') {
    const pod = applyPodDefaults(obj as unknown as Pod);
    errors = [...validatePod(pod), ...(create ? ephemeralContainersOnCreate(pod) : [])];
    admitted = pod;
  } else if (kind === 'Secret') {
    const secret = normalizeSecret(obj as unknown as Secret);
    errors = validateSecret(secret);
    admitted = secret;
  } else {
    const cm = obj as unknown as ConfigMap;
    errors = validateConfigMap(cm);
    admitted = cm;
  }
  const all = [...structure.unknown, ...errors];
  if (all.length > 0) throw new ValidationError(kind, displayName(admitted.metadata), all);
  return admitted as KubeObject;
}

/** Convenience for callers that only accept Pods. */
export function admitPod(raw: unknown, opts: AdmitOptions = {}): ValidPod {
  const obj = admitObject(raw, opts);
  if (obj.kind !== 'Pod') throw new KubeletError('BadRequest', `expected kind Pod, got ${obj.kind}`);
  return obj as ValidPod;
}

/**
 * An update of a stored pod (PUT, or the result of a PATCH): the create path's
 * decoding, defaults and validation, then the API server's update rules
 * (rest.BeforeUpdate keeps creationTimestamp, uid when absent and the deletion fields;
 * ValidatePodUpdate decides what may change). The status is the
 * old one: the main resource never writes it.
 */
export function admitPodUpdate(raw: unknown, old: ValidPod, opts: AdmitOptions = {}): ValidPod {
  if (!isObject(raw)) throw new KubeletError('BadRequest', 'the object must be a mapping with apiVersion and kind');
  const meta = isObject(raw.metadata) ? raw.metadata : {};
  const { resourceVersion: _rv, ...kept } = meta;
  const carried = {
    ...kept,
    uid: meta.uid ?? old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    deletionTimestamp: old.metadata.deletionTimestamp ?? null,
    deletionGracePeriodSeconds: old.metadata.deletionGracePeriodSeconds ?? null,
  };
  const decoded = decodeDefaultValidate({ ...raw, metadata: carried }, { ...opts, namespace: old.metadata.namespace });
  if (decoded.kind !== 'Pod') throw new KubeletError('BadRequest', `expected kind Pod, got ${decoded.kind}`);
  const next = decoded as ValidPod;
  const errors = validatePodUpdate(next, old);
  if (errors.length > 0) throw new ValidationError('Pod', old.metadata.name, errors);
  return { ...next, status: old.status } as ValidPod;
}

/**
 * A write of the pods/ephemeralcontainers subresource (registry/core/pod/storage
 * EphemeralContainersREST, strategy.go dropNonEphemeralContainerUpdates): only
 * spec.ephemeralContainers is taken from `raw` (a whole Pod, PUT or patched); the rest
 * of the pod stays the stored one. The result is defaulted and validated as a pod,
 * then under the add-only rule. Static pods are refused, as mirror pods are.
 */
export function admitEphemeralContainersUpdate(raw: unknown, old: ValidPod, opts: AdmitOptions = {}): ValidPod {
  if (!isObject(raw)) throw new KubeletError('BadRequest', 'the object must be a mapping with apiVersion and kind');
  const name = old.metadata.name;
  if (isStaticPod(old))
    throw new ValidationError('Pod', name, [
      { path: '[]', type: 'Forbidden', detail: 'static pods do not support ephemeral containers' },
    ]);
  const spec = isObject(raw.spec) ? raw.spec : {};
  const { resourceVersion: _rv, ...meta } = old.metadata;
  const { status: _s, ...rest } = structuredClone(old);
  const candidate = { ...rest, metadata: meta, spec: { ...rest.spec, ephemeralContainers: spec.ephemeralContainers } };
  const decoded = decodeDefaultValidate(candidate, { ...opts, namespace: old.metadata.namespace });
  const next = decoded as ValidPod;
  const errors = validateEphemeralContainersUpdate(next, old);
  if (errors.length > 0) throw new ValidationError('Pod', name, errors);
  return { ...next, metadata: old.metadata, status: old.status } as ValidPod;
}

function resolveNamespace(fromObject: string | undefined, fromRequest: string | undefined): string {
  if (fromObject && fromRequest && fromObject !== fromRequest) {
    // Same text as the API server (which answers 400 BadRequest for it).
    throw new KubeletError(
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  return fromObject || fromRequest || 'default';
}

/** As the API server does on write: stringData is merged into data (base64) and dropped. */
function normalizeSecret(s: Secret): Secret {
  if (!s.type) s.type = 'Opaque';
  if (s.stringData) {
    // fromEntries, not assignment: `__proto__` is a valid data key and must stay one.
    s.data = Object.fromEntries([
      ...Object.entries(s.data ?? {}),
      ...Object.entries(s.stringData).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]),
    ]);
    delete s.stringData;
  }
  return s;
}

/**
 * The fields the server owns, set as on create (staging/src/k8s.io/apiserver/pkg/registry/rest/create.go
 * BeforeCreate, FillObjectMetaSystemFields): a new uid and creationTimestamp, no deletion
 * in progress, no resourceVersion (the store assigns it). A client-chosen uid would be a
 * path under the root dir and another pod's identity: it is never kept.
 */
function assignServerFields(meta: ObjectMeta, opts: AdmitOptions): void {
  meta.uid = (opts.uid ?? randomUUID)();
  meta.creationTimestamp = rfc3339(opts.now ?? Date.now());
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  // managedFields are the field manager's (server/patch.ts sets them before admission).
  // Pods carry no generation in 1.32 (it arrived with KEP-5067 in 1.33); other kinds
  // we serve have none either.
  delete meta.generation;
}

export { rfc3339 };

/** generateName suffix: 5 characters from the API server's alphabet (no vowels, no 0/1/3). */
function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < 5; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

function displayName(meta: ObjectMeta | undefined): string {
  return meta?.name ?? meta?.generateName ?? '';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Object.fromEntries defines own properties: a `__proto__` key stays a key (and so
 * an unknown field for strict decoding) instead of replacing the copy's prototype.
 */
function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, val]) => val !== null)
      .map(([k, val]) => [k, stripNulls(val)]),
  );
}
