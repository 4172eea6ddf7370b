// Public API of the spec package: decoding, admission (defaults + validation),
// env expansion, image references and static-pod helpers.

export { decodeManifests, type DecodedDoc } from './decode.js';
export { admitObject, admitPod, rfc3339, type AdmitOptions } from './admit.js';
export { applyPodDefaults } from './defaults.js';
export { validatePod } from './validate.js';
export { validateSecret, validateConfigMap } from './validate-config.js';
export { checkStructure, unknownFields, type StructureErrors } from './unknown-fields.js';
export { expand, buildEnv, expandCommand, type EnvLookup, type ValueFromResolver } from './expand.js';
export { staticPodUid, applyStaticPodDefaults, stableStringify, rfc3339Nano } from './static-pod.js';
export { parseImageRef, isValidImageRef, defaultPullPolicy, withDefaultTag, type ImageRef } from './image-ref.js';
export type * from './types.js';
