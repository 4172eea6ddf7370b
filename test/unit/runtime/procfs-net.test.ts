// The procfs views inspect-ns reads: routes, listening sockets, local addresses, with text
// captured from a pod on this project's pod network.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { formatRoute, parseListeners, parseLocalAddresses, parseRoutes } from '../../../src/runtime/procfs-net.js';

const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0100F40A\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t0000F40A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
`;

test('/proc/net/route: the default route via the gateway and the connected network', () => {
  const routes = parseRoutes(ROUTE);
  assert.deepEqual(routes, [
    { iface: 'eth0', destination: 'default', gateway: '10.244.0.1' },
    { iface: 'eth0', destination: '10.244.0.0/16' },
  ]);
  assert.deepEqual(routes.map(formatRoute), ['default via 10.244.0.1 dev eth0', '10.244.0.0/16 dev eth0']);
});

test('/proc/net/tcp and tcp6: only LISTEN sockets, addresses decoded', () => {
  const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0B00007F:B5A7 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1
   2: 0200F40A:0050 0100F40A:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 3 1
`;
  assert.deepEqual(parseListeners(tcp, 'tcp'), [
    { proto: 'tcp', address: '0.0.0.0', port: 80 },
    { proto: 'tcp', address: '127.0.0.11', port: 46503 },
  ]);
  const tcp6 = `  sl  local_address                         remote_address                        st
   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A
   1: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A
   2: 0000000000000000FFFF00000200F40A:0050 0000000000000000FFFF00000100F40A:D2A4 01
`;
  assert.deepEqual(parseListeners(tcp6, 'tcp6'), [
    { proto: 'tcp6', address: '::', port: 80 },
    { proto: 'tcp6', address: '::1', port: 8080 },
  ]);
});

test('/proc/net/fib_trie: the namespace own addresses, loopback and broadcast left out', () => {
  const trie = `Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 10.244.0.0/16 2 0 2
        +-- 10.244.0.0/30 2 0 2
           |-- 10.244.0.0
              /16 link UNICAST
           |-- 10.244.0.2
              /32 host LOCAL
        |-- 10.244.255.255
           /32 link BROADCAST
     +-- 127.0.0.0/8 2 0 2
        |-- 127.0.0.1
           /32 host LOCAL
Local:
  +-- 0.0.0.0/0 3 0 5
           |-- 10.244.0.2
              /32 host LOCAL
`;
  assert.deepEqual(parseLocalAddresses(trie), ['10.244.0.2']);
  assert.deepEqual(parseLocalAddresses(''), []);
});
