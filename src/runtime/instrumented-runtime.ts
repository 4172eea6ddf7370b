// Every engine call timed and counted, around any ContainerRuntime (cri-dockerd's
// libdocker/instrumented_client.go, the kubelet's instrumentedRuntimeService in
// pkg/kubelet/kuberuntime/instrumented_services.go): kubelet_runtime_operations_total,
// _duration_seconds and _errors_total by operation_type. Operation names are the CRI's
// where one matches (run_podsandbox, create_container, exec_sync, pull_image…), ours
// otherwise. Streams (logs, exec, attach) are timed until they are set up; watch is a
// subscription, not an operation, and passes through.
import type { KubeletMetrics } from '../metrics/metrics.js';
import type { ContainerRuntime } from './runtime.js';

/** ContainerRuntime method → operation_type. */
export const RUNTIME_OPERATIONS = {
  getPodStatus: 'pod_status',
  listPods: 'list_pods',
  listContainerStates: 'list_containers',
  runSandbox: 'run_podsandbox',
  stopSandbox: 'stop_podsandbox',
  setUpPodVolumes: 'set_up_pod_volumes',
  createContainer: 'create_container',
  startContainer: 'start_container',
  stopContainer: 'stop_container',
  removeContainer: 'remove_container',
  removePod: 'remove_podsandbox',
  imageExists: 'image_status',
  pullImage: 'pull_image',
  imageSize: 'image_status',
  containerLogs: 'container_logs',
  exec: 'exec_sync',
  execStreams: 'exec',
  attach: 'attach',
  info: 'version',
  listImages: 'list_images',
  listPodLeftovers: 'list_pod_leftovers',
  imageIdsInUse: 'list_containers_all',
  removeImage: 'remove_image',
} as const satisfies Record<Exclude<keyof ContainerRuntime, 'watch'>, string>;

type Instrumented = keyof typeof RUNTIME_OPERATIONS;

/** A ContainerRuntime that records every call of `inner` in `metrics`. */
export function instrumentRuntime(inner: ContainerRuntime, metrics: KubeletMetrics): ContainerRuntime {
  const timed = <K extends Instrumented>(method: K): ContainerRuntime[K] => {
    const op = RUNTIME_OPERATIONS[method];
    return (async (...args: unknown[]) => {
      const start = performance.now();
      try {
        const out = await (inner[method] as (...a: unknown[]) => Promise<unknown>).apply(inner, args);
        metrics.runtimeOperation(op, (performance.now() - start) / 1000, false);
        return out;
      } catch (err) {
        metrics.runtimeOperation(op, (performance.now() - start) / 1000, true);
        throw err;
      }
    }) as ContainerRuntime[K];
  };
  const wrapped = Object.fromEntries(
    (Object.keys(RUNTIME_OPERATIONS) as Instrumented[]).map((m) => [m, timed(m)]),
  ) as Pick<ContainerRuntime, Instrumented>;
  return { ...wrapped, watch: (onEvent, onError) => inner.watch(onEvent, onError) };
}
