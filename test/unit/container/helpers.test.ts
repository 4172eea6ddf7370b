import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { shouldContainerBeRestarted } from '../../../src/container/helpers.js';
import type { RestartPolicy } from '../../../src/apis/core/types.js';
import type { RuntimeContainer } from '../../../src/runtime/runtime.js';
import { exit, mkPod, run } from '../status/helpers.js';

describe('shouldContainerBeRestarted', () => {
  const cases: {
    name: string;
    policy: RestartPolicy;
    type: 'init' | 'container';
    c: string;
    inst?: RuntimeContainer;
    deleting?: boolean;
    want: boolean;
  }[] = [
    { name: 'no instance yet', policy: 'Never', type: 'container', c: 'app', want: true },
    {
      name: 'created, not started',
      policy: 'Never',
      type: 'container',
      c: 'app',
      inst: run('app', { state: 'created' }),
      want: true,
    },
    {
      name: 'unknown state',
      policy: 'Never',
      type: 'container',
      c: 'app',
      inst: run('app', { state: 'unknown' }),
      want: true,
    },
    { name: 'running', policy: 'Always', type: 'container', c: 'app', inst: run('app'), want: false },
    { name: 'Always exit 0', policy: 'Always', type: 'container', c: 'app', inst: exit('app', 0), want: true },
    { name: 'Always exit 1', policy: 'Always', type: 'container', c: 'app', inst: exit('app', 1), want: true },
    { name: 'OnFailure exit 0', policy: 'OnFailure', type: 'container', c: 'app', inst: exit('app', 0), want: false },
    { name: 'OnFailure exit 2', policy: 'OnFailure', type: 'container', c: 'app', inst: exit('app', 2), want: true },
    { name: 'Never exit 0', policy: 'Never', type: 'container', c: 'app', inst: exit('app', 0), want: false },
    { name: 'Never exit 1', policy: 'Never', type: 'container', c: 'app', inst: exit('app', 1), want: false },
    { name: 'deleting pod, no instance', policy: 'Always', type: 'container', c: 'app', deleting: true, want: false },
    {
      name: 'deleting pod, exited',
      policy: 'Always',
      type: 'container',
      c: 'app',
      inst: exit('app', 1),
      deleting: true,
      want: false,
    },
    {
      name: 'init exit 0 never re-run',
      policy: 'Always',
      type: 'init',
      c: 'init1',
      inst: exit('init1', 0),
      want: false,
    },
    { name: 'init failed, Always', policy: 'Always', type: 'init', c: 'init1', inst: exit('init1', 1), want: true },
    {
      name: 'init failed, OnFailure',
      policy: 'OnFailure',
      type: 'init',
      c: 'init1',
      inst: exit('init1', 1),
      want: true,
    },
    { name: 'init failed, Never', policy: 'Never', type: 'init', c: 'init1', inst: exit('init1', 1), want: false },
    { name: 'sidecar exit 0, Never pod', policy: 'Never', type: 'init', c: 'side', inst: exit('side', 0), want: true },
    { name: 'sidecar exit 1, Never pod', policy: 'Never', type: 'init', c: 'side', inst: exit('side', 1), want: true },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const pod = mkPod({
        restartPolicy: tc.policy,
        init: ['init1'],
        sidecars: ['side'],
        deleting: tc.deleting ?? false,
      });
      assert.equal(shouldContainerBeRestarted(pod, tc.c, tc.type, tc.inst), tc.want);
    });
  }
});
