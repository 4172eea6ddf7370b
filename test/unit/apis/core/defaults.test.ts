import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { applyPodDefaults } from '../../../../src/apis/core/defaults.js';
import type { Pod } from '../../../../src/apis/core/types.js';
import { rawPod } from './helpers.js';

const pod = (spec: Record<string, unknown> = {}) => rawPod(spec) as unknown as Pod;

describe('applyPodDefaults', () => {
  const d = applyPodDefaults(pod({ initContainers: [{ name: 'init', image: 'busybox' }] }));

  const podCases: [string, unknown, unknown][] = [
    ['metadata.namespace', d.metadata.namespace, 'default'],
    ['spec.restartPolicy', d.spec.restartPolicy, 'Always'],
    ['spec.terminationGracePeriodSeconds', d.spec.terminationGracePeriodSeconds, 30],
    ['spec.dnsPolicy', d.spec.dnsPolicy, 'ClusterFirst'],
    ['spec.schedulerName', d.spec.schedulerName, 'default-scheduler'],
    ['spec.enableServiceLinks', d.spec.enableServiceLinks, true],
    ['spec.securityContext', d.spec.securityContext, {}],
    ['containers[0].imagePullPolicy (tagged)', d.spec.containers[0]!.imagePullPolicy, 'IfNotPresent'],
    ['initContainers[0].imagePullPolicy (untagged)', d.spec.initContainers![0]!.imagePullPolicy, 'Always'],
    ['containers[0].terminationMessagePath', d.spec.containers[0]!.terminationMessagePath, '/dev/termination-log'],
    ['initContainers[0].terminationMessagePolicy', d.spec.initContainers![0]!.terminationMessagePolicy, 'File'],
    ['containers[0].resources', d.spec.containers[0]!.resources, {}],
  ];
  for (const [field, got, want] of podCases)
    test(`${field} = ${JSON.stringify(want)}`, () => assert.deepEqual(got, want));

  test('explicit values win', () => {
    const p = applyPodDefaults(
      pod({
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 0,
        dnsPolicy: 'Default',
        enableServiceLinks: false,
        containers: [{ name: 'a', image: 'busybox', imagePullPolicy: 'Never' }],
      }),
    );
    assert.equal(p.spec.restartPolicy, 'Never');
    assert.equal(p.spec.terminationGracePeriodSeconds, 0);
    assert.equal(p.spec.dnsPolicy, 'Default');
    assert.equal(p.spec.enableServiceLinks, false);
    assert.equal(p.spec.containers[0]!.imagePullPolicy, 'Never');
  });

  test('probes get timing defaults; zero counts as unset; httpGet path and scheme', () => {
    const p = applyPodDefaults(
      pod({
        containers: [
          {
            name: 'a',
            image: 'x:1',
            livenessProbe: { httpGet: { port: 80 }, periodSeconds: 0 },
            readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5, failureThreshold: 7 },
            lifecycle: { preStop: { httpGet: { port: 80, path: '/stop' } } },
          },
        ],
      }),
    );
    const c = p.spec.containers[0]!;
    assert.deepEqual(c.livenessProbe, {
      httpGet: { port: 80, path: '/', scheme: 'HTTP' },
      initialDelaySeconds: 0,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    assert.equal(c.readinessProbe!.periodSeconds, 5);
    assert.equal(c.readinessProbe!.failureThreshold, 7);
    assert.deepEqual(c.lifecycle!.preStop!.httpGet, { port: 80, path: '/stop', scheme: 'HTTP' });
  });

  test('ports protocol, fieldRef apiVersion, requests from limits, emptyDir kept', () => {
    const p = applyPodDefaults(
      pod({
        volumes: [{ name: 'scratch', emptyDir: {} }],
        containers: [
          {
            name: 'a',
            image: 'x:1',
            ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
            env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
          },
        ],
      }),
    );
    const c = p.spec.containers[0]!;
    assert.deepEqual(
      c.ports!.map((x) => x.protocol),
      ['TCP', 'UDP'],
    );
    assert.equal(c.env![0]!.valueFrom!.fieldRef!.apiVersion, 'v1');
    assert.deepEqual(c.resources!.requests, { cpu: '100m', memory: '64Mi' });
    assert.deepEqual(p.spec.volumes![0], { name: 'scratch', emptyDir: {} });
  });

  test('the input is not mutated', () => {
    const input = pod();
    const before = JSON.stringify(input);
    applyPodDefaults(input);
    assert.equal(JSON.stringify(input), before);
  });
});
