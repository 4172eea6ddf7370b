// A container whose single argument or env string is past the kernel's MAX_ARG_STRLEN is
// refused before the engine is asked: runc hangs in `create` on it instead of failing.
import assert from 'node:assert/strict';
import type { CreateContainerRequest } from '../../../src/runtime/runtime.js';
import { checkArgLengths, MAX_ARG_STRLEN } from '../../../src/runtime/containers.js';
import { mkPod } from '../status/helpers.js';
import { test } from '../../harness/node-test.js';

const req = (over: Partial<CreateContainerRequest>): CreateContainerRequest =>
  ({
    pod: mkPod(),
    container: { name: 'app', image: 'busybox' },
    env: [],
    ...over,
  }) as unknown as CreateContainerRequest;

test('arguments and env strings below the limit pass; one at the limit is refused with a clear message', () => {
  const ok = 'x'.repeat(MAX_ARG_STRLEN - 1);
  assert.doesNotThrow(() => checkArgLengths(req({ command: ['sh', '-c', ok], env: [`A=${'y'.repeat(100)}`] })));
  assert.throws(
    () => checkArgLengths(req({ args: ['x'.repeat(MAX_ARG_STRLEN)] })),
    /container "app" of pod "default\/web": an argument or environment variable of 131072 bytes exceeds the kernel's limit of 131071 bytes/,
  );
  assert.throws(
    () => checkArgLengths(req({ env: [`BIG=${'z'.repeat(MAX_ARG_STRLEN)}`] })),
    /exceeds the kernel's limit/,
  );
});
