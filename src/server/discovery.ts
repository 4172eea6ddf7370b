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
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'status', kind: 'Pod', verbs: ['get'] },
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

/** storage.k8s.io/v1: the node's StorageClasses (read-only: the built-in `standard`). */
const STORAGE_GROUP = 'storage.k8s.io';
const STORAGE_RESOURCES: ResourceInfo[] = [
  {
    name: 'storageclasses',
    singularName: 'storageclass',
    kind: 'StorageClass',
    namespaced: false,
    verbs: ['get', 'list'],
    shortNames: ['sc'],
  },
];

const GROUP_VERSION = { groupVersion: `${STORAGE_GROUP}/v1`, version: 'v1' };

/** GET /apis/storage.k8s.io/v1 (legacy discovery). */
export const storageV1: Handler = async (_req, res) => {
  sendJson(res, 200, {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: GROUP_VERSION.groupVersion,
    resources: STORAGE_RESOURCES.map((r) => ({
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    })),
  });
};

/** GET /apis/storage.k8s.io */
export const storageGroup: Handler = async (_req, res) => {
  sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...storageGroupInfo() });
};

function storageGroupInfo() {
  return { name: STORAGE_GROUP, versions: [GROUP_VERSION], preferredVersion: GROUP_VERSION };
}

function aggregatedStorageGroup(): unknown {
  return {
    metadata: { name: STORAGE_GROUP, creationTimestamp: null },
    versions: [
      {
        version: 'v1',
        resources: STORAGE_RESOURCES.map((r) => ({
          resource: r.name,
          responseKind: { group: STORAGE_GROUP, version: 'v1', kind: r.kind },
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

export const apis: Handler = async (req, res) => {
  if (wantsAggregated(req)) {
    sendJson(
      res,
      200,
      {
        kind: 'APIGroupDiscoveryList',
        apiVersion: 'apidiscovery.k8s.io/v2',
        metadata: {},
        items: [aggregatedStorageGroup()],
      },
      AGGREGATED_CONTENT_TYPE,
    );
    return;
  }
  sendJson(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [storageGroupInfo()] });
};

export const apiV1: Handler = async (_req, res) => {
  sendJson(res, 200, apiResourceList());
};
