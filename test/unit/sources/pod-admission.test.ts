// The scheduler's host-port filter as the node applies it (nodeports.go Fits / HostPortInfo.CheckConflict).
import { describe, test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import type { ContainerPort, ValidPod } from '../../../src/apis/core/types.js';
import { hostPortRefusal } from '../../../src/sources/pod-admission.js';
import { mkPod } from '../status/helpers.js';

function withPorts(...ports: ContainerPort[]): ValidPod {
  const p = mkPod();
  return { ...p, spec: { ...p.spec, containers: [{ name: 'app', image: 'x:1', ports }] } };
}
const port = (hostPort: number, protocol: ContainerPort['protocol'] = 'TCP', hostIP?: string): ContainerPort => ({
  containerPort: 80,
  hostPort,
  protocol,
  ...(hostIP ? { hostIP } : {}),
});

describe('hostPortRefusal', () => {
  const cases: [string, ContainerPort, ContainerPort, boolean][] = [
    ['same port and protocol, both wildcard', port(8080), port(8080), true],
    ['another port', port(8080), port(8081), false],
    ['another protocol', port(8080, 'UDP'), port(8080, 'TCP'), false],
    ['two distinct addresses', port(8080, 'TCP', '127.0.0.1'), port(8080, 'TCP', '127.0.0.2'), false],
    ['one address against the wildcard', port(8080, 'TCP', '127.0.0.1'), port(8080), true],
    ['explicit 0.0.0.0 is the wildcard', port(8080, 'TCP', '0.0.0.0'), port(8080, 'TCP', '127.0.0.1'), true],
  ];
  for (const [name, wanted, held, conflict] of cases) {
    test(name, () => {
      const got = hostPortRefusal(withPorts(wanted), [withPorts(held)]);
      assert.deepEqual(
        got,
        conflict
          ? {
              reason: 'Unschedulable',
              message: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.",
            }
          : undefined,
      );
    });
  }
  test('a pod without host ports always fits', () => {
    assert.equal(hostPortRefusal(withPorts({ containerPort: 80 }), [withPorts(port(80))]), undefined);
  });
});
