// Descriptions of Namespace, Event and Node (k8s.io/api/core/v1 types.go), written for
// minikubelet from what each field means to the API.
import { TIME, TYPE_META_FIELDS, type TypeDocs } from './doc-types.js';

const META = 'Standard object metadata: name, namespace, labels, annotations, uid, versions.';

const CONDITION_STATUS = {
  d: 'Whether the condition holds.',
  enum: ['True', 'False', 'Unknown'],
  required: true,
} as const;

export const CLUSTER_DOCS: TypeDocs = {
  Namespace: {
    d: 'A scope for names: objects in different namespaces may share a name. Deleting a namespace deletes everything in it.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      spec: 'What the namespace should be like.',
      status: 'What the namespace currently is. Set by the system.',
    },
  },
  NamespaceSpec: {
    d: 'The desired state of a namespace.',
    fields: {
      finalizers:
        'Cleanup steps that must finish before the namespace is removed for good, such as deleting its contents.',
    },
  },
  NamespaceStatus: {
    d: 'The observed state of a namespace.',
    fields: {
      phase: { d: 'Whether the namespace is usable or being removed.', enum: ['Active', 'Terminating'] },
      conditions: { d: 'Detailed observations about the namespace, one per type.', mergeKey: 'type' },
    },
  },
  NamespaceCondition: {
    d: 'One observation about a namespace.',
    fields: {
      type: { d: 'What the condition is about (for example NamespaceDeletionContentFailure).', required: true },
      status: CONDITION_STATUS,
      lastTransitionTime: { d: 'When the status last changed.', ...TIME },
      reason: 'A CamelCase reason for the last change.',
      message: 'A human-readable explanation of the last change.',
    },
  },
  Event: {
    d: 'A report of something that happened to an object, such as a container being started or a probe failing. Repeats of the same event are counted instead of stored again. Events are kept for a limited time and are informational: do not build logic on them.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      involvedObject: {
        d: 'The object the event is about (for the kubelet: a pod, or one of its containers through fieldPath).',
        required: true,
      },
      reason:
        'A short CamelCase reason for the event (Pulled, Started, BackOff, Unhealthy, Killing…), meant for machines to match on.',
      message: 'A human-readable description of what happened.',
      source: 'The component (and host) that reported the event.',
      firstTimestamp: { d: 'When the event was first seen.', ...TIME },
      lastTimestamp: { d: 'When the most recent repeat of the event was seen.', ...TIME },
      count: 'How many times the event has happened.',
      type: { d: 'The severity: Normal for routine, Warning for a problem. More types may come.' },
      eventTime: {
        d: 'When the event first happened, with microsecond precision (newer event producers set this).',
        ...TIME,
      },
      series: 'For an event that keeps happening: how often, and when it was last seen.',
      action: 'What the reporting component did or failed to do (for example Binding).',
      related: 'A second object involved in the event, if any.',
      reportingComponent: 'The name of the controller that emitted the event (for example `kubelet`).',
      reportingInstance: 'The instance of that controller (for the kubelet: the node name).',
    },
  },
  EventSource: {
    d: 'Who reported an event.',
    fields: {
      component: 'The component that reported the event.',
      host: 'The node the event was generated on.',
    },
  },
  EventSeries: {
    d: 'Information about an event that is repeating.',
    fields: {
      count: 'How many times it has happened since the series started.',
      lastObservedTime: { d: 'When it was last seen.', ...TIME },
    },
  },
  Node: {
    d: 'A machine (physical or virtual) that runs pods. Each node runs a kubelet, which registers the node and keeps its status current.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      spec: 'How the node should be configured (schedulability, taints, pod address range).',
      status:
        'What the node currently is: capacity, conditions, addresses, software versions. Reported by the kubelet.',
    },
  },
  NodeSpec: {
    d: 'The desired configuration of a node.',
    fields: {
      podCIDR: 'The IP range pods on this node get their addresses from.',
      podCIDRs: {
        d: 'The IP ranges for pods on this node, at most one per IP family; the first equals podCIDR.',
        set: true,
      },
      providerID: 'The identity of the machine at its cloud provider, as `<provider>://<id>`.',
      unschedulable: 'When true, no new pods are scheduled to the node (cordoned); pods already there keep running.',
      taints: 'Marks that keep pods away from the node unless they tolerate them.',
      configSource: 'Deprecated: formerly named the source of dynamic kubelet configuration. Ignored.',
      externalID: 'Deprecated and unused; kept for compatibility.',
    },
  },
  Taint: {
    d: 'A mark on a node that repels every pod that does not tolerate it.',
    fields: {
      key: { d: 'The taint key.', required: true },
      value: 'The taint value, matched by a toleration with operator Equal.',
      effect: {
        d: 'What happens to pods that do not tolerate the taint: not scheduled (NoSchedule), avoided when possible (PreferNoSchedule), or also evicted when already running (NoExecute).',
        enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
        required: true,
      },
      timeAdded: { d: 'When a NoExecute taint was added.', ...TIME },
    },
  },
  NodeStatus: {
    d: 'The observed state of a node, as the kubelet reports it.',
    fields: {
      capacity:
        'The total amount of each resource the node has (cpu, memory, pods, ephemeral-storage…), as quantities.',
      allocatable:
        'The amount of each resource available to pods: capacity minus what is reserved for the system. Scheduling uses this.',
      phase: { d: 'Deprecated and unused: the node lifecycle phase.', enum: ['Pending', 'Running', 'Terminated'] },
      conditions: {
        d: 'The current health observations of the node (Ready, MemoryPressure, DiskPressure, PIDPressure…), one per type.',
        mergeKey: 'type',
      },
      addresses: { d: 'The addresses the node can be reached at (InternalIP, Hostname, …).', mergeKey: 'type' },
      daemonEndpoints: "The ports the node's daemons (the kubelet) listen on.",
      nodeInfo: 'Identifiers and software versions of the node.',
      images: 'The container images present on the node.',
      volumesInUse: 'The attachable volumes in use (mounted) on the node.',
      volumesAttached: 'The volumes attached to the node.',
      config: "The status of the node's dynamic configuration (deprecated).",
      runtimeHandlers: 'The runtime handlers the container runtime offers.',
      features: "Features the node's runtime supports.",
    },
  },
  NodeCondition: {
    d: "One observation about a node's health.",
    fields: {
      type: {
        d: 'What the condition is about: Ready, MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable.',
        required: true,
      },
      status: CONDITION_STATUS,
      lastHeartbeatTime: { d: 'When the kubelet last confirmed the condition.', ...TIME },
      lastTransitionTime: { d: 'When the status last changed.', ...TIME },
      reason: 'A CamelCase reason for the last change.',
      message: 'A human-readable explanation of the last change.',
    },
  },
  NodeAddress: {
    d: 'One address of a node.',
    fields: {
      type: { d: 'The kind of address: Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', required: true },
      address: { d: 'The address itself.', required: true },
    },
  },
  NodeDaemonEndpoints: {
    d: 'The ports of the daemons running on a node.',
    fields: { kubeletEndpoint: "Where the kubelet's API listens." },
  },
  DaemonEndpoint: {
    d: 'A port a daemon listens on.',
    fields: { Port: { d: 'The port number.', required: true } },
  },
  NodeSystemInfo: {
    d: 'Identifiers and software versions of a node.',
    fields: {
      machineID: 'The machine identifier (`/etc/machine-id`).',
      systemUUID: 'The hardware UUID of the machine.',
      bootID: 'An identifier that changes at every boot.',
      kernelVersion: 'The kernel version (`uname -r`).',
      osImage: 'The operating system, from `/etc/os-release`.',
      containerRuntimeVersion: 'The container runtime and its version, as `<runtime>://<version>`.',
      kubeletVersion: "The kubelet's version.",
      kubeProxyVersion: 'Deprecated: the kube-proxy version, not reliable.',
      operatingSystem: 'The operating system family the kubelet runs on (`linux`).',
      architecture: 'The CPU architecture the kubelet runs on (`amd64`, `arm64`).',
    },
  },
  ContainerImage: {
    d: 'A container image present on a node.',
    fields: {
      names: 'The names (tags and digests) of the image.',
      sizeBytes: { d: 'The size of the image in bytes.', format: 'int64' },
    },
  },
};
