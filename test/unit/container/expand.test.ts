import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { buildEnv, expand, expandCommand } from '../../../src/container/expand.js';
import type { Container } from '../../../src/apis/core/types.js';

describe('expand', () => {
  const vars: Record<string, string> = { A: 'a', B: 'b', EMPTY: '', NESTED: '$(A)' };
  const lookup = (n: string) => vars[n];
  const cases: [string, string][] = [
    ['$(A)', 'a'],
    ['x$(A)y$(B)z', 'xaybz'],
    ['$(MISSING)', '$(MISSING)'],
    ['$(EMPTY)-', '-'],
    ['$$', '$'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$a'],
    ['$(A', '$(A'],
    ['$A', '$A'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$()', '$()'],
    ['$(NESTED)', '$(A)'], // values are not re-expanded
    ['no refs', 'no refs'],
    ['$(A)$(B)', 'ab'],
  ];
  for (const [input, want] of cases) test(JSON.stringify(input), () => assert.equal(expand(input, lookup), want));
});

describe('buildEnv and expandCommand', () => {
  const c: Container = {
    name: 'app',
    env: [
      { name: 'HOST', value: 'db' },
      { name: 'URL', value: 'http://$(HOST):$(PORT)/' }, // PORT is defined later: stays literal
      { name: 'PORT', value: '5432' },
      { name: 'ESC', value: '$$(HOST)' },
      { name: 'FROM', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'HOST', value: '$(HOST)-2' }, // redefinition sees the earlier value
    ],
    command: ['sh', '-c', 'echo $(URL) $(POD) $(NOPE)'],
    args: ['$(PORT)', '$$(PORT)'],
  };

  test('env applied in order, expanded against earlier values, extra first', () => {
    const { env } = buildEnv(c, { POD: 'web' });
    assert.deepEqual(env, ['POD=web', 'HOST=db-2', 'URL=http://db:$(PORT)/', 'PORT=5432', 'ESC=$(HOST)']);
  });

  test('valueFrom is resolved by the caller when it can', () => {
    const { env } = buildEnv(c, {}, (v) => (v.valueFrom?.fieldRef ? 'web' : undefined));
    assert.ok(env.includes('FROM=web'));
  });

  test('command and args expand against the final env', () => {
    const { lookup } = buildEnv(c, { POD: 'web' });
    assert.deepEqual(expandCommand(c, lookup), {
      command: ['sh', '-c', 'echo http://db:$(PORT)/ web $(NOPE)'],
      args: ['5432', '$(PORT)'],
    });
  });

  test('absent command and args stay absent', () => {
    assert.deepEqual(
      expandCommand({ name: 'x' }, () => undefined),
      {},
    );
  });
});
