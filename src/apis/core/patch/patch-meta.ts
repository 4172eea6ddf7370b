// The strategic-merge metadata of the kinds minikubelet serves: which lists merge by
// which key. Taken from the struct tags of k8s.io/api/core/v1/types.go and
// k8s.io/apimachinery/pkg/apis/meta/v1/types.go (`patchStrategy:"merge"
// patchMergeKey:"name"`); a list that is not listed here has no patch strategy and
// a patch replaces it whole (args, command, tolerations, readinessGates…).

/** How a list field merges; `key` absent = a list of primitives merged as a set (finalizers). */
export interface ListMeta {
  key?: string;
  /** `patchStrategy:"merge,retainKeys"`: an element's `$retainKeys` drops the keys it does not name. */
  retainKeys?: boolean;
  /** Server-side apply's list-map keys when more than the merge key (`+listMapKey`): ports. */
  mapKeys?: string[];
  /** The metadata of the elements (maps). */
  elem?: MapMeta;
}

/** The metadata of a map's fields: a nested map, or a list. */
export interface MapMeta {
  [field: string]: { map: MapMeta } | { list: ListMeta };
}

const container: MapMeta = {
  ports: { list: { key: 'containerPort', mapKeys: ['containerPort', 'protocol'] } },
  env: { list: { key: 'name' } },
  volumeMounts: { list: { key: 'mountPath' } },
  volumeDevices: { list: { key: 'devicePath' } },
};

const objectMeta: MapMeta = {
  finalizers: { list: {} },
  ownerReferences: { list: { key: 'uid' } },
};

const podSpec: MapMeta = {
  volumes: { list: { key: 'name', retainKeys: true } },
  initContainers: { list: { key: 'name', elem: container } },
  containers: { list: { key: 'name', elem: container } },
  ephemeralContainers: { list: { key: 'name', elem: container } },
  imagePullSecrets: { list: { key: 'name' } },
  hostAliases: { list: { key: 'ip' } },
  schedulingGates: { list: { key: 'name' } },
  resourceClaims: { list: { key: 'name', retainKeys: true } },
  topologySpreadConstraints: { list: { key: 'topologyKey' } },
};

const podStatus: MapMeta = {
  conditions: { list: { key: 'type' } },
};

/** Pod (core/v1 Pod, PodSpec, Container, PodStatus). */
export const POD_PATCH_META: MapMeta = {
  metadata: { map: objectMeta },
  spec: { map: podSpec },
  status: { map: podStatus },
};

/** Secret and ConfigMap: only their metadata has list strategies; data maps merge as maps. */
export const OBJECT_PATCH_META: MapMeta = {
  metadata: { map: objectMeta },
};

/** Node (core/v1 NodeSpec podCIDRs, NodeStatus conditions/addresses by type). */
export const NODE_PATCH_META: MapMeta = {
  metadata: { map: objectMeta },
  spec: { map: { podCIDRs: { list: {} } } },
  status: { map: { conditions: { list: { key: 'type' } }, addresses: { list: { key: 'type' } } } },
};
