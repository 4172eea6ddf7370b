// `kubectl get nodes` and `kubectl get namespaces` columns as the API server's Tables
// (pkg/printers/internalversion/printers.go printNode, printNamespace).
import type { Namespace, Node } from '../apis/core/types.js';
import { timestampSince } from './human-duration.js';
import { col, partialObject, type Table, type TableColumnDefinition } from './pod-columns.js';

const NAME = col('Name', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

export const NODE_COLUMNS: TableColumnDefinition[] = [
  NAME,
  col('Status', 'The status of the node'),
  col('Roles', 'The roles of the node'),
  AGE,
  col('Version', 'Kubelet Version reported by the node.'),
  col('Internal-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
  col('External-IP', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
  col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
  col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
  col(
    'Container-Runtime',
    'Container runtime version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
    1,
  ),
];

const ROLE_PREFIX = 'node-role.kubernetes.io/';
/** The legacy role label (kubeadm's older releases), still read by the printer. */
const ROLE_LABEL = 'kubernetes.io/role';

/** printers.go findNodeRoles: `node-role.kubernetes.io/<role>` keys and the legacy label, sorted. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v !== '') roles.add(v);
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

/** `Ready`, `NotReady` or `Unknown`, then `,SchedulingDisabled` for a cordoned node. */
export function nodeStatusText(node: Node): string {
  const ready = node.status.conditions.find((c) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

const address = (node: Node, type: string) => node.status.addresses.find((a) => a.type === type)?.address ?? '<none>';

export function nodeTableObject(nodes: Node[], now: number, rv: string): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: NODE_COLUMNS,
    rows: nodes.map((n) => ({
      cells: [
        n.metadata.name ?? '',
        nodeStatusText(n),
        nodeRoles(n),
        timestampSince(n.metadata.creationTimestamp, now),
        n.status.nodeInfo.kubeletVersion,
        address(n, 'InternalIP'),
        address(n, 'ExternalIP'),
        n.status.nodeInfo.osImage || '<unknown>',
        n.status.nodeInfo.kernelVersion || '<unknown>',
        n.status.nodeInfo.containerRuntimeVersion || '<unknown>',
      ],
      object: partialObject(n.metadata),
    })),
  };
}

export const NAMESPACE_COLUMNS: TableColumnDefinition[] = [NAME, col('Status', 'The status of the namespace'), AGE];

export function namespaceTableObject(items: Namespace[], now: number, rv: string): Table {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: rv },
    columnDefinitions: NAMESPACE_COLUMNS,
    rows: items.map((ns) => ({
      cells: [ns.metadata.name ?? '', ns.status.phase, timestampSince(ns.metadata.creationTimestamp, now)],
      object: partialObject(ns.metadata),
    })),
  };
}
