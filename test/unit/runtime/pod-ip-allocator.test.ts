// Round-robin pod IPs, as CNI host-local hands them out.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { hostRange, nextAddress, randomAddress } from '../../../src/runtime/pod-ip-allocator.js';

test('hostRange: the assignable hosts of an IPv4 CIDR', () => {
  const r = hostRange('10.244.0.0/16')!;
  assert.deepEqual(
    [r.first, r.last].map((n) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.')),
    ['10.244.0.1', '10.244.255.254'],
  );
  assert.equal(hostRange('10.244.0.7/16')!.first, hostRange('10.244.0.0/16')!.first, 'host bits ignored');
  assert.equal(hostRange('fd00::/64'), undefined);
  assert.equal(hostRange('10.0.0.0/31'), undefined);
});

test('nextAddress: after the last one handed out, skipping what is in use, wrapping at the end', () => {
  const gw = new Set(['10.9.0.1']);
  assert.equal(nextAddress('10.9.0.0/29', gw), '10.9.0.2', 'first run: the first free host');
  assert.equal(nextAddress('10.9.0.0/29', gw, '10.9.0.2'), '10.9.0.3', 'not the one just freed');
  assert.equal(nextAddress('10.9.0.0/29', new Set([...gw, '10.9.0.4']), '10.9.0.3'), '10.9.0.5');
  assert.equal(nextAddress('10.9.0.0/29', gw, '10.9.0.6'), '10.9.0.2', 'wraps past .6 (.7 is broadcast)');
  const full = new Set(['10.9.0.1', '10.9.0.2', '10.9.0.3', '10.9.0.4', '10.9.0.5', '10.9.0.6']);
  assert.equal(nextAddress('10.9.0.0/29', full, '10.9.0.3'), undefined);
  assert.equal(nextAddress('10.9.0.0/29', gw, '192.168.0.9'), '10.9.0.2', 'a last address outside the range');
});

test('randomAddress: a first starting point inside the host range', () => {
  for (let i = 0; i < 200; i++) {
    const ip = randomAddress('10.9.0.0/29')!;
    assert.match(ip, /^10\.9\.0\.[1-6]$/);
  }
  assert.equal(randomAddress('not-a-cidr'), undefined);
});
