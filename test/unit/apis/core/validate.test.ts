import { describe, test } from '../../../harness/node-test.js';
import assert from 'node:assert/strict';
import { applyPodDefaults } from '../../../../src/apis/core/defaults.js';
import { validatePod } from '../../../../src/apis/core/validate.js';
import type { Pod } from '../../../../src/apis/core/types.js';
import { messages, rawPod } from './helpers.js';

/** Defaults first, as admission does, then validation. */
const check = (raw: Record<string, unknown>) => messages(validatePod(applyPodDefaults(raw as unknown as Pod)));
const withContainer = (c: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
  rawPod({ containers: [{ name: 'app', image: 'busybox:1.36', ...c }], ...spec });
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('validatePod', () => {
  test('a minimal pod is valid', () => assert.deepEqual(check(rawPod()), []));

  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'readiness gate condition type is a qualified name',
      rawPod({ readinessGates: [{ conditionType: 'example.com/ok' }, { conditionType: 'bad gate' }] }),
      [
        '^spec\\.readinessGates\\[1\\]\\.conditionType: Invalid value: "bad gate": name part must consist of alphanumeric characters',
      ],
    ],
    // metadata
    [
      'name required',
      rawPod({}, { name: undefined }),
      ['metadata.name: Required value: name or generateName is required'],
    ],
    ['name format', rawPod({}, { name: 'Bad_Name' }), [`metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`]],
    [
      'name too long',
      rawPod({}, { name: 'a'.repeat(254) }),
      [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`],
    ],
    [
      'namespace is a label',
      rawPod({}, { namespace: 'a.b' }),
      [`metadata.namespace: Invalid value: "a.b": ${LABEL_MSG}`],
    ],
    [
      'label key',
      rawPod({}, { labels: { 'a b': 'x' } }),
      [/^metadata\.labels: Invalid value: "a b": name part must consist of/.source],
    ],
    [
      'label value',
      rawPod({}, { labels: { a: 'x y' } }),
      [/^metadata\.labels\[a\]: Invalid value: "x y": a valid label must be/.source],
    ],
    [
      'annotation key',
      rawPod({}, { annotations: { '/x': 'y' } }),
      ['metadata.annotations: Invalid value: "/x": prefix part must be non-empty'],
    ],
    // containers
    ['at least one container', rawPod({ containers: [] }), ['spec.containers: Required value']],
    ['container name required', withContainer({ name: '' }), ['spec.containers[0].name: Required value']],
    [
      'container name is a label',
      withContainer({ name: 'App' }),
      [`spec.containers[0].name: Invalid value: "App": ${LABEL_MSG}`],
    ],
    [
      'container names unique',
      rawPod({
        containers: [
          { name: 'app', image: 'a:1' },
          { name: 'app', image: 'b:1' },
        ],
      }),
      ['spec.containers[1].name: Duplicate value: "app"'],
    ],
    [
      'names unique across init and app',
      rawPod({ initContainers: [{ name: 'app', image: 'a:1' }] }),
      ['spec.initContainers[0].name: Duplicate value: "app"'],
    ],
    ['image required', withContainer({ image: '' }), ['spec.containers[0].image: Required value']],
    [
      'image whitespace',
      withContainer({ image: 'busybox ' }),
      ['spec.containers[0].image: Invalid value: "busybox ": must not have leading or trailing whitespace'],
    ],
    ['image syntax is not validated', withContainer({ image: 'NOT//valid' }), []],
    [
      'imagePullPolicy enum',
      withContainer({ imagePullPolicy: 'Sometimes' }),
      [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      ],
    ],
    [
      'restartPolicy enum',
      rawPod({ restartPolicy: 'Sometimes' }),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'init restartPolicy only Always',
      rawPod({ initContainers: [{ name: 'i', image: 'a:1', restartPolicy: 'Never' }] }),
      ['spec.initContainers[0].restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ],
    [
      'app container restartPolicy forbidden',
      withContainer({ restartPolicy: 'Always' }),
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    // ports
    [
      'containerPort required',
      withContainer({ ports: [{}] }),
      ['spec.containers[0].ports[0].containerPort: Required value'],
    ],
    [
      'containerPort range',
      withContainer({ ports: [{ containerPort: 70000 }] }),
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    [
      'hostPort range',
      withContainer({ ports: [{ containerPort: 80, hostPort: -1 }] }),
      ['spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive'],
    ],
    [
      'protocol enum',
      withContainer({ ports: [{ containerPort: 80, protocol: 'tcp' }] }),
      ['spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'port name format',
      withContainer({ ports: [{ containerPort: 80, name: 'http-port-too-long' }] }),
      ['spec.containers[0].ports[0].name: Invalid value: "http-port-too-long": must be no more than 15 characters'],
    ],
    [
      'port name needs a letter',
      withContainer({ ports: [{ containerPort: 80, name: '8080' }] }),
      ['spec.containers[0].ports[0].name: Invalid value: "8080": must contain at least one letter (a-z)'],
    ],
    [
      'port names unique',
      withContainer({
        ports: [
          { containerPort: 80, name: 'http' },
          { containerPort: 81, name: 'http' },
        ],
      }),
      ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ],
    [
      'hostPort conflict',
      rawPod({
        containers: [
          { name: 'a', image: 'a:1', ports: [{ containerPort: 80, hostPort: 8080 }] },
          { name: 'b', image: 'a:1', ports: [{ containerPort: 81, hostPort: 8080 }] },
        ],
      }),
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "8080/TCP"'],
    ],
    // env
    ['env name required', withContainer({ env: [{ value: 'x' }] }), ['spec.containers[0].env[0].name: Required value']],
    [
      'env name format',
      withContainer({ env: [{ name: '1X', value: 'x' }] }),
      [
        /^spec\.containers\[0\]\.env\[0\]\.name: Invalid value: "1X": a valid environment variable name must consist of/
          .source,
      ],
    ],
    [
      'env value and valueFrom',
      withContainer({ env: [{ name: 'X', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }),
      ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ],
    [
      'env fieldPath',
      withContainer({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] }),
      [/^spec\.containers\[0\]\.env\[0\]\.valueFrom\.fieldRef\.fieldPath: Unsupported value: "spec\.bogus"/.source],
    ],
    [
      'secretKeyRef key required',
      withContainer({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's' } } }] }),
      ['spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value'],
    ],
    [
      'envFrom needs a source',
      withContainer({ envFrom: [{ prefix: 'P_' }] }),
      ['spec.containers[0].envFrom[0]: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
    ],
    // probes and hooks
    [
      'probe needs a handler',
      withContainer({ livenessProbe: { periodSeconds: 5 } }),
      ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    ],
    [
      'probe with two handlers',
      withContainer({ livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }),
      ['spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
    ],
    [
      'exec command required',
      withContainer({ readinessProbe: { exec: {} } }),
      ['spec.containers[0].readinessProbe.exec.command: Required value'],
    ],
    [
      'negative timing',
      withContainer({ readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: -1, periodSeconds: -2 } }),
      [
        'spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0',
        'spec.containers[0].readinessProbe.periodSeconds: Invalid value: -2: must be greater than or equal to 0',
      ],
    ],
    [
      'liveness successThreshold must be 1',
      withContainer({ livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }),
      ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ],
    [
      'startup successThreshold must be 1',
      withContainer({ startupProbe: { exec: { command: ['true'] }, successThreshold: 3 } }),
      ['spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1'],
    ],
    [
      'readiness successThreshold may be > 1',
      withContainer({ readinessProbe: { exec: { command: ['true'] }, successThreshold: 3 } }),
      [],
    ],
    [
      'readiness probe TGPS',
      withContainer({ readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 } }),
      [
        'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
      ],
    ],
    [
      'liveness probe TGPS allowed',
      withContainer({ livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 60 } }),
      [],
    ],
    [
      'named probe port must exist',
      withContainer({ livenessProbe: { httpGet: { port: 'http' } } }),
      [
        'spec.containers[0].livenessProbe.httpGet.port: Invalid value: "http": must contain at least one port with this name',
      ],
    ],
    [
      'named probe port found',
      withContainer({ ports: [{ name: 'http', containerPort: 8080 }], livenessProbe: { httpGet: { port: 'http' } } }),
      [],
    ],
    [
      'numeric probe port range',
      withContainer({ readinessProbe: { tcpSocket: { port: 0 } } }),
      ['spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
    [
      'httpGet scheme',
      withContainer({ readinessProbe: { httpGet: { port: 80, scheme: 'FTP' } } }),
      ['spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"'],
    ],
    [
      'lifecycle needs a handler',
      withContainer({ lifecycle: { preStop: {} } }),
      ['spec.containers[0].lifecycle.preStop: Required value: must specify a handler type'],
    ],
    [
      'init container probes forbidden',
      rawPod({
        initContainers: [
          {
            name: 'i',
            image: 'a:1',
            livenessProbe: { exec: { command: ['true'] } },
            lifecycle: { postStart: { exec: { command: ['x'] } } },
          },
        ],
      }),
      [
        'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
        'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ],
    ],
    [
      'sidecar probes allowed',
      rawPod({
        initContainers: [
          { name: 'i', image: 'a:1', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } },
        ],
      }),
      [],
    ],
    // volumes and mounts
    [
      'volume name is a label',
      rawPod({ volumes: [{ name: 'Data', emptyDir: {} }] }),
      [`spec.volumes[0].name: Invalid value: "Data": ${LABEL_MSG}`],
    ],
    [
      'volume names unique',
      rawPod({
        volumes: [
          { name: 'd', emptyDir: {} },
          { name: 'd', emptyDir: {} },
        ],
      }),
      ['spec.volumes[1].name: Duplicate value: "d"'],
    ],
    [
      'volume needs a source',
      rawPod({ volumes: [{ name: 'd' }] }),
      ['spec.volumes[0]: Required value: must specify a volume type'],
    ],
    [
      'volume with two sources',
      rawPod({ volumes: [{ name: 'd', emptyDir: {}, hostPath: { path: '/x' } }] }),
      ['spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'unsupported volume source',
      rawPod({ volumes: [{ name: 'd', nfs: { server: 's', path: '/x' } }] }),
      [
        'spec.volumes[0].nfs: Unsupported value: {"server":"s","path":"/x"}: minikubelet supports emptyDir, hostPath, configMap, secret, downwardAPI, projected, persistentVolumeClaim, ephemeral volumes',
      ],
    ],
    [
      'image volume: refused, saying the engine cannot mount images',
      rawPod({ volumes: [{ name: 'd', image: { reference: 'busybox' } }] }),
      [
        'spec.volumes[0].image: Forbidden: image volumes are not supported: mounting an OCI image as a volume needs Docker Engine API 1.48 or later (Docker 28), and minikubelet drives Docker 20.10 (API 1.41)',
      ],
    ],
    [
      'persistentVolumeClaim volume needs a claimName',
      rawPod({ volumes: [{ name: 'd', persistentVolumeClaim: { claimName: '' } }] }),
      ['spec.volumes[0].persistentVolumeClaim.claimName: Required value'],
    ],
    [
      'ephemeral volume: the template spec is a claim spec',
      rawPod({ volumes: [{ name: 'd', ephemeral: { volumeClaimTemplate: { spec: {} } } }] }),
      [
        'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required',
        'spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value',
      ],
    ],
    [
      'configMap volume: items path relative, no .., mode in range',
      rawPod({
        volumes: [
          {
            name: 'd',
            configMap: {
              name: 'cm',
              defaultMode: 0o1000,
              items: [
                { key: 'a', path: '/abs' },
                { key: 'b', path: 'x/../y', mode: -1 },
                { key: '', path: '..z' },
              ],
            },
          },
        ],
      }),
      [
        'spec.volumes[0].configMap.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive',
        'spec.volumes[0].configMap.items[0].path: Invalid value: "/abs": must be a relative path',
        'spec.volumes[0].configMap.items[1].path: Invalid value: "x/../y": must not contain \'..\'',
        'spec.volumes[0].configMap.items[1].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive',
        'spec.volumes[0].configMap.items[2].key: Required value',
        'spec.volumes[0].configMap.items[2].path: Invalid value: "..z": must not start with \'..\'',
      ],
    ],
    [
      'secret volume needs secretName',
      rawPod({ volumes: [{ name: 'd', secret: {} }] }),
      ['spec.volumes[0].secret.secretName: Required value'],
    ],
    [
      'downwardAPI volume: field paths and resources',
      rawPod({
        volumes: [
          {
            name: 'd',
            downwardAPI: {
              items: [
                { path: 'a', fieldRef: { fieldPath: 'status.podIP' } },
                { path: 'b', resourceFieldRef: { resource: 'limits.cpu' } },
                { path: 'b', fieldRef: { fieldPath: 'metadata.labels' } },
              ],
            },
          },
        ],
      }),
      [
        'spec.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: Unsupported value: "status.podIP": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
        'spec.volumes[0].downwardAPI.items[1].resourceFieldRef.containerName: Required value',
        'spec.volumes[0].downwardAPI.items[2].path: Invalid value: "b": conflicting duplicate paths',
      ],
    ],
    [
      'projected volume: serviceAccountToken under 10 minutes, without a path',
      rawPod({
        volumes: [{ name: 'd', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 599 } }] } }],
      }),
      [
        'spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes',
        'spec.volumes[0].projected.sources[0].serviceAccountToken.path: Required value',
      ],
    ],
    [
      'projected volume: serviceAccountToken over 2^32 seconds, path clashing with another source',
      rawPod({
        volumes: [
          {
            name: 'd',
            projected: {
              sources: [
                { serviceAccountToken: { path: 'token', expirationSeconds: 2 ** 32 + 1 } },
                { downwardAPI: { items: [{ path: 'token', fieldRef: { fieldPath: 'metadata.name' } }] } },
              ],
            },
          },
        ],
      }),
      [
        'spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds',
        'spec.volumes[0].projected.sources[1].downwardAPI.items[0].path: Invalid value: "token": conflicting duplicate paths',
      ],
    ],
    [
      'projected volume: clusterTrustBundle refused by name',
      rawPod({ volumes: [{ name: 'd', projected: { sources: [{ clusterTrustBundle: { path: 'b' } }] } }] }),
      [
        'spec.volumes[0].projected.sources[0].clusterTrustBundle: Unsupported value: "clusterTrustBundle": minikubelet does not support the clusterTrustBundle projection yet',
      ],
    ],
    [
      'hostPath path required',
      rawPod({ volumes: [{ name: 'd', hostPath: {} }] }),
      ['spec.volumes[0].hostPath.path: Required value'],
    ],
    [
      'mount must reference a volume',
      withContainer({ volumeMounts: [{ name: 'data', mountPath: '/data' }] }),
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      'mountPath required',
      withContainer({ volumeMounts: [{ name: 'd' }] }, { volumes: [{ name: 'd', emptyDir: {} }] }),
      ['spec.containers[0].volumeMounts[0].mountPath: Required value'],
    ],
    [
      'mountPath absolute',
      withContainer({ volumeMounts: [{ name: 'd', mountPath: 'data' }] }, { volumes: [{ name: 'd', emptyDir: {} }] }),
      ['spec.containers[0].volumeMounts[0].mountPath: Invalid value: "data": must be an absolute path'],
    ],
    [
      'mountPath unique',
      withContainer(
        {
          volumeMounts: [
            { name: 'd', mountPath: '/d' },
            { name: 'd', mountPath: '/d' },
          ],
        },
        { volumes: [{ name: 'd', emptyDir: {} }] },
      ),
      ['spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/d": must be unique'],
    ],
    [
      'subPath stays inside',
      withContainer(
        { volumeMounts: [{ name: 'd', mountPath: '/d', subPath: '../x' }] },
        { volumes: [{ name: 'd', emptyDir: {} }] },
      ),
      ['spec.containers[0].volumeMounts[0].subPath: Invalid value: "../x": must not contain \'..\''],
    ],
    // pod-level
    [
      'terminationGracePeriodSeconds >= 0',
      rawPod({ terminationGracePeriodSeconds: -1 }),
      ['spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'activeDeadlineSeconds >= 1',
      rawPod({ activeDeadlineSeconds: 0 }),
      ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    ],
    [
      'imagePullSecrets name required',
      rawPod({ imagePullSecrets: [{}] }),
      ['spec.imagePullSecrets[0].name: Required value'],
    ],
    [
      'dnsPolicy enum',
      rawPod({ dnsPolicy: 'Cluster' }),
      [
        'spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"',
      ],
    ],
    [
      'hostNetwork: hostPort must equal containerPort',
      rawPod({
        hostNetwork: true,
        containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 80, hostPort: 81 }] }],
      }),
      [
        'spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true',
      ],
    ],
    [
      'hostNetwork: hostPort defaults to containerPort',
      rawPod({ hostNetwork: true, containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 80 }] }] }),
      [],
    ],
    [
      'dnsPolicy None needs nameservers',
      rawPod({ dnsPolicy: 'None', dnsConfig: { searches: ['a.b'] } }),
      ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None'],
    ],
    [
      'dnsConfig nameservers are IPs, options named',
      rawPod({ dnsConfig: { nameservers: ['dns'], options: [{ value: '1' }] } }),
      [
        'spec.dnsConfig.nameservers[0]: Invalid value: "dns": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
        'spec.dnsConfig.options[0]: Required value: must not be empty',
      ],
    ],
    [
      'dnsConfig at most 3 nameservers',
      rawPod({ dnsConfig: { nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'] } }),
      [
        'spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","1.1.1.2","1.1.1.3","1.1.1.4"]: must not have more than 3 nameservers',
      ],
    ],
    ['hostname is a label', rawPod({ hostname: 'a.b' }), [`spec.hostname: Invalid value: "a.b": ${LABEL_MSG}`]],
  ];

  for (const [name, raw, want] of cases) {
    test(name, () => {
      const got = check(raw);
      assert.equal(got.length, want.length, `got ${JSON.stringify(got)}`);
      want.forEach((w, i) => {
        // Entries built from a RegExp source are matched; plain strings must be exact.
        if (w.startsWith('^')) assert.match(got[i]!, new RegExp(w));
        else assert.equal(got[i], w);
      });
    });
  }

  test('every problem is reported, not just the first', () => {
    const got = check(
      rawPod(
        {
          restartPolicy: 'Sometimes',
          containers: [
            { name: 'app', image: '' },
            { name: 'app', image: 'x:1', volumeMounts: [{ name: 'data', mountPath: '/d' }] },
          ],
        },
        { name: 'Bad_Name' },
      ),
    );
    assert.deepEqual(got, [
      `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN_MSG}`,
      'spec.containers[0].image: Required value',
      'spec.containers[1].name: Duplicate value: "app"',
      'spec.containers[1].volumeMounts[0].name: Not found: "data"',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });
});
