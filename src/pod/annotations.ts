// The kubelet's pod-source annotations (pkg/kubelet/types/pod_update.go).
export const CONFIG_SOURCE_ANNOTATION = 'kubernetes.io/config.source';
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';
export const CONFIG_SEEN_ANNOTATION = 'kubernetes.io/config.seen';
/** Where a pod came from: `file` for static pods, `api` for pods submitted over the API. */
export const CONFIG_SOURCE_FILE = 'file';
export const CONFIG_SOURCE_API = 'api';
