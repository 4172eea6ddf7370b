// Pod volumes (validateVolumes, validateVolumeSource). Every in-tree source is a
// known field, but minikubelet only runs emptyDir, hostPath, configMap, secret,
// downwardAPI and projected: other sources are rejected at admission with a
// field-pathed Unsupported value, not at run time.

import type { FieldError } from '../../util/errors.js';
import { child, duplicate, forbidden, index, invalid, nameErrors, notSupported, required } from './field.js';
import { isDNS1123Label } from './names.js';
import { projectedSourceErrors } from './validate-projected.js';
import { VOLUME_SOURCES } from './schema.js';
import type { Volume } from './types.js';

const PROJECTED_SOURCES = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);
const SUPPORTED_SOURCES = new Set(['emptyDir', 'hostPath', ...PROJECTED_SOURCES]);
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
  if (!SUPPORTED_SOURCES.has(first)) {
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
  } else if (first === 'emptyDir') {
    const medium = v.emptyDir?.medium;
    if (medium !== undefined && !EMPTY_DIR_MEDIA.includes(medium))
      errs.push(notSupported(child(sp, 'medium'), medium, EMPTY_DIR_MEDIA));
  }
  return errs;
}
