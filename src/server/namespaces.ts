// Namespaces are not stored: `default`, `kube-system` and every namespace in use.
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { sendJson, wantsTable } from './http-util.js';
import { genericTable, includeObjectParam } from './tables.js';
import { parseLabelSelector, parseFieldSelector } from './selectors.js';
import { notFoundError } from '../util/errors.js';

export interface Namespace {
  apiVersion: 'v1';
  kind: 'Namespace';
  metadata: {
    name: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels: Record<string, string>;
  };
  spec: { finalizers: string[] };
  status: { phase: 'Active' };
}

export function namespaceNames(d: ApiDeps): string[] {
  const names = new Set(['default', 'kube-system']);
  for (const p of d.node.listPods()) if (p.metadata.namespace) names.add(p.metadata.namespace);
  for (const e of d.node.listEvents()) if (e.metadata.namespace) names.add(e.metadata.namespace);
  for (const kind of ['Secret', 'ConfigMap'] as const) {
    for (const o of d.node.listObjects(kind)) if (o.metadata.namespace) names.add(o.metadata.namespace);
  }
  return [...names].sort();
}

export function namespaceHandlers(d: ApiDeps, startedAt: string): { list: Handler; get: Handler } {
  const make = (name: string): Namespace => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: `namespace-${name}`,
      resourceVersion: '1',
      creationTimestamp: startedAt,
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });

  const list: Handler = async (req, res, { query }) => {
    const byName = parseFieldSelector<Namespace>(query.get('fieldSelector'), {
      'metadata.name': (n) => n.metadata.name,
      'status.phase': (n) => n.status.phase,
    });
    const byLabel = parseLabelSelector(query.get('labelSelector'));
    const items = namespaceNames(d)
      .map(make)
      .filter((n) => byName(n) && byLabel(n.metadata.labels));
    const rv = d.node.resourceVersion();
    if (wantsTable(req)) sendJson(res, 200, genericTable(items, rv, includeObjectParam(query)));
    else sendJson(res, 200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion: rv }, items });
  };

  const get: Handler = async (req, res, { path, query }) => {
    const name = path.name!;
    if (!namespaceNames(d).includes(name)) throw notFoundError('namespaces', name);
    const ns = make(name);
    if (wantsTable(req)) sendJson(res, 200, genericTable([ns], ns.metadata.resourceVersion, includeObjectParam(query)));
    else sendJson(res, 200, ns);
  };

  return { list, get };
}
