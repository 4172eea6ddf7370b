// /version, health, and API discovery (aggregated v2 and legacy), as kubectl reads them
// (staging/src/k8s.io/client-go/discovery/discovery_client.go, aggregated_discovery.go).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from './http-util.js';
import { sendJson } from './http-util.js';

/** The Google Cloud SDK's kubectl dispatcher picks the kubectl binary from `minor` (not in the Kubernetes tree). */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-minikubelet',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface ResourceInfo {
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { name: string; kind: string; verbs: string[] }[];
}

const READ = ['get', 'list', 'watch'];

// Verbs are what this server answers today.
export const RESOURCES: ResourceInfo[] = [
  {
    name: 'pods',
    singularName: 'pod',
    kind: 'Pod',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ],
  },
  { name: 'events', singularName: 'event', kind: 'Event', namespaced: true, verbs: READ, shortNames: ['ev'] },
  {
    name: 'secrets',
    singularName: 'secret',
    kind: 'Secret',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
  },
  {
    name: 'configmaps',
    singularName: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
    shortNames: ['cm'],
  },
  {
    name: 'serviceaccounts',
    singularName: 'serviceaccount',
    kind: 'ServiceAccount',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
    shortNames: ['sa'],
  },
  {
    name: 'persistentvolumeclaims',
    singularName: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['pvc'],
  },
  {
    name: 'persistentvolumes',
    singularName: 'persistentvolume',
    kind: 'PersistentVolume',
    namespaced: false,
    verbs: READ,
    shortNames: ['pv'],
  },
  {
    name: 'namespaces',
    singularName: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: [{ name: 'status', kind: 'Namespace', verbs: ['get'] }],
  },
  {
    name: 'nodes',
    singularName: 'node',
    kind: 'Node',
    namespaced: false,
    verbs: ['get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['no'],
    subresources: [{ name: 'status', kind: 'Node', verbs: ['get'] }],
  },
];

function wantsAggregated(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('g=apidiscovery.k8s.io;v=v2;');
}

function serverAddress(req: IncomingMessage): string {
  return req.headers.host ?? `${req.socket.localAddress}:${req.socket.localPort}`;
}

export function apiResourceList(): unknown {
  const resources: unknown[] = [];
  for (const r of RESOURCES) {
    resources.push({
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources ?? []) {
      resources.push({
        name: `${r.name}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'v1', resources };
}

export function aggregatedCoreDiscovery(): unknown {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: [
      {
        metadata: { creationTimestamp: null },
        versions: [
          {
            version: 'v1',
            resources: RESOURCES.map((r) => ({
              resource: r.name,
              responseKind: { group: '', version: 'v1', kind: r.kind },
              scope: r.namespaced ? 'Namespaced' : 'Cluster',
              singularResource: r.singularName,
              verbs: r.verbs,
              ...(r.shortNames ? { shortNames: r.shortNames } : {}),
              ...(r.categories ? { categories: r.categories } : {}),
              ...(r.subresources
                ? {
                    subresources: r.subresources.map((s) => ({
                      subresource: s.name,
                      responseKind: { group: '', version: 'v1', kind: s.kind },
                      verbs: s.verbs,
                    })),
                  }
                : {}),
            })),
            freshness: 'Current',
          },
        ],
      },
    ],
  };
}

export const version: Handler = async (_req, res) => {
  sendJson(res, 200, VERSION_INFO);
};

export const api: Handler = async (req: IncomingMessage, res: ServerResponse) => {
  if (wantsAggregated(req)) {
    sendJson(res, 200, aggregatedCoreDiscovery(), AGGREGATED_CONTENT_TYPE);
    return;
  }
  sendJson(res, 200, {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: serverAddress(req) }],
  });
};

/**
 * An API group served beside the core one (for now metrics.k8s.io), as /apis lists it:
 * kubectl's `top` looks for it there (kubectl pkg/cmd/top SupportedMetricsAPIVersionAvailable).
 */
export interface ApiGroupInfo {
  group: string;
  version: string;
  resources: ResourceInfo[];
}

/** metrics.k8s.io/v1beta1 as metrics-server registers it (singular names from its GetSingularName). */
export const METRICS_API_GROUP: ApiGroupInfo = {
  group: 'metrics.k8s.io',
  version: 'v1beta1',
  resources: [
    { name: 'nodes', singularName: 'node', kind: 'NodeMetrics', namespaced: false, verbs: ['get', 'list'] },
    { name: 'pods', singularName: '', kind: 'PodMetrics', namespaced: true, verbs: ['get', 'list'] },
  ],
};

/** storage.k8s.io/v1: the node's StorageClasses (read-only: the built-in `standard`). */
export const STORAGE_API_GROUP: ApiGroupInfo = {
  group: 'storage.k8s.io',
  version: 'v1',
  resources: [
    {
      name: 'storageclasses',
      singularName: 'storageclass',
      kind: 'StorageClass',
      namespaced: false,
      verbs: ['get', 'list'],
      shortNames: ['sc'],
    },
  ],
};

function aggregatedGroup(g: ApiGroupInfo): unknown {
  return {
    metadata: { name: g.group, creationTimestamp: null },
    versions: [
      {
        version: g.version,
        resources: g.resources.map((r) => ({
          resource: r.name,
          responseKind: { group: g.group, version: g.version, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singularName,
          verbs: r.verbs,
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        })),
        freshness: 'Current',
      },
    ],
  };
}

function legacyGroup(g: ApiGroupInfo): unknown {
  const v = { groupVersion: `${g.group}/${g.version}`, version: g.version };
  return { name: g.group, versions: [v], preferredVersion: v };
}

/** GET /apis listing `groups` (aggregated v2 when asked, else the legacy APIGroupList). */
export function apisHandler(groups: ApiGroupInfo[]): Handler {
  return async (req, res) => {
    if (wantsAggregated(req)) {
      sendJson(
        res,
        200,
        {
          kind: 'APIGroupDiscoveryList',
          apiVersion: 'apidiscovery.k8s.io/v2',
          metadata: {},
          items: groups.map(aggregatedGroup),
        },
        AGGREGATED_CONTENT_TYPE,
      );
      return;
    }
    sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(legacyGroup) });
  };
}

export const apis: Handler = apisHandler([]);

/** GET /apis/<group>: the legacy APIGroup. */
export function apiGroupHandler(g: ApiGroupInfo): Handler {
  return async (_req, res) => {
    sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...(legacyGroup(g) as object) });
  };
}

/** GET /apis/<group>/<version>: its APIResourceList. */
export function groupResourceListHandler(g: ApiGroupInfo): Handler {
  return async (_req, res) => {
    sendJson(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${g.group}/${g.version}`,
      resources: g.resources.map((r) => ({
        name: r.name,
        singularName: r.singularName,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      })),
    });
  };
}

export const apiV1: Handler = async (_req, res) => {
  sendJson(res, 200, apiResourceList());
};
