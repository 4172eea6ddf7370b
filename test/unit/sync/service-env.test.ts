// The `kubernetes` service variables (pkg/kubelet/envvars FromServices) pointing at the
// agent's API where pods reach it, and their place in a container's environment.
import { test } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { kubernetesServiceEnv } from '../../../src/sync/service-env.js';
import { kubernetesServiceNames, podReachability } from '../../../src/server/pod-reachability.js';

test('names and values as FromServices makes them for the `https` port', () => {
  assert.deepEqual(kubernetesServiceEnv({ host: '10.244.0.1', port: 10350 }), {
    KUBERNETES_SERVICE_HOST: '10.244.0.1',
    KUBERNETES_SERVICE_PORT: '10350',
    KUBERNETES_SERVICE_PORT_HTTPS: '10350',
    KUBERNETES_PORT: 'tcp://10.244.0.1:10350',
    KUBERNETES_PORT_10350_TCP: 'tcp://10.244.0.1:10350',
    KUBERNETES_PORT_10350_TCP_PROTO: 'tcp',
    KUBERNETES_PORT_10350_TCP_PORT: '10350',
    KUBERNETES_PORT_10350_TCP_ADDR: '10.244.0.1',
  });
});

test('the gateway is added as a listen address only when --listen does not cover it, never over plain HTTP', () => {
  assert.deepEqual(podReachability('127.0.0.1', '10.244.0.1', false), { reachable: true, extraHost: '10.244.0.1' });
  assert.deepEqual(podReachability('0.0.0.0', '10.244.0.1', false), { reachable: true });
  assert.deepEqual(podReachability('10.244.0.1', '10.244.0.1', false), { reachable: true });
  assert.deepEqual(podReachability('127.0.0.1', '10.244.0.1', true), { reachable: false });
  assert.deepEqual(kubernetesServiceNames('10.244.0.1', 'cluster.local'), [
    '10.244.0.1',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ]);
});
