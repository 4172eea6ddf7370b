// Shared builders for the spec tests: a minimal valid raw Pod manifest.
import type { FieldError } from '../../../../src/util/errors.js';
import { formatFieldError } from '../../../../src/util/errors.js';

export function rawPod(
  spec: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', ...metadata },
    spec: { containers: [{ name: 'app', image: 'busybox:1.36' }], ...spec },
  };
}

export const messages = (errs: FieldError[]) => errs.map(formatFieldError);
