// CNI plugin output (pure): results, errors worded as libcni's, host-local's files.
import { test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { parseResult, pluginErrorMessage, pluginFailure, resultIPv4 } from '../../../../src/runtime/cni/result.js';
import { parseAllocation } from '../../../../src/runtime/cni/state.js';

test('resultIPv4: the first IPv4 address of the result, without its prefix', () => {
  const r = parseResult(
    JSON.stringify({
      cniVersion: '1.0.0',
      interfaces: [{ name: 'minikubelet-cni' }, { name: 'veth1' }, { name: 'eth0', sandbox: '/proc/1/ns/net' }],
      ips: [
        { address: 'fd00::5/64', interface: 2 },
        { address: '10.245.0.5/16', gateway: '10.245.0.1', interface: 2 },
      ],
    }),
  );
  assert.equal(resultIPv4(r), '10.245.0.5');
  assert.equal(resultIPv4({}), undefined);
  assert.equal(resultIPv4(undefined), undefined);
  assert.deepEqual(parseResult(''), {}, 'DEL prints nothing');
  assert.throws(() => parseResult('[1]'), /not a JSON object/);
});

test("pluginErrorMessage: the plugin's msg and details, else its stderr, else the exit", () => {
  assert.equal(
    pluginErrorMessage(
      '{"cniVersion":"1.0.0","code":11,"msg":"failed to allocate for range 0","details":"no IP addresses available in range set: 10.245.0.1-10.245.0.2"}',
      '',
      'exit 1',
    ),
    'failed to allocate for range 0; no IP addresses available in range set: 10.245.0.1-10.245.0.2',
  );
  assert.equal(pluginErrorMessage('{"code":7,"msg":"bad netns"}', '', 'exit 1'), 'bad netns');
  assert.equal(pluginErrorMessage('', 'panic: oops\n', 'exit 2'), 'panic: oops');
  assert.equal(pluginErrorMessage('', '', 'exit 2'), 'exit 2');
  assert.equal(pluginFailure('bridge', 'ADD', 'x'), 'plugin type="bridge" failed (add): x');
});

test("parseAllocation: host-local's <id>\\r\\n<ifname> (1.x) and <id> (0.x) files", () => {
  assert.equal(parseAllocation('abc123\r\neth0'), 'abc123');
  assert.equal(parseAllocation('abc123'), 'abc123');
  assert.equal(parseAllocation(''), undefined);
});
