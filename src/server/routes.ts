// Every route the API server answers.
import type { ApiDeps } from './api-deps.js';
import { Router } from './router.js';
import * as discovery from './discovery.js';
import { healthHandler } from './health.js';
import { podHandlers } from './pods.js';
import { logHandler } from './logs.js';
import { eventHandlers } from './events.js';
import { objectHandlers } from './objects.js';
import { namespaceHandlers } from './namespaces.js';
import { nodeHandlers } from './nodes.js';
import { sendJson } from './http-util.js';
import type { Handler } from './http-util.js';
import { lazy } from '../util/lazy.js';
import { KubeletError } from '../util/errors.js';
import { addKubeletEndpoints } from './kubelet-endpoints.js';
import { storageHandlers } from './storage.js';
import { addMetricsApi } from './metrics-api.js';

const NS = '/api/v1/namespaces/:namespace';

// The OpenAPI documents and their schema sources: loaded by the first request for one
// (kubectl asks on `apply`, `explain`, `edit`), not at agent start (#17).
const openapi = lazy(() => import('./openapi.js'));
const openapiHandler =
  (pick: (m: Awaited<ReturnType<typeof openapi>>) => Handler): Handler =>
  async (req, res, params) =>
    pick(await openapi())(req, res, params);

export function buildRouter(d: ApiDeps): Router {
  const pods = podHandlers(d);
  const events = eventHandlers(d);
  const secrets = objectHandlers(d, 'Secret');
  const configmaps = objectHandlers(d, 'ConfigMap');
  const serviceaccounts = objectHandlers(d, 'ServiceAccount');
  const namespaces = namespaceHandlers(d);
  const nodes = nodeHandlers(d);
  const health = healthHandler(d);
  const r = new Router();

  r.add({ pattern: '/version', methods: { GET: discovery.version } });
  for (const p of ['/healthz', '/readyz', '/livez']) r.add({ pattern: p, methods: { GET: health } });
  r.add({ pattern: '/api', methods: { GET: discovery.api } });
  const groups = [discovery.STORAGE_API_GROUP, ...(d.stats ? [discovery.METRICS_API_GROUP] : [])];
  r.add({ pattern: '/apis', methods: { GET: discovery.apisHandler(groups) } });
  r.add({ pattern: '/api/v1', methods: { GET: discovery.apiV1 } });
  r.add({ pattern: '/openapi/v2', methods: { GET: openapiHandler((m) => m.openApiV2Document) } });
  r.add({ pattern: '/openapi/v3', methods: { GET: openapiHandler((m) => m.openApiV3Root) } });
  r.add({ pattern: '/openapi/v3/api/v1', methods: { GET: openapiHandler((m) => m.openApiV3Document) } });

  r.add({ pattern: '/api/v1/pods', resource: 'pods', methods: { GET: pods.list } });
  r.add({
    pattern: `${NS}/pods`,
    resource: 'pods',
    methods: { GET: pods.list, POST: pods.create, DELETE: pods.removeCollection },
  });
  r.add({
    pattern: `${NS}/pods/:name`,
    resource: 'pods',
    methods: { GET: pods.get, PATCH: pods.patch, PUT: pods.replace, DELETE: pods.remove },
  });
  r.add({
    pattern: `${NS}/pods/:name/status`,
    resource: 'pods',
    methods: { GET: pods.get, PATCH: pods.patchStatus, PUT: pods.replaceStatus },
  });
  r.add({
    pattern: `${NS}/pods/:name/ephemeralcontainers`,
    resource: 'pods',
    methods: { GET: pods.get, PATCH: pods.patchEphemeral, PUT: pods.replaceEphemeral },
  });
  // Reached only without an Upgrade header (upgrades go to streaming/upgrade.ts): the API server's answer.
  for (const sub of ['exec', 'attach', 'portforward']) {
    const needUpgrade = async () => {
      throw new KubeletError('BadRequest', 'Upgrade request required');
    };
    r.add({ pattern: `${NS}/pods/:name/${sub}`, resource: 'pods', methods: { GET: needUpgrade, POST: needUpgrade } });
  }
  r.add({ pattern: `${NS}/pods/:name/log`, resource: 'pods', methods: { GET: logHandler(d) } });

  r.add({ pattern: '/api/v1/events', resource: 'events', methods: { GET: events.list } });
  r.add({ pattern: `${NS}/events`, resource: 'events', methods: { GET: events.list } });

  for (const [resource, h] of [
    ['secrets', secrets],
    ['configmaps', configmaps],
    ['serviceaccounts', serviceaccounts],
  ] as const) {
    r.add({ pattern: `/api/v1/${resource}`, resource, methods: { GET: h.list } });
    r.add({
      pattern: `${NS}/${resource}`,
      resource,
      methods: { GET: h.list, POST: h.create, DELETE: h.removeCollection },
    });
    r.add({
      pattern: `${NS}/${resource}/:name`,
      resource,
      methods: { GET: h.get, PUT: h.replace, PATCH: h.patch, DELETE: h.remove },
    });
  }

  const storage = storageHandlers(d);
  r.add({
    pattern: '/api/v1/persistentvolumeclaims',
    resource: 'persistentvolumeclaims',
    methods: { GET: storage.claims.list },
  });
  r.add({
    pattern: `${NS}/persistentvolumeclaims`,
    resource: 'persistentvolumeclaims',
    methods: { GET: storage.claims.list, POST: storage.claims.create },
  });
  r.add({
    pattern: `${NS}/persistentvolumeclaims/:name`,
    resource: 'persistentvolumeclaims',
    methods: {
      GET: storage.claims.get,
      PUT: storage.claims.replace,
      PATCH: storage.claims.patch,
      DELETE: storage.claims.remove,
    },
  });
  r.add({
    pattern: '/api/v1/persistentvolumes',
    resource: 'persistentvolumes',
    methods: { GET: storage.volumes.list },
  });
  r.add({
    pattern: '/api/v1/persistentvolumes/:name',
    resource: 'persistentvolumes',
    methods: { GET: storage.volumes.get },
  });
  r.add({ pattern: '/apis/storage.k8s.io', methods: { GET: discovery.apiGroupHandler(discovery.STORAGE_API_GROUP) } });
  r.add({
    pattern: '/apis/storage.k8s.io/v1',
    methods: { GET: discovery.groupResourceListHandler(discovery.STORAGE_API_GROUP) },
  });
  r.add({
    pattern: '/apis/storage.k8s.io/v1/storageclasses',
    resource: 'storageclasses',
    methods: { GET: storage.classes.list },
  });
  r.add({
    pattern: '/apis/storage.k8s.io/v1/storageclasses/:name',
    resource: 'storageclasses',
    methods: { GET: storage.classes.get },
  });

  r.add({
    pattern: '/api/v1/namespaces',
    resource: 'namespaces',
    methods: { GET: namespaces.list, POST: namespaces.create },
  });
  r.add({
    pattern: '/api/v1/namespaces/:name',
    resource: 'namespaces',
    methods: { GET: namespaces.get, PATCH: namespaces.patch, PUT: namespaces.replace, DELETE: namespaces.remove },
  });
  r.add({ pattern: '/api/v1/namespaces/:name/status', resource: 'namespaces', methods: { GET: namespaces.get } });

  r.add({ pattern: '/api/v1/nodes', resource: 'nodes', methods: { GET: nodes.list } });
  r.add({
    pattern: '/api/v1/nodes/:name',
    resource: 'nodes',
    methods: { GET: nodes.get, PATCH: nodes.patch, PUT: nodes.replace },
  });
  r.add({ pattern: '/api/v1/nodes/:name/status', resource: 'nodes', methods: { GET: nodes.get } });
  // The kubelet's own read endpoints (/pods, /runningpods/, /containerLogs, /metrics).
  addKubeletEndpoints(r, d);
  // metrics.k8s.io/v1beta1 (what `kubectl top` reads), served in place of metrics-server.
  addMetricsApi(r, d);
  // minikubelet's own: image pull progress for `minikubelet apply` (bytes and layers per image).
  r.add({
    pattern: '/minikubelet/v1/pulls',
    methods: { GET: async (_req, res) => sendJson(res, 200, { kind: 'PullList', items: d.pulls?.() ?? [] }) },
  });
  return r;
}
