// Secret and ConfigMap validation (ValidateSecret, ValidateConfigMap): names,
// data keys, base64 payloads, size limits, and the keys each Secret type needs.

import type { FieldError } from '../../util/errors.js';
import { invalid, key, nameErrors, required, tooLong } from './field.js';
import { isConfigMapKey } from './names.js';
import type { ConfigMap, Secret, ServiceAccount } from './types.js';
import { validateObjectMeta } from './validate-meta.js';

const MAX_SIZE = 1024 * 1024;
const REDACTED = '<secret contents redacted>';

/** Keys a typed Secret must carry; `basic-auth` needs at least one of its two. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** `data` must already hold base64 values (stringData merged in by admission). */
export function validateSecret(s: Secret): FieldError[] {
  const errs = validateObjectMeta(s.metadata);
  const data = s.data ?? {};
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    errs.push(...nameErrors(key('data', k), k, isConfigMapKey));
    const bad = base64Error(v);
    if (bad) errs.push(invalid(key('data', k), REDACTED, bad));
    else size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_SIZE) errs.push(tooLong('data', MAX_SIZE));

  const type = s.type ?? 'Opaque';
  for (const k of REQUIRED_KEYS[type] ?? []) if (!(k in data)) errs.push(required(key('data', k)));
  if (type === 'kubernetes.io/basic-auth' && !('username' in data) && !('password' in data)) {
    errs.push(required(key('data', 'username')), required(key('data', 'password')));
  }
  for (const k of ['.dockercfg', '.dockerconfigjson']) {
    const v = data[k];
    if (type !== `kubernetes.io/${k.slice(1)}` || v === undefined || base64Error(v)) continue;
    const err = jsonObjectError(Buffer.from(v, 'base64').toString('utf8'));
    if (err) errs.push(invalid(key('data', k), REDACTED, err));
  }
  return errs;
}

/** ValidateServiceAccount: the object meta (a DNS subdomain name) is all there is to check. */
export function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  return validateObjectMeta(sa.metadata);
}

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata);
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) {
    errs.push(...nameErrors(key('data', k), k, isConfigMapKey));
    if (cm.binaryData && k in cm.binaryData)
      errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(v);
  }
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) {
    errs.push(...nameErrors(key('binaryData', k), k, isConfigMapKey));
    const bad = base64Error(v);
    if (bad) errs.push(invalid(key('binaryData', k), k, bad));
    else size += Buffer.from(v, 'base64').length;
  }
  if (size > MAX_SIZE) errs.push(tooLong('data', MAX_SIZE));
  return errs;
}

/** Strict standard base64, as Go's encoding/json decodes []byte (newlines ignored). */
export function base64Error(s: string): string | undefined {
  const t = s.replace(/[\r\n]/g, '');
  const badChar = t.search(/[^A-Za-z0-9+/=]/);
  if (badChar >= 0) return `illegal base64 data at input byte ${badChar}`;
  const pad = t.indexOf('=');
  if (pad >= 0 && (!/^={1,2}$/.test(t.slice(pad)) || t.length % 4 !== 0))
    return `illegal base64 data at input byte ${pad}`;
  if (t.length % 4 !== 0) return `illegal base64 data at input byte ${t.length - (t.length % 4)}`;
  return undefined;
}

function jsonObjectError(text: string): string | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : 'must be a JSON object';
  } catch (e) {
    return (e as Error).message;
  }
}
