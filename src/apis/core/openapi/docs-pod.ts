// Descriptions of Pod, PodSpec, volumes, Secret and ConfigMap (k8s.io/api/core/v1 types.go),
// written for minikubelet from what each field means to the API.
import { TYPE_META_FIELDS, type TypeDocs } from './doc-types.js';

const META = 'Standard object metadata: name, namespace, labels, annotations, uid, versions.';
const NOT_RUN = 'Accepted and stored; minikubelet does not run this volume type.';

/** Volume sources minikubelet accepts but does not mount, each with what it would provide. */
const STORED_VOLUME_SOURCES: Record<string, string> = {
  gcePersistentDisk: 'A Google Compute Engine persistent disk (deprecated).',
  awsElasticBlockStore: 'An AWS Elastic Block Store volume (deprecated).',
  gitRepo: 'A git repository cloned into an empty directory (deprecated: use an init container).',
  secret: 'The keys of a Secret, as files.',
  nfs: 'An NFS share.',
  iscsi: 'An iSCSI disk.',
  glusterfs: 'A GlusterFS volume (removed upstream).',
  persistentVolumeClaim: "A PersistentVolumeClaim in the pod's namespace.",
  rbd: 'A Ceph RADOS block device (deprecated).',
  flexVolume: 'A volume handled by an exec-based FlexVolume driver (deprecated).',
  cinder: 'An OpenStack Cinder volume (deprecated).',
  cephfs: 'A CephFS mount (deprecated).',
  flocker: 'A Flocker dataset (deprecated).',
  downwardAPI: 'Facts about the pod (labels, annotations, resource limits), as files.',
  fc: 'A Fibre Channel disk.',
  azureFile: 'An Azure File share (deprecated).',
  configMap: 'The keys of a ConfigMap, as files.',
  vsphereVolume: 'A vSphere volume (deprecated).',
  quobyte: 'A Quobyte volume (removed upstream).',
  azureDisk: 'An Azure data disk (deprecated).',
  photonPersistentDisk: 'A Photon Controller disk (removed upstream).',
  projected: 'Secrets, ConfigMaps, downward API facts and service-account tokens merged into one directory.',
  portworxVolume: 'A Portworx volume (deprecated).',
  scaleIO: 'A ScaleIO volume (removed upstream).',
  storageos: 'A StorageOS volume (removed upstream).',
  csi: 'An ephemeral volume provided by a CSI driver.',
  ephemeral: 'A volume provisioned for the pod by a generic ephemeral PersistentVolumeClaim, deleted with the pod.',
  image: 'The contents of an OCI image or artifact, read-only.',
};

const volumeFields: Record<string, string> = {
  name: "The volume's name, unique in the pod; containers refer to it from volumeMounts. Must be a DNS label.",
  hostPath:
    'A file or directory of the host, mounted into the pod. Gives containers access to the host: use only for trusted workloads.',
  emptyDir: 'An empty directory created for the pod, removed with it; on disk, or in memory with medium Memory.',
};
for (const [k, v] of Object.entries(STORED_VOLUME_SOURCES)) volumeFields[k] = `${v} ${NOT_RUN}`;

