// The shape of the core/v1 objects we accept, as field names and JSON types.
// Used for strict decoding: unknown fields and wrongly typed values are reported
// (like `kubectl apply --validate=strict`) instead of silently ignored. Fields we
// know but do not interpret (affinity, tolerations, …) are typed `any`.

export type Leaf = 'string' | 'integer' | 'boolean' | 'int-or-string' | 'quantity' | 'any';
export type SchemaNode = Leaf | { fields: Record<string, SchemaNode> } | { items: SchemaNode } | { values: SchemaNode };

const obj = (fields: Record<string, SchemaNode>): SchemaNode => ({ fields });
const arr = (items: SchemaNode): SchemaNode => ({ items });
const map = (values: SchemaNode): SchemaNode => ({ values });
const S = 'string';
const I = 'integer';
const B = 'boolean';
const A = 'any';
const strings = arr(S);

const objectMeta = obj({
  name: S,
  generateName: S,
  namespace: S,
  selfLink: S,
  uid: S,
  resourceVersion: S,
  generation: I,
  creationTimestamp: S,
  deletionTimestamp: S,
  deletionGracePeriodSeconds: I,
  labels: map(S),
  annotations: map(S),
  ownerReferences: A,
  finalizers: strings,
  managedFields: A,
});

const exec = obj({ command: strings });
const httpGet = obj({
  path: S,
  port: 'int-or-string',
  host: S,
  scheme: S,
  httpHeaders: arr(obj({ name: S, value: S })),
});
const tcpSocket = obj({ port: 'int-or-string', host: S });

const probe = obj({
  exec,
  httpGet,
  tcpSocket,
  grpc: obj({ port: I, service: S }),
  initialDelaySeconds: I,
  timeoutSeconds: I,
  periodSeconds: I,
  successThreshold: I,
  failureThreshold: I,
  terminationGracePeriodSeconds: I,
});
const lifecycleHandler = obj({ exec, httpGet, tcpSocket, sleep: obj({ seconds: I }) });

const keyRef = obj({ name: S, key: S, optional: B });
const envVar = obj({
  name: S,
  value: S,
  valueFrom: obj({
    fieldRef: obj({ apiVersion: S, fieldPath: S }),
    resourceFieldRef: obj({ containerName: S, resource: S, divisor: 'quantity' }),
    configMapKeyRef: keyRef,
    secretKeyRef: keyRef,
    fileKeyRef: A,
  }),
});
const envFrom = obj({
  prefix: S,
  configMapRef: obj({ name: S, optional: B }),
  secretRef: obj({ name: S, optional: B }),
});

const securityContext = obj({
  capabilities: obj({ add: strings, drop: strings }),
  privileged: B,
  seLinuxOptions: A,
  windowsOptions: A,
  runAsUser: I,
  runAsGroup: I,
  runAsNonRoot: B,
  readOnlyRootFilesystem: B,
  allowPrivilegeEscalation: B,
  procMount: S,
  seccompProfile: A,
  appArmorProfile: A,
});

const container = obj({
  name: S,
  image: S,
  command: strings,
  args: strings,
  workingDir: S,
  ports: arr(obj({ name: S, hostPort: I, containerPort: I, protocol: S, hostIP: S })),
  envFrom: arr(envFrom),
  env: arr(envVar),
  resources: obj({ limits: map('quantity'), requests: map('quantity'), claims: A }),
  resizePolicy: A,
  restartPolicy: S,
  restartPolicyRules: A,
  volumeMounts: arr(
    obj({
      name: S,
      readOnly: B,
      recursiveReadOnly: S,
      mountPath: S,
      subPath: S,
      mountPropagation: S,
      subPathExpr: S,
    }),
  ),
  volumeDevices: A,
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: obj({ postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: S }),
  terminationMessagePath: S,
  terminationMessagePolicy: S,
  imagePullPolicy: S,
  securityContext,
  stdin: B,
  stdinOnce: B,
  tty: B,
});

/** Every in-tree volume source; only emptyDir and hostPath are run (see validate-volumes). */
export const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;

const volumeFields: Record<string, SchemaNode> = { name: S };
for (const src of VOLUME_SOURCES) volumeFields[src] = A;
volumeFields.hostPath = obj({ path: S, type: S });
volumeFields.emptyDir = obj({ medium: S, sizeLimit: 'quantity' });

const podSpec = obj({
  volumes: arr(obj(volumeFields)),
  initContainers: arr(container),
  containers: arr(container),
  ephemeralContainers: A,
  restartPolicy: S,
  terminationGracePeriodSeconds: I,
  activeDeadlineSeconds: I,
  dnsPolicy: S,
  nodeSelector: map(S),
  serviceAccountName: S,
  serviceAccount: S,
  automountServiceAccountToken: B,
  nodeName: S,
  hostNetwork: B,
  hostPID: B,
  hostIPC: B,
  shareProcessNamespace: B,
  securityContext: A,
  imagePullSecrets: arr(obj({ name: S })),
  hostname: S,
  subdomain: S,
  affinity: A,
  schedulerName: S,
  tolerations: A,
  hostAliases: arr(obj({ ip: S, hostnames: strings })),
  priorityClassName: S,
  priority: I,
  dnsConfig: obj({ nameservers: strings, searches: strings, options: arr(obj({ name: S, value: S })) }),
  readinessGates: arr(obj({ conditionType: S })),
  runtimeClassName: S,
  enableServiceLinks: B,
  preemptionPolicy: S,
  overhead: map('quantity'),
  topologySpreadConstraints: A,
  setHostnameAsFQDN: B,
  os: obj({ name: S }),
  hostUsers: B,
  schedulingGates: A,
  resourceClaims: A,
  resources: A,
  hostnameOverride: S,
});

export const POD_SCHEMA = obj({ apiVersion: S, kind: S, metadata: objectMeta, spec: podSpec, status: A });

export const SECRET_SCHEMA = obj({
  apiVersion: S,
  kind: S,
  metadata: objectMeta,
  type: S,
  data: map(S),
  stringData: map(S),
  immutable: B,
});

export const CONFIGMAP_SCHEMA = obj({
  apiVersion: S,
  kind: S,
  metadata: objectMeta,
  data: map(S),
  binaryData: map(S),
  immutable: B,
});
