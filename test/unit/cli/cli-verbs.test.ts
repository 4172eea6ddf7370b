// Argument parsing and the objects the new client verbs build (no agent needed).
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { execQuery, parseExecArgs } from '../../../src/cli/exec.js';
import { listenAddresses, parsePortSpec } from '../../../src/cli/port-forward.js';
import { dockerConfigJson, dockerRegistrySecret, genericSecret } from '../../../src/cli/create-secret.js';
import { keyPatch, parseKeyChanges } from '../../../src/cli/label.js';
import { splitDashDash, wantsHelp } from '../../../src/cli/args.js';
import { exitCodeOf } from '../../../src/util/remotecommand/ws-channels.js';

test('exec arguments: POD -- CMD, pod/NAME, and kubectl refusals', () => {
  assert.deepEqual(splitDashDash(['web', '-c', 'a', '--', 'ls', '-l']), {
    before: ['web', '-c', 'a'],
    after: ['ls', '-l'],
  });
  assert.deepEqual(parseExecArgs(['pod/web'], ['ls']), { pod: 'web', command: ['ls'] });
  assert.throws(() => parseExecArgs(['web', 'ls'], undefined), /Use exec \[POD\] -- \[COMMAND\] instead/);
  assert.throws(() => parseExecArgs(['web'], []), /you must specify at least one command/);
  assert.throws(() => parseExecArgs(['deploy/web'], ['ls']), /only pods are supported/);
  assert.equal(wantsHelp(['web', '--', 'grep', '--help']), false);
  assert.equal(wantsHelp(['-h']), true);
});

test('exec query: one command parameter per argument; no stderr with a TTY', () => {
  const base = { pod: 'web', command: ['sh', '-c', 'echo hi'], container: 'app' };
  assert.deepEqual(execQuery({ ...base, stdin: false, tty: false }), {
    command: ['sh', '-c', 'echo hi'],
    container: 'app',
    stdin: undefined,
    stdout: true,
    stderr: true,
    tty: undefined,
  });
  const tty = execQuery({ ...base, stdin: true, tty: true });
  assert.deepEqual([tty.stdin, tty.stderr, tty.tty], [true, undefined, true]);
});

test('exit code from the channel-3 Status', () => {
  assert.equal(exitCodeOf({ metadata: {}, status: 'Success' }), 0);
  const failure = {
    metadata: {},
    status: 'Failure' as const,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '42' }] },
  };
  assert.equal(exitCodeOf(failure), 42);
  assert.equal(exitCodeOf({ metadata: {}, status: 'Failure', reason: 'InternalError', message: 'x' }), undefined);
});

test('port-forward port specs and listen addresses', () => {
  assert.deepEqual(parsePortSpec('8080:80'), { local: 8080, remote: 80 });
  assert.deepEqual(parsePortSpec('80'), { local: 80, remote: 80 });
  assert.deepEqual(parsePortSpec(':80'), { local: 0, remote: 80 });
  assert.throws(() => parsePortSpec('a:80'), /error parsing local port 'a' in 'a:80'/);
  assert.throws(() => parsePortSpec('1:2:3'), /invalid port format/);
  assert.throws(() => parsePortSpec('70000'), /error parsing remote port/);
  assert.deepEqual(listenAddresses(undefined), ['127.0.0.1', '::1']);
  assert.deepEqual(listenAddresses('0.0.0.0,localhost'), ['0.0.0.0', '127.0.0.1', '::1']);
});

test('docker-registry secret: the object kubectl builds; email omitted when empty', () => {
  const s = dockerRegistrySecret('regcred', { server: 'r.example', username: 'u', password: 'p', email: 'e@x' });
  assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
  assert.deepEqual(s.metadata, { name: 'regcred' });
  assert.equal(
    Buffer.from(s.data!['.dockerconfigjson']!, 'base64').toString(),
    '{"auths":{"r.example":{"username":"u","password":"p","email":"e@x","auth":"dTpw"}}}',
  );
  assert.equal(
    dockerConfigJson({ server: 's', username: 'u', password: 'p' }),
    '{"auths":{"s":{"username":"u","password":"p","auth":"dTpw"}}}',
  );
});

test('generic secret: literals (values may contain =), files with and without a key, duplicates refused', () => {
  const read = (p: string) => Buffer.from(`content of ${p}`);
  const s = genericSecret('g', { literals: ['a=1=2'], files: ['/tmp/none/cfg.txt', 'k=/tmp/none/x'] }, read);
  assert.equal(s.type, 'Opaque');
  assert.deepEqual(
    Object.fromEntries(Object.entries(s.data!).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])),
    { a: '1=2', 'cfg.txt': 'content of /tmp/none/cfg.txt', k: 'content of /tmp/none/x' },
  );
  assert.throws(() => genericSecret('g', { literals: ['novalue'], files: [] }), /invalid literal source novalue/);
  assert.throws(() => genericSecret('g', { literals: ['a=1', 'a=2'], files: [] }), /cannot add key a/);
});

test('label changes: k=v sets, k- removes; --overwrite guards existing values', () => {
  const c = parseKeyChanges(['env=dev', 'old-'], 'label');
  assert.deepEqual(c, { set: { env: 'dev' }, remove: ['old'] });
  assert.throws(() => parseKeyChanges(['a=b=c'], 'label'), /invalid label spec: a=b=c/);
  assert.throws(() => parseKeyChanges([], 'label'), /at least one label update is required/);
  assert.throws(() => parseKeyChanges(['a=1', 'a-'], 'label'), /can not both modify and remove/);

  const current = { env: 'prod', old: 'x' };
  assert.throws(
    () => keyPatch(current, c, { overwrite: false, field: 'labels' }),
    /^Error: 'env' already has a value \(prod\), and --overwrite is false$/,
  );
  assert.deepEqual(keyPatch(current, c, { overwrite: true, field: 'labels' }), {
    patch: { env: 'dev', old: null },
    warnings: [],
    changed: true,
  });
  // The same value needs no --overwrite, and changes nothing; a missing key is only a warning.
  assert.deepEqual(
    keyPatch({ env: 'dev' }, parseKeyChanges(['env=dev', 'gone-'], 'label'), { overwrite: false, field: 'labels' }),
    {
      patch: { env: 'dev' },
      warnings: ['label "gone" not found.'],
      changed: false,
    },
  );
});