export const POD_DOCS: TypeDocs = {
  Pod: {
    d: 'A group of containers that run together on one node, sharing a network namespace (one IP, localhost) and volumes. The smallest unit the kubelet runs.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      spec: 'What the pod should run: its containers, volumes, restart policy and scheduling constraints.',
      status:
        'What the pod is doing now: phase, conditions, container states, IPs. Reported by the kubelet; ignored when submitted.',
    },
  },
  PodSpec: {
    d: 'The desired state of a pod.',
    fields: {
      volumes: { d: "Storage the pod's containers can mount, each named.", mergeKey: 'name' },
      initContainers: {
        d: 'Containers run one after another before the app containers start; each must exit successfully before the next starts. An init container with restartPolicy Always is a sidecar: it keeps running beside the app containers.',
        mergeKey: 'name',
      },
      containers: {
        d: 'The app containers of the pod; at least one. They start together once the init containers are done.',
        required: true,
        mergeKey: 'name',
      },
      ephemeralContainers: {
        d: 'Temporary debugging containers added to a running pod through its ephemeralcontainers subresource.',
        mergeKey: 'name',
      },
      restartPolicy: {
        d: "When the kubelet restarts the pod's containers after they exit: always, only after a failure (non-zero exit), or never. Defaults to Always.",
        enum: ['Always', 'Never', 'OnFailure'],
      },
      terminationGracePeriodSeconds: {
        d: 'Seconds the containers get between the stop signal and being killed when the pod is deleted, preStop hooks included. Defaults to 30; 0 kills at once.',
        format: 'int64',
      },
      activeDeadlineSeconds: {
        d: 'Seconds the pod may be active, counted from its start time, before the kubelet kills it and marks it Failed with reason DeadlineExceeded. Must be positive.',
        format: 'int64',
      },
      dnsPolicy: {
        d: "How the pod's DNS resolver is configured: the cluster's DNS (ClusterFirst, the default), the cluster's DNS even with hostNetwork (ClusterFirstWithHostNet), the node's (Default), or only dnsConfig (None).",
        enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
      },
      nodeSelector: 'Labels a node must carry for the pod to be placed on it.',
      serviceAccountName: 'The service account whose identity the pod runs with.',
      serviceAccount: 'Deprecated alias of serviceAccountName.',
      automountServiceAccountToken: "Whether the service account's API token is mounted into the containers.",
      nodeName:
        'The node the pod is bound to. Setting it bypasses the scheduler; the kubelet runs only pods bound to it.',
      hostNetwork:
        "Use the host's network namespace instead of a pod network (the pod sees the host's interfaces and ports).",
      hostPID: "Use the host's process namespace.",
      hostIPC: "Use the host's IPC namespace.",
      shareProcessNamespace:
        "Put all the pod's containers in one process namespace, so they see (and can signal) each other's processes; the pause process is PID 1.",
      securityContext:
        'Pod-level security settings (user and group ids, fsGroup, sysctls, seccomp) applied to every container.',
      imagePullSecrets: {
        d: "Secrets in the pod's namespace holding registry credentials (types kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg), used to pull the pod's images.",
        mergeKey: 'name',
      },
      hostname: "The pod's hostname; defaults to the pod name.",
      subdomain: "Makes the pod's fully qualified name `<hostname>.<subdomain>.<namespace>.svc.<cluster-domain>`.",
      affinity: 'Scheduling constraints: node affinity and pod (anti-)affinity.',
      schedulerName: 'The scheduler that places the pod; defaults to the default scheduler.',
      tolerations: 'Node taints the pod tolerates.',
      hostAliases: { d: "Extra lines for the pod's /etc/hosts.", mergeKey: 'ip' },
      priorityClassName: 'The PriorityClass giving the pod its priority.',
      priority: "The pod's priority, resolved from priorityClassName by admission; higher is more important.",
      dnsConfig: 'Resolver settings merged into those dnsPolicy produces.',
      readinessGates: 'Extra conditions that must all be True before the pod counts as Ready.',
      runtimeClassName: 'The RuntimeClass (container runtime configuration) to run the pod with.',
      enableServiceLinks:
        "Whether information about services is injected into the containers' environment, Docker-links style. Defaults to true.",
      preemptionPolicy: {
        d: 'Whether the pod may preempt lower-priority pods to be scheduled.',
        enum: ['Never', 'PreemptLowerPriority'],
      },
      overhead: "The resources the pod's sandbox uses on top of its containers, set from its RuntimeClass.",
      topologySpreadConstraints: {
        d: 'How pods are spread across topology domains (zones, nodes).',
        mergeKey: 'topologyKey',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      },
      setHostnameAsFQDN: "Make the pod's hostname its fully qualified domain name.",
      os: "The operating system the pod's containers need; restricts which fields are valid.",
      hostUsers: "Whether the pod uses the host's user namespace (true, the default) or a user namespace of its own.",
      schedulingGates: {
        d: 'Named gates that hold the pod back from scheduling while any is present.',
        mergeKey: 'name',
      },
      resourceClaims: { d: "Dynamic resource claims the pod's containers may use.", mergeKey: 'name' },
      resources: 'Resources for the pod as a whole, shared by its containers (pod-level requests and limits).',
      hostnameOverride: 'A hostname for the pod that replaces the one built from hostname and subdomain.',
    },
  },
  Volume: {
    d: "A named storage source the pod's containers can mount. Exactly one source must be set.",
    fields: volumeFields,
  },
  HostPathVolumeSource: {
    d: 'A path on the host mounted into the pod.',
    fields: {
      path: { d: 'The path on the host. A symbolic link is followed to its target.', required: true },
      type: {
        d: 'What must be at the path: anything (empty, the default), a directory or file created when missing (DirectoryOrCreate, FileOrCreate), or one that must exist (Directory, File, Socket, CharDevice, BlockDevice).',
        enum: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
      },
    },
  },
  EmptyDirVolumeSource: {
    d: 'A directory that starts empty and lives as long as the pod.',
    fields: {
      medium: {
        d: "Where the directory is stored: the node's default storage (empty) or memory (Memory, a tmpfs counted against the containers' memory).",
        enum: ['', 'Memory', 'HugePages'],
      },
      sizeLimit: 'The most storage the directory may use; for Memory, the size of the tmpfs.',
    },
  },
  LocalObjectReference: {
    d: 'A reference to an object in the same namespace, by name.',
    fields: { name: 'The name of the object.' },
  },
  HostAlias: {
    d: 'One /etc/hosts entry: an IP and the names it resolves for.',
    fields: { ip: { d: 'The IP address.', required: true }, hostnames: 'The host names for the IP.' },
  },
  PodDNSConfig: {
    d: 'Resolver settings for a pod.',
    fields: {
      nameservers: 'DNS server IPs, added to those from dnsPolicy (at most 3 in total).',
      searches: 'DNS search domains, added to those from dnsPolicy.',
      options:
        'Resolver options, merged with those from dnsPolicy (a later one replaces an earlier with the same name).',
    },
  },
  PodDNSConfigOption: {
    d: 'One resolver option.',
    fields: { name: "The option's name (for example ndots).", value: "The option's value, if it takes one." },
  },
  PodReadinessGate: {
    d: 'A condition the pod must have True to be Ready.',
    fields: { conditionType: { d: "The type of a condition in the pod's status.conditions.", required: true } },
  },
  PodOS: {
    d: 'The operating system of a pod.',
    fields: { name: { d: 'The operating system: linux or windows.', required: true } },
  },
  Secret: {
    d: 'Holds a small amount of sensitive data (passwords, tokens, keys, registry credentials) for pods to consume without putting it in their specs.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      type: 'How the data is to be used, which fixes the keys it must hold: Opaque (anything, the default), kubernetes.io/dockerconfigjson (key .dockerconfigjson), kubernetes.io/dockercfg, kubernetes.io/basic-auth, kubernetes.io/ssh-auth, kubernetes.io/tls, kubernetes.io/service-account-token, bootstrap.kubernetes.io/token.',
      data: {
        d: "The secret's values, base64-encoded, by key. Keys consist of alphanumerics, `-`, `_` and `.`.",
        format: 'byte',
      },
      stringData:
        'Write-only convenience: values given as plain strings, merged into data (encoded) by the server, replacing data entries with the same key. Never returned on read.',
      immutable: 'When true the data cannot be changed any more; the secret can only be deleted and re-created.',
    },
  },
  ConfigMap: {
    d: 'Non-confidential configuration data, as key/value pairs, for pods to consume as environment variables or files.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      data: 'The configuration as UTF-8 strings, by key. Keys consist of alphanumerics, `-`, `_` and `.` and must not also appear in binaryData.',
      binaryData: { d: 'Binary values, base64-encoded, by key.', format: 'byte' },
      immutable: 'When true the data cannot be changed any more; the ConfigMap can only be deleted and re-created.',
    },
  },
  ServiceAccount: {
    d: 'An identity for processes that run in a pod: its token authenticates them to the API.',
    fields: {
      ...TYPE_META_FIELDS,
      metadata: META,
      secrets:
        'Secrets (legacy token Secrets and others) pods running as this ServiceAccount may use. Not filled by this server.',
      imagePullSecrets: 'Pull secrets added to every pod that runs as this ServiceAccount and names none of its own.',
      automountServiceAccountToken:
        'Whether pods running as this ServiceAccount get an API token mounted (at /var/run/secrets/kubernetes.io/serviceaccount) unless the pod says otherwise. Default true.',
    },
  },
};
