import { test, describe } from '../../harness/node-test.js';
import assert from 'node:assert/strict';
import { eventTableObject, formatEventTable } from '../../../src/printers/event-columns.js';
import { describePod, describeProbe, rfc1123z } from '../../../src/printers/describe-pod.js';
import type { KubeEvent, Pod } from '../../../src/apis/core/types.js';
import { PROBE_DEFAULTS } from '../../../src/apis/core/defaults.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');

function ev(reason: string, message: string, over: Partial<KubeEvent> = {}): KubeEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `web.${reason}`, namespace: 'default' },
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web',
      namespace: 'default',
      fieldPath: 'spec.containers{app}',
    },
    reason,
    message,
    source: { component: 'kubelet', host: 'mini-node' },
    firstTimestamp: '2026-01-01T00:09:00Z',
    lastTimestamp: '2026-01-01T00:09:00Z',
    count: 1,
    type: 'Normal',
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'mini-node',
    ...over,
  };
}

describe('events', () => {
  const events = [
    ev('BackOff', 'Back-off restarting failed container app in pod web_default(uid)', {
      type: 'Warning',
      count: 3,
      firstTimestamp: '2026-01-01T00:08:00Z',
      lastTimestamp: '2026-01-01T00:09:50Z',
    }),
    ev('Pulled', 'Container image "busybox" already present on machine'),
  ];

  test('formatEventTable: oldest first, pod/web', () => {
    assert.equal(
      formatEventTable(events, NOW),
      'LAST SEEN   TYPE      REASON    OBJECT    MESSAGE\n' +
        '60s         Normal    Pulled    pod/web   Container image "busybox" already present on machine\n' +
        '10s         Warning   BackOff   pod/web   Back-off restarting failed container app in pod web_default(uid)\n',
    );
  });

  test('eventTableObject', () => {
    const t = eventTableObject(events, NOW, '7');
    assert.deepEqual(
      t.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    );
    assert.deepEqual(t.rows[0]!.cells, [
      '10s',
      'Warning',
      'BackOff',
      'pod/web',
      'spec.containers{app}',
      'kubelet, mini-node',
      'Back-off restarting failed container app in pod web_default(uid)',
      '2m',
      3,
      'web.BackOff',
    ]);
  });
});

