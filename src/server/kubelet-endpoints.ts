// The kubelet's own read endpoints (pkg/kubelet/server/server.go), served beside the
// Kubernetes API through the same router (so behind the same authentication; only
// /healthz, registered with discovery, answers everyone and says nothing but `ok`):
//   /pods          getPods: the pods this node runs, with their status (a v1 PodList)
//   /runningpods/  getRunningPods: pods with a running sandbox or container, from the engine
//   /containerLogs/{ns}/{pod}/{container}  getContainerLogs: pods/log's query parameters
//   /metrics       Prometheus text; /metrics/probes only prober_probe_total, as the kubelet
//   /stats/summary the Summary API (k8s.io/kubelet/pkg/apis/stats/v1alpha1): node and pod usage
//   /metrics/resource  the same usage as Prometheus text with sample timestamps (metrics-server's source)
import type { Pod } from '../apis/core/types.js';
import type { ApiDeps } from './api-deps.js';
import type { Handler } from './http-util.js';
import { sendJson } from './http-util.js';
import { logHandler } from './logs.js';
import type { Router } from './router.js';
import { notFoundPath } from './errors.js';

/** The Prometheus text exposition format the kubelet answers /metrics/resource with. */
const RESOURCE_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** encodePods: a v1 PodList, no resourceVersion (the kubelet's list is not a watchable collection). */
function podList(items: Pod[]): unknown {
  return { kind: 'PodList', apiVersion: 'v1', metadata: {}, items };
}

export function addKubeletEndpoints(r: Router, d: ApiDeps): void {
  r.add({ pattern: '/pods', methods: { GET: async (_req, res) => sendJson(res, 200, podList(d.node.listPods())) } });
  r.add({
    pattern: '/runningpods',
    methods: { GET: async (_req, res) => sendJson(res, 200, podList(await d.node.runningPods())) },
  });
  r.add({ pattern: '/containerLogs/:namespace/:name/:container', resource: 'pods', methods: { GET: logHandler(d) } });
  r.add({ pattern: '/metrics', methods: { GET: metricsHandler(d, 'all') } });
  r.add({ pattern: '/metrics/probes', methods: { GET: metricsHandler(d, 'probes') } });
  r.add({
    pattern: '/metrics/resource',
    methods: {
      GET: async (_req, res) => {
        if (!d.stats) throw notFoundPath();
        const body = await d.stats.resourceMetrics();
        res.writeHead(200, { 'Content-Type': RESOURCE_TEXT, 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      },
    },
  });
  r.add({
    pattern: '/stats/summary',
    methods: {
      GET: async (_req, res) => {
        if (!d.stats) throw notFoundPath();
        sendJson(res, 200, await d.stats.summary());
      },
    },
  });
}

function metricsHandler(d: ApiDeps, which: 'all' | 'probes'): Handler {
  return async (_req, res) => {
    if (!d.metrics) throw notFoundPath();
    const { contentType, body } = await d.metrics(which);
    res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
}
