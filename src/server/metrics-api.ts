// metrics.k8s.io/v1beta1, served by the agent itself as metrics-server would serve it
// for this one node (metrics-server pkg/api/pod.go, node.go): list and get of NodeMetrics
// and PodMetrics, label and field selectors, and the group's discovery. `kubectl top`
// reads these; the numbers come from the stats provider's per-period caches.
import type { NodeMetrics, PodMetrics } from '../apis/stats/types.js';
import { notFoundError } from '../util/errors.js';
import type { ApiDeps, StatsFacade } from './api-deps.js';
import * as discovery from './discovery.js';
import type { Handler } from './http-util.js';
import { sendJson, wantsTable } from './http-util.js';
import { includeObjectParam } from './tables.js';
import { parseQuantity } from '../apis/core/quantity.js';
import { formatBinarySI, formatNanoCores } from '../apis/stats/quantity.js';
import type { Router } from './router.js';
import { notFoundPath } from './errors.js';
import { type FieldGetter, selectorFromQuery } from './selectors.js';

const G = discovery.METRICS_API_GROUP;
const BASE = `/apis/${G.group}/${G.version}`;

type Meta = { metadata: { name: string; namespace?: string; labels?: Record<string, string> } };
const FIELDS: Record<string, FieldGetter<Meta>> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
};

/** metrics-server's order: by namespace, then name (the API server's list order). */
const byNamespaceAndName = (a: Meta, b: Meta) =>
  (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
  a.metadata.name.localeCompare(b.metadata.name);

type Usage = { cpu: string; memory: string };
type MetricsObject = Meta & { window: string } & ({ usage: Usage } | { containers: { usage: Usage }[] });

/** A node's usage, or a pod's summed over its containers (as metrics-server's table adds them). */
function totalUsage(o: MetricsObject): Usage {
  const usages = 'usage' in o ? [o.usage] : o.containers.map((c) => c.usage);
  const sum = (f: (u: Usage) => string) => usages.reduce((a, u) => a + parseQuantity(f(u)), 0);
  return { cpu: formatNanoCores(sum((u) => u.cpu) * 1e9), memory: formatBinarySI(sum((u) => u.memory)) };
}

/**
 * metrics-server's Table (pkg/api/table.go): Name, one quantity column per resource
 * (cpu, memory), Window; no columns at all for an empty list, as there.
 */
function metricsTable(items: MetricsObject[], query: URLSearchParams): unknown {
  const include = includeObjectParam(query);
  const columns = [
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
    { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
    { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
    { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
  ];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: items.length > 0 ? columns : [],
    rows: items.map((o) => {
      const u = totalUsage(o);
      const object =
        include === 'Object'
          ? o
          : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
      return { cells: [o.metadata.name, u.cpu, u.memory, o.window], ...(include === 'None' ? {} : { object }) };
    }),
  };
}

function list<T extends MetricsObject>(kind: string, read: (s: StatsFacade) => Promise<T[]>, d: ApiDeps): Handler {
  return async (req, res, { path, query }) => {
    const stats = d.stats;
    if (!stats) throw notFoundPath();
    const selected = selectorFromQuery(query, FIELDS);
    const ns = path.namespace;
    const items = (await read(stats))
      .filter((o) => (ns === undefined || o.metadata.namespace === ns) && selected(o))
      .sort(byNamespaceAndName);
    if (wantsTable(req)) sendJson(res, 200, metricsTable(items, query));
    else sendJson(res, 200, { kind, apiVersion: `${G.group}/${G.version}`, metadata: {}, items });
  };
}

/**
 * GET of one object, with metrics-server's two NotFounds (pkg/api/pod.go, node.go Get):
 * the object itself missing is its lister's error (`pods "web" not found`, `node "x" not
 * found`); one that exists without usage yet is `podmetrics.metrics.k8s.io "default/web"
 * not found` (namespace/name) or `nodemetrics.metrics.k8s.io "x" not found`.
 */
function get<T extends MetricsObject>(
  resource: 'podmetrics' | 'nodemetrics',
  read: (s: StatsFacade) => Promise<T[]>,
  d: ApiDeps,
): Handler {
  return async (req, res, { path, query }) => {
    const stats = d.stats;
    if (!stats) throw notFoundPath();
    const ns = path.namespace;
    const name = path.name!;
    if (resource === 'podmetrics') d.node.getPod(ns!, name);
    else if (d.node.listNodes().every((n) => n.metadata.name !== name)) throw notFoundError('node', name);
    const found = (await read(stats)).find(
      (o) => o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns),
    );
    if (!found) throw notFoundError(`${resource}.${G.group}`, ns === undefined ? name : `${ns}/${name}`);
    sendJson(res, 200, wantsTable(req) ? metricsTable([found], query) : found);
  };
}

/** The group's discovery and its routes; nothing when the agent has no stats provider. */
export function addMetricsApi(r: Router, d: ApiDeps): void {
  if (!d.stats) return;
  const nodes = (s: StatsFacade): Promise<NodeMetrics[]> => s.nodeMetrics();
  const pods = (s: StatsFacade): Promise<PodMetrics[]> => s.podMetrics();
  r.add({ pattern: `/apis/${G.group}`, methods: { GET: discovery.apiGroupHandler(G) } });
  r.add({ pattern: BASE, methods: { GET: discovery.groupResourceListHandler(G) } });
  r.add({ pattern: `${BASE}/nodes`, methods: { GET: list('NodeMetricsList', nodes, d) } });
  r.add({ pattern: `${BASE}/nodes/:name`, methods: { GET: get('nodemetrics', nodes, d) } });
  r.add({ pattern: `${BASE}/pods`, methods: { GET: list('PodMetricsList', pods, d) } });
  r.add({
    pattern: `${BASE}/namespaces/:namespace/pods`,
    methods: { GET: list('PodMetricsList', pods, d) },
  });
  r.add({
    pattern: `${BASE}/namespaces/:namespace/pods/:name`,
    methods: { GET: get('podmetrics', pods, d) },
  });
}