describe('describePod', () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u1',
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: { app: 'web' },
    },
    spec: {
      nodeName: 'mini-node',
      serviceAccountName: 'default',
      priority: 0,
      restartPolicy: 'Always',
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          command: ['sh', '-c'],
          args: ['sleep 3600'],
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          readinessProbe: { ...PROBE_DEFAULTS, httpGet: { path: '/', port: 8080 } },
          env: [
            { name: 'A', value: '1' },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
    status: {
      phase: 'Running',
      podIP: '10.1.0.5',
      podIPs: [{ ip: '10.1.0.5' }],
      hostIP: '192.168.1.2',
      startTime: '2026-01-01T00:00:01Z',
      qosClass: 'BestEffort',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:05Z' }],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 2,
          image: 'busybox:1.36',
          imageID: 'docker://sha256:abc',
          containerID: 'docker://c1',
          started: true,
          state: { running: { startedAt: '2026-01-01T00:05:00Z' } },
          lastState: {
            terminated: {
              exitCode: 137,
              reason: 'Error',
              startedAt: '2026-01-01T00:01:00Z',
              finishedAt: '2026-01-01T00:04:59Z',
            },
          },
        },
      ],
    },
  };

  test('key lines', () => {
    const out = describePod(
      pod,
      [
        ev('Started', 'Started container app', {
          count: 3,
          firstTimestamp: '2026-01-01T00:09:00Z',
          lastTimestamp: '2026-01-01T00:09:30Z',
        }),
      ],
      NOW,
    );
    const lines = out.split('\n');
    const has = (re: RegExp) =>
      assert.ok(
        lines.some((l) => re.test(l)),
        `missing ${re}\n${out}`,
      );
    has(/^Name:\s+web$/);
    has(/^Namespace:\s+default$/);
    has(/^Priority:\s+0$/);
    has(/^Service Account:\s+default$/);
    has(/^Node:\s+mini-node\/192\.168\.1\.2$/);
    has(/^Start Time:\s+Thu, 01 Jan 2026 00:00:01 \+0000$/);
    has(/^Labels:\s+app=web$/);
    has(/^Annotations:\s+<none>$/);
    has(/^Status:\s+Running$/);
    has(/^IP:\s+10\.1\.0\.5$/);
    has(/^ {2}IP:\s+10\.1\.0\.5$/);
    has(/^ {4}Container ID:\s+docker:\/\/c1$/);
    has(/^ {4}Image:\s+busybox:1\.36$/);
    has(/^ {4}Image ID:\s+docker:\/\/sha256:abc$/);
    has(/^ {4}Port:\s+8080\/TCP$/);
    has(/^ {4}Host Port:\s+0\/TCP$/);
    has(/^ {6}sleep 3600$/);
    has(/^ {4}State:\s+Running$/);
    has(/^ {6}Started:\s+Thu, 01 Jan 2026 00:05:00 \+0000$/);
    has(/^ {4}Last State:\s+Terminated$/);
    has(/^ {6}Reason:\s+Error$/);
    has(/^ {6}Exit Code:\s+137$/);
    has(/^ {4}Ready:\s+True$/);
    has(/^ {4}Restart Count:\s+2$/);
    has(/^ {4}Readiness:\s+http-get http:\/\/:8080\/ delay=0s timeout=1s period=10s #success=1 #failure=3$/);
    has(/^ {6}A:\s+1$/);
    has(/^ {6}POD:\s+web \(v1:metadata\.name\)$/);
    has(/^ {6}\/data from data \(rw\)$/);
    has(/^ {2}Ready\s+True $/);
    has(/^ {4}Type:\s+EmptyDir/);
    has(/^QoS Class:\s+BestEffort$/);
    has(/^Node-Selectors:\s+<none>$/);
    has(/^Tolerations:\s+<none>$/);
    has(/^ {2}Type\s+Reason\s+Age\s+From\s+Message$/);
    has(/^ {2}Normal\s+Started\s+30s \(x3 over 60s\)\s+kubelet\s+Started container app$/);
    // Top block aligned as one tabwriter block.
    assert.ok(out.startsWith('Name:             web\nNamespace:        default\n'), out);
  });

  test('no events, terminating', () => {
    const deleting = {
      ...pod,
      metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:09:40Z', deletionGracePeriodSeconds: 30 },
    };
    const out = describePod(deleting, [], NOW);
    assert.match(out, /\nEvents:\s+<none>\n$/);
    assert.match(out, /\nStatus:\s+Terminating \(lasts 20s\)\n/);
    assert.match(out, /\nTermination Grace Period:\s+30s\n/);
  });

  test('ephemeral containers: their own section right after the app containers (describe.go describePod)', () => {
    const debugged: Pod = {
      ...pod,
      spec: {
        ...pod.spec,
        ephemeralContainers: [
          { name: 'debugger-x1', image: 'busybox:1.35', stdin: true, tty: true, targetContainerName: 'app' },
        ],
      },
      status: {
        ...pod.status!,
        ephemeralContainerStatuses: [
          {
            name: 'debugger-x1',
            ready: false,
            restartCount: 0,
            image: 'busybox:1.35',
            imageID: '',
            containerID: 'docker://d1',
            state: {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: '2026-01-01T00:06:00Z',
                finishedAt: '2026-01-01T00:07:00Z',
              },
            },
            lastState: {},
          },
        ],
      },
    };
    const out = describePod(debugged, [], NOW);
    const section = out.slice(out.indexOf('Ephemeral Containers:'), out.indexOf('Conditions:'));
    assert.ok(out.indexOf('Containers:') < out.indexOf('Ephemeral Containers:'), out);
    assert.match(section, /^Ephemeral Containers:\n {2}debugger-x1:\n/);
    assert.match(section, /\n {4}State:\s+Terminated\n {6}Reason:\s+Completed\n/);
    assert.match(section, /\n {4}Ready:\s+False\n/);
    assert.doesNotMatch(describePod(pod, [], NOW), /Ephemeral Containers/);
  });

  test('helpers', () => {
    assert.equal(rfc1123z('2026-03-05T07:08:09Z'), 'Thu, 05 Mar 2026 07:08:09 +0000');
    assert.equal(
      describeProbe({ ...PROBE_DEFAULTS, exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 5 }),
      'exec [cat /tmp/ok] delay=0s timeout=1s period=5s #success=1 #failure=3',
    );
    assert.equal(
      describeProbe({ ...PROBE_DEFAULTS, tcpSocket: { port: 80 } }),
      'tcp-socket :80 delay=0s timeout=1s period=10s #success=1 #failure=3',
    );
  });
});
