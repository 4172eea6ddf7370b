import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { checkStructure, unknownFields } from '../../../../src/apis/core/unknown-fields.js';
import { SECRET_SCHEMA } from '../../../../src/apis/core/schema.js';
import { messages, rawPod } from './helpers.js';

describe('strict field validation', () => {
  test('a valid pod with all sorts of known fields has no findings', () => {
    const pod = rawPod(
      {
        volumes: [
          { name: 'v', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
          { name: 'c', configMap: { name: 'x', items: [] } },
        ],
        containers: [
          {
            name: 'app',
            image: 'x',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } }],
            resources: { limits: { cpu: 1, memory: '1Gi' } },
            livenessProbe: { httpGet: { port: 'http', httpHeaders: [{ name: 'X', value: 'y' }] }, periodSeconds: 5 },
            lifecycle: { preStop: { sleep: { seconds: 3 } } },
            securityContext: { capabilities: { add: ['NET_ADMIN'] } },
          },
        ],
        tolerations: [{ operator: 'Exists' }],
        affinity: { anything: { goes: true } },
      },
      { labels: { app: 'web' }, annotations: { a: 'b' }, creationTimestamp: '2026-01-01T00:00:00Z' },
    );
    assert.deepEqual(checkStructure({ ...pod, status: { phase: 'Running' } }), { unknown: [], types: [] });
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'container field typo',
      rawPod({ containers: [{ name: 'a', imagee: 'x' }] }),
      ['unknown field "spec.containers[0].imagee"'],
    ],
    ['top-level', { ...rawPod(), extra: 1 }, ['unknown field "extra"']],
    ['metadata', rawPod({}, { lables: {} }), ['unknown field "metadata.lables"']],
    [
      'probe',
      rawPod({ containers: [{ name: 'a', livenessProbe: { httpGet: { port: 80, paht: '/' } } }] }),
      ['unknown field "spec.containers[0].livenessProbe.httpGet.paht"'],
    ],
    [
      'init container',
      rawPod({ initContainers: [{ name: 'i', cmd: ['x'] }] }),
      ['unknown field "spec.initContainers[0].cmd"'],
    ],
    [
      'volume',
      rawPod({ volumes: [{ name: 'v', emptyDir: {}, hostpath: {} }] }),
      ['unknown field "spec.volumes[0].hostpath"'],
    ],
    [
      'several',
      rawPod({ restart: 'x', containers: [{ name: 'a', ports: [{ port: 80 }] }] }),
      ['unknown field "spec.restart"', 'unknown field "spec.containers[0].ports[0].port"'],
    ],
  ];
  for (const [name, raw, want] of cases)
    test(`unknown: ${name}`, () => assert.deepEqual(messages(unknownFields(raw)).sort(), want.sort()));

  const typeCases: [string, Record<string, unknown>, string][] = [
    [
      'containers not a list',
      rawPod({ containers: 'app' }),
      'spec.containers: Invalid value: "app": must be of type array',
    ],
    [
      'containerPort as string',
      rawPod({ containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] }),
      'spec.containers[0].ports[0].containerPort: Invalid value: "80": must be of type integer',
    ],
    [
      'env value as number',
      rawPod({ containers: [{ name: 'a', env: [{ name: 'A', value: 1 }] }] }),
      'spec.containers[0].env[0].value: Invalid value: 1: must be of type string',
    ],
    [
      'label value as bool',
      rawPod({}, { labels: { a: true } }),
      'metadata.labels[a]: Invalid value: true: must be of type string',
    ],
    ['spec as list', { ...rawPod(), spec: [] }, 'spec: Invalid value: "[...]": must be of type object'],
  ];
  for (const [name, raw, want] of typeCases)
    test(`type: ${name}`, () => assert.deepEqual(messages(checkStructure(raw).types), [want]));

  test('null counts as absent', () => {
    assert.deepEqual(checkStructure(rawPod({ volumes: null }, { creationTimestamp: null })), {
      unknown: [],
      types: [],
    });
  });

  test('Secret schema', () => {
    assert.deepEqual(
      messages(
        unknownFields({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringdata: {} }, SECRET_SCHEMA),
      ),
      ['unknown field "stringdata"'],
    );
  });
});
