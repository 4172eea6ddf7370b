// `kubectl get pods` columns (pkg/printers/internalversion/printers.go printPod),
// the aligned text table, and the meta.k8s.io/v1 Table the API server answers with.
import type { ContainerStatus, Pod } from '../apis/core/types.js';
import { isPodPhaseTerminal } from '../apis/core/pod-util.js';
import { isSidecar } from '../container/helpers.js';
import { timestampSince } from './human-duration.js';
import { GET_TABWRITER, tabify } from './tabwriter.js';

export interface PodRow {
  name: string;
  ready: string;
  status: string;
  restarts: string;
  age: string;
  ip: string;
  node: string;
  nominatedNode: string;
  readinessGates: string;
}

function conditionTrue(pod: Pod, type: string): boolean {
  return pod.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/** The newer of two RFC 3339 times (either may be absent). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

const lastFinished = (s: ContainerStatus) => s.lastState?.terminated?.finishedAt;

export function podRow(pod: Pod, now: number): PodRow {
  const status = pod.status;
  const sidecars = new Set((pod.spec.initContainers ?? []).filter(isSidecar).map((c) => c.name));
  const total = pod.spec.containers.length + sidecars.size;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: string | undefined;
  let lastSidecarRestart: string | undefined;

  let reason: string = status?.reason || status?.phase || '';
  if (status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated'))
    reason = 'SchedulingGated';

  let initializing = false;
  const inits = status?.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i]!;
    restarts += c.restartCount;
    lastRestart = later(lastRestart, lastFinished(c));
    if (sidecars.has(c.name)) {
      sidecarRestarts += c.restartCount;
      lastSidecarRestart = later(lastSidecarRestart, lastFinished(c));
    }
    const t = c.state?.terminated;
    const w = c.state?.waiting;
    if (t && t.exitCode === 0) continue;
    if (sidecars.has(c.name) && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (t) {
      // Initialization failed.
      if (!t.reason) reason = t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
      else reason = `Init:${t.reason}`;
    } else if (w?.reason && w.reason !== 'PodInitializing') {
      reason = `Init:${w.reason}`;
    } else {
      reason = `Init:${i}/${(pod.spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = status?.containerStatuses ?? [];
    // Walked backwards so that the first container with a reason wins.
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      restarts += c.restartCount;
      lastRestart = later(lastRestart, lastFinished(c));
      const t = c.state?.terminated;
      const w = c.state?.waiting;
      if (w?.reason) reason = w.reason;
      else if (t?.reason) reason = t.reason;
      else if (t) reason = t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A completed container next to a running one: the pod is still running.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status?.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isPodPhaseTerminal(status?.phase)) reason = 'Terminating';

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart) restartsStr = `${restarts} (${timestampSince(lastRestart, now)} ago)`;

  const gates = pod.spec.readinessGates ?? [];
  let readinessGates = '<none>';
  if (gates.length) {
    const ok = gates.filter(
      (g) => status?.conditions?.find((c) => c.type === g.conditionType)?.status === 'True',
    ).length;
    readinessGates = `${ok}/${gates.length}`;
  }
  return {
    name: pod.metadata.name ?? '',
    ready: `${ready}/${total}`,
    status: reason,
    restarts: restartsStr,
    age: timestampSince(pod.metadata.creationTimestamp, now),
    ip: status?.podIPs?.[0]?.ip || '<none>',
    node: pod.spec.nodeName || '<none>',
    nominatedNode: (status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName || '<none>',
    readinessGates,
  };
}

export interface PodTableOptions {
  wide?: boolean;
  showNamespace?: boolean;
  noHeaders?: boolean;
}

/** kubectl's human-readable pod table, header included, newline-terminated. */
export function formatPodTable(pods: Pod[], now: number, opts: PodTableOptions = {}): string {
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  if (opts.wide) header.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
  if (opts.showNamespace) header.unshift('NAMESPACE');
  const lines = opts.noHeaders ? [] : [header];
  for (const pod of pods) {
    const r = podRow(pod, now);
    const cells = [r.name, r.ready, r.status, r.restarts, r.age];
    if (opts.wide) cells.push(r.ip, r.node, r.nominatedNode, r.readinessGates);
    if (opts.showNamespace) cells.unshift(pod.metadata.namespace ?? '');
    lines.push(cells);
  }
  return tabify(lines.map((l) => `${l.join('\t')}\n`).join(''), GET_TABWRITER);
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: (string | number)[];
  conditions?: { type: string; status: string; reason: string; message: string }[];
  object: { kind: 'PartialObjectMetadata'; apiVersion: 'meta.k8s.io/v1'; metadata: unknown };
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** A Table column definition as the API server writes it (priority 1 = only with -o wide). */
export const col = (name: string, description: string, priority = 0, format = ''): TableColumnDefinition => ({
  name,
  type: 'string',
  format,
  description,
  priority,
});

export const POD_COLUMNS: TableColumnDefinition[] = [
  col('Name', 'Name must be unique within a namespace.', 0, 'name'),
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col(
    'Restarts',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  col('IP', 'IP address allocated to the pod. Routable at least within the cluster.', 1),
  col('Node', 'NodeName is a request to schedule this pod onto a specific node.', 1),
  col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
  col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
];

/** The row's object as kubectl's default includeObject=Metadata asks for it. */
export function partialObject(metadata: unknown): TableRow['object'] {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

/** The Table for a Table-Accept request; every column (kubectl hides priority 1 unless -o wide). */
export function podTableObject(pods: Pod[], now: number, rv: string): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: POD_COLUMNS,
    rows: pods.map((pod) => {
      const r = podRow(pod, now);
      const row: TableRow = {
        cells: [r.name, r.ready, r.status, r.restarts, r.age, r.ip, r.node, r.nominatedNode, r.readinessGates],
        object: partialObject(pod.metadata),
      };
      if (pod.status?.phase === 'Succeeded') {
        row.conditions = [
          { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
        ];
      } else if (pod.status?.phase === 'Failed') {
        row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      }
      return row;
    }),
  };
}
