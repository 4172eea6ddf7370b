// Running CNI plugins (libcni AddNetworkList/DelNetworkList) against fake plugins: shell
// scripts in a temporary bin dir that record their calls, stdin and environment.
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addNetworkList, delNetworkList } from '../../../../src/runtime/cni/invoke.js';

/** A plugin that records the call and prints `out` on ADD (exit `code`). */
function plugin(dir: string, type: string, out: string, code = 0): void {
  const file = join(dir, type);
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      `echo "$CNI_COMMAND ${type}" >> "$CNI_PATH/calls"`,
      `cat > "$CNI_PATH/stdin-${type}-$CNI_COMMAND"`,
      `env | grep -E '^(CNI_|MKL_TEST_SECRET)' | sort > "$CNI_PATH/env-${type}-$CNI_COMMAND"`,
      `[ "$CNI_COMMAND" = ADD ] && printf '%s' '${out}'`,
      `exit ${code}`,
      '',
    ].join('\n'),
  );
  chmodSync(file, 0o755);
}

function binDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'cni-invoke-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const LIST = {
  cniVersion: '1.0.0',
  name: 'n',
  plugins: [{ type: 'bridge' }, { type: 'portmap', capabilities: { portMappings: true } }],
};
const MAPS = [{ hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '' }];
const RESULT = '{"cniVersion":"1.0.0","ips":[{"address":"10.9.0.7/24","gateway":"10.9.0.1"}]}';

test('ADD runs the list in order, each plugin getting the previous result; only CNI_* and PATH in the environment', async (t) => {
  const dir = binDir(t);
  plugin(dir, 'bridge', RESULT);
  plugin(dir, 'portmap', RESULT);
  process.env.MKL_TEST_SECRET = 'do-not-pass';
  t.after(() => delete process.env.MKL_TEST_SECRET);
  const result = await addNetworkList(LIST, {
    binDir: dir,
    containerId: 'abc',
    netns: '/proc/42/ns/net',
    capabilityArgs: { portMappings: MAPS },
  });
  assert.deepEqual(result.ips, [{ address: '10.9.0.7/24', gateway: '10.9.0.1' }]);
  assert.equal(readFileSync(join(dir, 'calls'), 'utf8'), 'ADD bridge\nADD portmap\n');
  const bridgeIn = JSON.parse(readFileSync(join(dir, 'stdin-bridge-ADD'), 'utf8'));
  assert.deepEqual(bridgeIn, { type: 'bridge', cniVersion: '1.0.0', name: 'n' });
  const portmapIn = JSON.parse(readFileSync(join(dir, 'stdin-portmap-ADD'), 'utf8'));
  assert.deepEqual(portmapIn.prevResult, JSON.parse(RESULT));
  assert.deepEqual(portmapIn.runtimeConfig, { portMappings: MAPS });
  assert.equal(
    readFileSync(join(dir, 'env-bridge-ADD'), 'utf8'),
    `CNI_COMMAND=ADD\nCNI_CONTAINERID=abc\nCNI_IFNAME=eth0\nCNI_NETNS=/proc/42/ns/net\nCNI_PATH=${dir}\n`,
  );
});

test('DEL runs the list in reverse with the cached result, every plugin even when one fails', async (t) => {
  const dir = binDir(t);
  plugin(dir, 'bridge', '');
  plugin(dir, 'portmap', '', 1);
  await assert.rejects(
    delNetworkList(LIST, { binDir: dir, containerId: 'abc', netns: '', capabilityArgs: {} }, JSON.parse(RESULT)),
    /^CniPluginError: plugin type="portmap" failed \(del\): /,
  );
  assert.equal(readFileSync(join(dir, 'calls'), 'utf8'), 'DEL portmap\nDEL bridge\n');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'stdin-bridge-DEL'), 'utf8')).prevResult, JSON.parse(RESULT));
});

test("a failing plugin's msg and details make the error; a missing one names itself; a hung one is killed", async (t) => {
  const dir = binDir(t);
  plugin(
    dir,
    'bridge',
    '{"cniVersion":"1.0.0","code":11,"msg":"failed to allocate for range 0","details":"no IP addresses available in range set"}',
    1,
  );
  const inv = { binDir: dir, containerId: 'abc', netns: '/proc/42/ns/net', capabilityArgs: {} };
  await assert.rejects(
    addNetworkList(LIST, inv),
    (err: Error) =>
      err.message ===
      'plugin type="bridge" failed (add): failed to allocate for range 0; no IP addresses available in range set',
  );
  rmSync(join(dir, 'bridge'));
  await assert.rejects(addNetworkList(LIST, inv), /plugin type="bridge" failed \(add\): .*ENOENT/);
  writeFileSync(join(dir, 'bridge'), '#!/bin/sh\nexec sleep 10\n');
  chmodSync(join(dir, 'bridge'), 0o755);
  await assert.rejects(addNetworkList(LIST, { ...inv, timeoutMs: 200 }), /failed \(add\): timed out after 200 ms/);
});
