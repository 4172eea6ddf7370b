// Descriptions of Container and what it nests: ports, environment, resources, mounts,
// probes, lifecycle hooks, security (k8s.io/api/core/v1 types.go), written for
// minikubelet from what each field means to the API.
import type { TypeDocs } from './doc-types.js';

const probe = (what: string) =>
  `${what} Runs every periodSeconds once initialDelaySeconds have passed since the container started.`;
const OPTIONAL_REF = 'When true, a missing object (or key) is not an error: the value is left unset.';

export const CONTAINER_DOCS: TypeDocs = {
  Container: {
    d: 'One container to run in a pod: the image, its command and environment, resources, mounts, probes and hooks.',
    fields: {
      name: {
        d: "The container's name, unique in the pod (init and app containers together). A DNS label; cannot be changed.",
        required: true,
      },
      image:
        'The container image to run, as a registry reference (`nginx:1.27`, `registry.example.com/team/app@sha256:…`). Required for app and init containers.',
      command:
        "The entrypoint, run without a shell. Replaces the image's ENTRYPOINT; the image's is used when empty. `$(VAR)` is expanded from the container's environment; `$$(VAR)` escapes it. Cannot be changed.",
      args: "Arguments to the entrypoint. Replaces the image's CMD; the image's is used when empty. `$(VAR)` is expanded as in command. Cannot be changed.",
      workingDir: "The directory the command runs in; the image's working directory when empty. Cannot be changed.",
      ports: {
        d: 'Ports the container exposes. Informational (any port the process listens on is reachable in the pod network), but named ports can be referred to from probes.',
        mergeKey: 'containerPort',
        listMapKeys: ['containerPort', 'protocol'],
      },
      envFrom:
        'Sources whose every key becomes an environment variable (ConfigMaps, Secrets). An explicit env entry wins over them; a later source wins over an earlier one.',
      env: {
        d: 'Environment variables to set in the container, in order; a later one may refer to an earlier one with `$(NAME)`.',
        mergeKey: 'name',
      },
      resources: 'The compute resources (cpu, memory) the container requests and is limited to.',
      resizePolicy: 'How each resource may be resized in place: without or with restarting the container.',
      restartPolicy: {
        d: "Only for init containers: Always makes it a sidecar, started in order with the other init containers and then kept running (and restarted) beside the app containers. App containers follow the pod's restartPolicy.",
        enum: ['Always'],
      },
      restartPolicyRules:
        "Rules that decide from a container's exit code whether it is restarted, overriding restartPolicy.",
      volumeMounts: { d: "Where the pod's volumes appear in the container's filesystem.", mergeKey: 'mountPath' },
      volumeDevices: { d: 'Raw block volumes exposed to the container as devices.', mergeKey: 'devicePath' },
      livenessProbe: probe(
        'Checks whether the container is still working. When it fails failureThreshold times in a row, the kubelet kills the container and restarts it according to the restart policy.',
      ),
      readinessProbe: probe(
        'Checks whether the container can serve. While it fails the container is not ready, and the pod is left out of service endpoints; nothing is restarted.',
      ),
      startupProbe: probe(
        'Checks whether the application has finished starting. Until it succeeds, liveness and readiness probes do not run; when it fails failureThreshold times the container is killed and restarted.',
      ),
      lifecycle: 'Actions the kubelet runs right after the container starts and right before it is stopped.',
      terminationMessagePath:
        "The file in the container whose contents (at most 4096 bytes) become the termination message in the container's status when it exits. Defaults to /dev/termination-log. Cannot be changed.",
      terminationMessagePolicy: {
        d: "Where the termination message comes from: the file only (File, the default), or the end of the container's log when the file is empty and the container failed (FallbackToLogsOnError).",
        enum: ['FallbackToLogsOnError', 'File'],
      },
      imagePullPolicy: {
        d: 'When the image is pulled: at every container start (Always), only when it is not on the node (IfNotPresent), or never (Never: a missing image is an error). Defaults to Always for `:latest` or no tag, otherwise IfNotPresent.',
        enum: ['Always', 'IfNotPresent', 'Never'],
      },
      securityContext:
        "Security options of the container (privilege, capabilities, user ids, read-only root); they override the pod's.",
      stdin: 'Keep a stdin buffer open for the container (for attach). Without it, reads from stdin get EOF.',
      stdinOnce:
        'Close stdin after the first attached client disconnects; the container then sees EOF. Needs stdin. When false, stdin stays open across attach sessions.',
      tty: 'Give the container a terminal (TTY) of its own. Needs stdin to be useful.',
    },
  },
  ContainerPort: {
    d: 'A network port of a container.',
    fields: {
      name: 'A name for the port, unique in the pod, that probes and services can refer to. An IANA service name (at most 15 characters, lowercase letters, digits and `-`).',
      hostPort: 'A port on the node to forward to containerPort. Most pods do not need one.',
      containerPort: { d: 'The port number the container listens on, 1 to 65535.', required: true },
      protocol: { d: "The port's protocol. Defaults to TCP.", enum: ['SCTP', 'TCP', 'UDP'] },
      hostIP: 'The node IP the hostPort is bound to.',
    },
  },
  EnvVar: {
    d: 'One environment variable of a container.',
    fields: {
      name: { d: "The variable's name.", required: true },
      value:
        'The value. `$(VAR)` is replaced by an earlier variable of the container (or kept as written when that is undefined); `$$(VAR)` escapes it. Defaults to the empty string.',
      valueFrom: 'Where to read the value from instead; not allowed together with a non-empty value.',
    },
  },
  EnvVarSource: {
    d: "Where an environment variable's value comes from. Exactly one source must be set.",
    fields: {
      fieldRef:
        "A field of the pod: metadata.name, metadata.namespace, metadata.uid, metadata.labels['<key>'], metadata.annotations['<key>'], spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.",
      resourceFieldRef: 'A resource limit or request of a container (limits.cpu, requests.memory…).',
      configMapKeyRef: "A key of a ConfigMap in the pod's namespace.",
      secretKeyRef: "A key of a Secret in the pod's namespace.",
      fileKeyRef: 'A key of an env-format file in a volume. Accepted and stored; minikubelet does not read it.',
    },
  },
  ObjectFieldSelector: {
    d: 'A field of the pod, chosen by path.',
    fields: {
      apiVersion: 'The API version the fieldPath is written against; defaults to v1.',
      fieldPath: { d: 'The path of the field, in that version.', required: true },
    },
  },
  ResourceFieldSelector: {
    d: 'A resource limit or request of a container, as a number.',
    fields: {
      containerName:
        'The container whose resources are read; required for volumes, defaults to the current container for env.',
      resource: {
        d: 'The resource to read (limits.cpu, limits.memory, requests.cpu, requests.memory, limits.ephemeral-storage…).',
        required: true,
      },
      divisor: 'The unit the value is expressed in (the value is divided by it and rounded up). Defaults to 1.',
    },
  },
  ConfigMapKeySelector: {
    d: 'One key of a ConfigMap.',
    fields: {
      name: "The ConfigMap's name, in the pod's namespace.",
      key: { d: 'The key to read.', required: true },
      optional: OPTIONAL_REF,
    },
  },
  SecretKeySelector: {
    d: 'One key of a Secret.',
    fields: {
      name: "The Secret's name, in the pod's namespace.",
      key: { d: 'The key to read (its value is decoded from base64).', required: true },
      optional: OPTIONAL_REF,
    },
  },
  EnvFromSource: {
    d: 'A set of environment variables from every key of a ConfigMap or Secret. Exactly one source must be set.',
    fields: {
      prefix: 'A string prepended to every key to make the variable name.',
      configMapRef: 'The ConfigMap to read.',
      secretRef: 'The Secret to read.',
    },
  },
  ConfigMapEnvSource: {
    d: 'A ConfigMap whose keys become environment variables.',
    fields: { name: "The ConfigMap's name, in the pod's namespace.", optional: OPTIONAL_REF },
  },
  SecretEnvSource: {
    d: 'A Secret whose keys become environment variables.',
    fields: { name: "The Secret's name, in the pod's namespace.", optional: OPTIONAL_REF },
  },
  ResourceRequirements: {
    d: 'The compute resources of a container.',
    fields: {
      limits:
        'The most of each resource the container may use. Exceeding the memory limit gets it killed (OOMKilled); cpu above the limit is throttled.',
      requests:
        'The amount of each resource the container is guaranteed, used for scheduling. Defaults to the limit when only the limit is set; must not exceed it.',
      claims: { d: "Which of the pod's resourceClaims the container uses.", mergeKey: 'name' },
    },
  },
  VolumeMount: {
    d: 'A volume of the pod, mounted at a path in the container.',
    fields: {
      name: { d: "The name of a volume in the pod's volumes.", required: true },
      readOnly: 'Mount the volume read-only. Defaults to false.',
      recursiveReadOnly: {
        d: 'Whether a read-only mount is also read-only for the mounts below it: Disabled (the default), IfPossible, or Enabled (fail when the runtime cannot). Needs readOnly.',
        enum: ['Disabled', 'Enabled', 'IfPossible'],
      },
      mountPath: {
        d: 'The absolute path in the container where the volume appears. Must not contain `:`.',
        required: true,
      },
      subPath:
        'Mount only this path inside the volume instead of its root. Must be relative and must not contain `..`.',
      mountPropagation: {
        d: 'How mounts propagate between host and container: not at all (None, the default), from the host into the container (HostToContainer), or both ways (Bidirectional, privileged containers only).',
        enum: ['Bidirectional', 'HostToContainer', 'None'],
      },
      subPathExpr:
        "Like subPath, but `$(VAR)` is expanded from the container's environment. Not allowed together with subPath.",
    },
  },
  Probe: {
    d: 'A periodic health check of a container and when its results count. Exactly one handler (exec, httpGet, tcpSocket, grpc) must be set.',
    fields: {
      exec: 'Run a command in the container; exit status 0 passes.',
      httpGet: 'Send an HTTP GET; a status from 200 to 399 passes.',
      tcpSocket: 'Open a TCP connection; connecting passes.',
      grpc: 'Call the gRPC health-checking service; SERVING passes.',
      initialDelaySeconds: 'Seconds after the container started before the first check. Defaults to 0.',
      timeoutSeconds: 'Seconds a check may take before it counts as failed. Defaults to 1; minimum 1.',
      periodSeconds: 'Seconds between checks. Defaults to 10; minimum 1.',
      successThreshold:
        'Consecutive passes needed to count as passing after a failure. Defaults to 1; must be 1 for liveness and startup probes.',
      failureThreshold: 'Consecutive failures needed to count as failing. Defaults to 3; minimum 1.',
      terminationGracePeriodSeconds: {
        d: "Seconds the container gets to stop when this probe kills it, replacing the pod's terminationGracePeriodSeconds. Only for liveness and startup probes.",
        format: 'int64',
      },
    },
  },
  ExecAction: {
    d: 'A command run inside the container.',
    fields: {
      command:
        'The command and its arguments, run directly (not in a shell: use `["sh", "-c", "…"]` for shell features), in the container\'s working directory. Exit status 0 is success.',
    },
  },
  HTTPGetAction: {
    d: 'An HTTP GET request.',
    fields: {
      path: 'The path to request. Defaults to /.',
      port: {
        d: "The port to connect to: a number (1 to 65535) or the name of one of the container's ports.",
        required: true,
      },
      host: 'The host to connect to. Defaults to the pod IP; set a Host header in httpHeaders instead to keep the pod IP.',
      scheme: { d: 'HTTP or HTTPS (certificates are not verified). Defaults to HTTP.', enum: ['HTTP', 'HTTPS'] },
      httpHeaders: 'Headers to send with the request; repeated names are all sent.',
    },
  },
  HTTPHeader: {
    d: 'One HTTP header.',
    fields: {
      name: { d: "The header's name.", required: true },
      value: { d: "The header's value.", required: true },
    },
  },
  TCPSocketAction: {
    d: 'A TCP connection attempt.',
    fields: {
      port: {
        d: "The port to connect to: a number (1 to 65535) or the name of one of the container's ports.",
        required: true,
      },
      host: 'The host to connect to. Defaults to the pod IP.',
    },
  },
  GRPCAction: {
    d: 'A call to the standard gRPC health-checking service.',
    fields: {
      port: { d: 'The port of the gRPC service, 1 to 65535.', required: true },
      service: 'The service name sent in the health check request. Empty asks about the server as a whole.',
    },
  },
  Lifecycle: {
    d: "Actions run at points of a container's life.",
    fields: {
      postStart:
        'Runs right after the container is created. The container is not reported Running until it returns; if it fails, the container is killed and restarted according to the restart policy.',
      preStop:
        'Runs before the container is stopped (deletion, probe failure, preemption), within the grace period; the stop signal follows when it returns. Not run when the container exits on its own.',
      stopSignal:
        "The signal sent to stop the container, overriding the image's STOPSIGNAL (for example SIGTERM, SIGUSR1).",
    },
  },
  LifecycleHandler: {
    d: 'One lifecycle action. Exactly one of exec, httpGet, tcpSocket or sleep must be set.',
    fields: {
      exec: 'Run a command in the container.',
      httpGet: 'Send an HTTP GET request.',
      tcpSocket: 'Deprecated: accepted for compatibility, but does nothing.',
      sleep: 'Wait for some seconds.',
    },
  },
  SleepAction: {
    d: 'A pause of a fixed length.',
    fields: { seconds: { d: 'How many seconds to wait.', required: true, format: 'int64' } },
  },
  SecurityContext: {
    d: "Security options of one container. Where both are set, these override the pod's securityContext.",
    fields: {
      capabilities: "Linux capabilities to add to or drop from the runtime's default set.",
      privileged: "Run as privileged: with every capability and access to the host's devices. Defaults to false.",
      seLinuxOptions: 'The SELinux context of the container.',
      windowsOptions: 'Windows-specific settings.',
      runAsUser: { d: "The user id the process runs as; the image's user when unset.", format: 'int64' },
      runAsGroup: { d: "The group id the process runs as; the runtime's default when unset.", format: 'int64' },
      runAsNonRoot: 'Require the container to run as a non-root user; the kubelet refuses to start it as uid 0.',
      readOnlyRootFilesystem: "Mount the container's root filesystem read-only. Defaults to false.",
      allowPrivilegeEscalation:
        'Whether a process can gain more privileges than its parent (the no_new_privs flag). Always true when privileged or with CAP_SYS_ADMIN.',
      procMount: {
        d: "How /proc is masked: Default (the runtime's masked paths) or Unmasked.",
        enum: ['Default', 'Unmasked'],
      },
      seccompProfile: "The seccomp profile of the container; overrides the pod's.",
      appArmorProfile: "The AppArmor profile of the container; overrides the pod's.",
    },
  },
  PodSecurityContext: {
    d: 'Security settings for every container of the pod; a container-level securityContext overrides the fields it shares with this one.',
    fields: {
      seLinuxOptions: 'The SELinux context applied to every container (used only on hosts with SELinux enabled).',
      windowsOptions: 'Windows-specific settings; refused for Linux pods.',
      runAsUser: {
        d: "The user id every container's process runs as, unless the container sets its own.",
        format: 'int64',
      },
      runAsGroup: {
        d: "The primary group id of every container's process, unless the container sets its own.",
        format: 'int64',
      },
      runAsNonRoot: 'Require every container to run as a non-root user; the kubelet refuses to start one as uid 0.',
      supplementalGroups: {
        d: "Groups added to every container's process, besides its primary group and fsGroup.",
        set: true,
      },
      supplementalGroupsPolicy: {
        d: 'How supplementalGroups are computed: Merge (with the groups the image defines for the user) or Strict.',
        enum: ['Merge', 'Strict'],
      },
      fsGroup: {
        d: "A group that owns the pod's volumes: their files are chowned to it, directories get the setgid bit, and it is added to every container's groups.",
        format: 'int64',
      },
      sysctls: 'Namespaced kernel parameters set in the pod; those outside the safe set must be allowed on the node.',
      fsGroupChangePolicy: {
        d: 'When volume ownership is changed: Always (every mount) or OnRootMismatch (only if the root directory does not match).',
        enum: ['Always', 'OnRootMismatch'],
      },
      seccompProfile: 'The seccomp profile of every container.',
      appArmorProfile: 'The AppArmor profile of every container.',
      seLinuxChangePolicy: 'How the SELinux label is applied to volumes: Recursive or MountOption.',
    },
  },
  SeccompProfile: {
    d: 'A seccomp profile.',
    fields: {
      type: {
        d: "RuntimeDefault (the engine's default profile), Unconfined (no filter) or Localhost (a file on the node).",
        enum: ['Localhost', 'RuntimeDefault', 'Unconfined'],
        required: true,
      },
      localhostProfile: "For Localhost: the profile's path relative to the kubelet's seccomp profile directory.",
    },
  },
  AppArmorProfile: {
    d: 'An AppArmor profile.',
    fields: {
      type: {
        d: "RuntimeDefault (the engine's default profile), Unconfined or Localhost (a profile loaded on the node).",
        enum: ['Localhost', 'RuntimeDefault', 'Unconfined'],
        required: true,
      },
      localhostProfile: 'For Localhost: the name of a profile loaded on the node.',
    },
  },
  SELinuxOptions: {
    d: 'SELinux labels.',
    fields: {
      user: 'The SELinux user label.',
      role: 'The SELinux role label.',
      type: 'The SELinux type label.',
      level: 'The SELinux level label.',
    },
  },
  WindowsSecurityContextOptions: {
    d: 'Windows-specific options; not applicable on this Linux node.',
    fields: {
      gmsaCredentialSpecName: 'The name of the GMSA credential spec to use.',
      gmsaCredentialSpec: 'The GMSA credential spec content.',
      runAsUserName: 'The Windows user name to run as.',
      hostProcess: 'Run as a Windows host process.',
    },
  },
  Sysctl: {
    d: 'One kernel parameter to set.',
    fields: {
      name: { d: 'The sysctl name (for example net.ipv4.ip_unprivileged_port_start).', required: true },
      value: { d: 'The value to set.', required: true },
    },
  },
  Capabilities: {
    d: 'Linux capabilities to add and drop.',
    fields: {
      add: 'Capabilities to add (for example NET_ADMIN).',
      drop: 'Capabilities to drop (for example ALL).',
    },
  },
};

/** EphemeralContainer: the Container fields (same descriptions) plus its target. */
CONTAINER_DOCS.EphemeralContainer = {
  d: 'A debugging container added to a running pod through its ephemeralcontainers subresource. It runs once (never restarted), has no ports, probes, lifecycle hooks or resources, and cannot be changed or removed once added.',
  fields: {
    ...CONTAINER_DOCS.Container!.fields,
    targetContainerName:
      "The name of a container of the pod whose process namespace this one joins, so that it sees that container's processes. Unset: the pod's process namespace.",
  },
};
