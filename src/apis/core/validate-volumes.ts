// Pod volumes (validateVolumes, validateVolumeSource). Every in-tree source is a
// known field, but minikubelet only runs emptyDir, hostPath, configMap, secret,
// downwardAPI, projected, persistentVolumeClaim and ephemeral: other sources are
// rejected at admission with a field-pathed Unsupported value, not at run time.

import type { FieldError } from '../../util/errors.js';
import { child, duplicate, forbidden, index, invalid, nameErrors, notSupported, required } from './field.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';
import { claimSpecErrors } from './validate-pvc.js';
import type { PersistentVolumeClaimSpec } from './storage-types.js';
import { projectedSourceErrors } from './validate-projected.js';
import { VOLUME_SOURCES } from './schema.js';
import type { Volume } from './types.js';

const PROJECTED_SOURCES = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);
const SUPPORTED_SOURCES = new Set(['emptyDir', 'hostPath', ...PROJECTED_SOURCES, 'persistentVolumeClaim', 'ephemeral']);
/** Why `image` volumes are refused: the engine, not the agent, would have to mount the image. */
export const IMAGE_VOLUME_REFUSAL =
  'image volumes are not supported: mounting an OCI image as a volume needs Docker Engine API 1.48 or later (Docker 28), and minikubelet drives Docker 20.10 (API 1.41)';
const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];
const EMPTY_DIR_MEDIA = ['', 'Memory'];

/** Returns the errors and the set of declared volume names (for volumeMounts). */
export function validateVolumes(volumes: Volume[], path: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const vp = index(path, i);
    errors.push(...validateSource(v, vp));
    const np = child(vp, 'name');
    if (!v.name) errors.push(required(np));
    else errors.push(...nameErrors(np, v.name, isDNS1123Label));
    if (v.name && names.has(v.name)) errors.push(duplicate(np, v.name));
    if (v.name) names.add(v.name);
  });
  return { errors, names };
}

function validateSource(v: Volume, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const present = VOLUME_SOURCES.filter((s) => v[s] !== undefined && v[s] !== null);
  if (present.length === 0) return [required(path, 'must specify a volume type')];
  const [first, ...rest] = present as [string, ...string[]];
  for (const extra of rest) errs.push(forbidden(child(path, extra), 'may not specify more than 1 volume type'));
  const sp = child(path, first);
  if (first === 'image') {
    errs.push(forbidden(sp, IMAGE_VOLUME_REFUSAL));
  } else if (!SUPPORTED_SOURCES.has(first)) {
    const names = [...SUPPORTED_SOURCES].join(', ');
    errs.push(notSupported(sp, v[first], [], `minikubelet supports ${names} volumes`));
  } else if (PROJECTED_SOURCES.has(first)) {
    errs.push(...projectedSourceErrors(first, sp, v[first]));
  } else if (first === 'hostPath') {
    const hp = v.hostPath!;
    if (!hp.path) errs.push(required(child(sp, 'path')));
    else if (hp.path.split('/').includes('..')) errs.push(invalid(child(sp, 'path'), hp.path, "must not contain '..'"));
    if (hp.type !== undefined && !HOST_PATH_TYPES.includes(hp.type))
      errs.push(notSupported(child(sp, 'type'), hp.type, HOST_PATH_TYPES));
  } else if (first === 'persistentVolumeClaim') {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) errs.push(required(child(sp, 'claimName')));
    else errs.push(...nameErrors(child(sp, 'claimName'), claimName, isDNS1123Subdomain));
  } else if (first === 'ephemeral') {
    const template = v.ephemeral?.volumeClaimTemplate;
    const tp = child(sp, 'volumeClaimTemplate');
    if (!template) errs.push(required(tp));
    else errs.push(...claimSpecErrors(template.spec as PersistentVolumeClaimSpec | undefined, child(tp, 'spec')));
  } else if (first === 'emptyDir') {
    const medium = v.emptyDir?.medium;
    if (medium !== undefined && !EMPTY_DIR_MEDIA.includes(medium))
      errs.push(notSupported(child(sp, 'medium'), medium, EMPTY_DIR_MEDIA));
  }
  return errs;
}
