// The shape of the core/v1 objects we accept, as field names and JSON types.
// Used for strict decoding: unknown fields and wrongly typed values are reported
// (like `kubectl apply --validate=strict`) instead of silently ignored. Fields we
// know but do not interpret (affinity, tolerations, …) are typed `any` (or a list
// of `any`). Every object node carries its Kubernetes type name: the OpenAPI
// documents (openapi/) are generated from these nodes, so the decoder and the
// published schema cannot drift apart.

export type Leaf = 'string' | 'integer' | 'boolean' | 'int-or-string' | 'quantity' | 'any';
/**
 * An object type. `name` is the Go type's name in k8s.io/api/core/v1, or `meta.<Name>` for
 * k8s.io/apimachinery/pkg/apis/meta/v1 (the OpenAPI definition names derive from it).
 */
export interface ObjectNode {
  name: string;
  fields: Record<string, SchemaNode>;
}
export type SchemaNode = Leaf | ObjectNode | { items: SchemaNode } | { values: SchemaNode };

export const obj = (name: string, fields: Record<string, SchemaNode>): ObjectNode => ({ name, fields });
export const arr = (items: SchemaNode): SchemaNode => ({ items });
export const map = (values: SchemaNode): SchemaNode => ({ values });
export const S = 'string';
export const I = 'integer';
export const B = 'boolean';
export const A = 'any';
export const strings = arr(S);
export const Q = 'quantity';
const IOS = 'int-or-string';

export const OBJECT_META = obj('meta.ObjectMeta', {
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
  ownerReferences: arr(A),
  finalizers: strings,
  managedFields: arr(A),
});

const exec = obj('ExecAction', { command: strings });
const httpGet = obj('HTTPGetAction', {
  path: S,
  port: IOS,
  host: S,
  scheme: S,
  httpHeaders: arr(obj('HTTPHeader', { name: S, value: S })),
});
const tcpSocket = obj('TCPSocketAction', { port: IOS, host: S });

const probe = obj('Probe', {
  exec,
  httpGet,
  tcpSocket,
  grpc: obj('GRPCAction', { port: I, service: S }),
  initialDelaySeconds: I,
  timeoutSeconds: I,
  periodSeconds: I,
  successThreshold: I,
  failureThreshold: I,
  terminationGracePeriodSeconds: I,
});
const lifecycleHandler = obj('LifecycleHandler', {
  exec,
  httpGet,
  tcpSocket,
  sleep: obj('SleepAction', { seconds: I }),
});

const envVar = obj('EnvVar', {
  name: S,
  value: S,
  valueFrom: obj('EnvVarSource', {
    fieldRef: obj('ObjectFieldSelector', { apiVersion: S, fieldPath: S }),
    resourceFieldRef: obj('ResourceFieldSelector', { containerName: S, resource: S, divisor: Q }),
    configMapKeyRef: obj('ConfigMapKeySelector', { name: S, key: S, optional: B }),
    secretKeyRef: obj('SecretKeySelector', { name: S, key: S, optional: B }),
    fileKeyRef: A,
  }),
});
const envFrom = obj('EnvFromSource', {
  prefix: S,
  configMapRef: obj('ConfigMapEnvSource', { name: S, optional: B }),
  secretRef: obj('SecretEnvSource', { name: S, optional: B }),
});

const seLinuxOptions = obj('SELinuxOptions', { user: S, role: S, type: S, level: S });
const windowsOptions = obj('WindowsSecurityContextOptions', {
  gmsaCredentialSpecName: S,
  gmsaCredentialSpec: S,
  runAsUserName: S,
  hostProcess: B,
});
const seccompProfile = obj('SeccompProfile', { type: S, localhostProfile: S });
const appArmorProfile = obj('AppArmorProfile', { type: S, localhostProfile: S });

const securityContext = obj('SecurityContext', {
  capabilities: obj('Capabilities', { add: strings, drop: strings }),
  privileged: B,
  seLinuxOptions,
  windowsOptions,
  runAsUser: I,
  runAsGroup: I,
  runAsNonRoot: B,
  readOnlyRootFilesystem: B,
  allowPrivilegeEscalation: B,
  procMount: S,
  seccompProfile,
  appArmorProfile,
});

const podSecurityContext = obj('PodSecurityContext', {
  seLinuxOptions,
  windowsOptions,
  runAsUser: I,
  runAsGroup: I,
  runAsNonRoot: B,
  supplementalGroups: arr(I),
  supplementalGroupsPolicy: S,
  fsGroup: I,
  sysctls: arr(obj('Sysctl', { name: S, value: S })),
  fsGroupChangePolicy: S,
  seccompProfile,
  appArmorProfile,
  seLinuxChangePolicy: S,
});

const container = obj('Container', {
  name: S,
  image: S,
  command: strings,
  args: strings,
  workingDir: S,
  ports: arr(obj('ContainerPort', { name: S, hostPort: I, containerPort: I, protocol: S, hostIP: S })),
  envFrom: arr(envFrom),
  env: arr(envVar),
  resources: obj('ResourceRequirements', { limits: map(Q), requests: map(Q), claims: arr(A) }),
  resizePolicy: arr(A),
  restartPolicy: S,
  restartPolicyRules: arr(A),
  volumeMounts: arr(
    obj('VolumeMount', {
      name: S,
      readOnly: B,
      recursiveReadOnly: S,
      mountPath: S,
      subPath: S,
      mountPropagation: S,
      subPathExpr: S,
    }),
  ),
  volumeDevices: arr(A),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: obj('Lifecycle', { postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: S }),
  terminationMessagePath: S,
  terminationMessagePolicy: S,
  imagePullPolicy: S,
  securityContext,
  stdin: B,
  stdinOnce: B,
  tty: B,
});

/** Every in-tree volume source; validate-volumes says which ones are run. */
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
volumeFields.hostPath = obj('HostPathVolumeSource', { path: S, type: S });
volumeFields.emptyDir = obj('EmptyDirVolumeSource', { medium: S, sizeLimit: Q });

const LOCAL_OBJECT_REFERENCE = obj('LocalObjectReference', { name: S });

const podSpec = obj('PodSpec', {
  volumes: arr(obj('Volume', volumeFields)),
  initContainers: arr(container),
  containers: arr(container),
  ephemeralContainers: arr(obj('EphemeralContainer', { ...container.fields, targetContainerName: S })),
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
  securityContext: podSecurityContext,
  imagePullSecrets: arr(LOCAL_OBJECT_REFERENCE),
  hostname: S,
  subdomain: S,
  affinity: A,
  schedulerName: S,
  tolerations: arr(A),
  hostAliases: arr(obj('HostAlias', { ip: S, hostnames: strings })),
  priorityClassName: S,
  priority: I,
  dnsConfig: obj('PodDNSConfig', {
    nameservers: strings,
    searches: strings,
    options: arr(obj('PodDNSConfigOption', { name: S, value: S })),
  }),
  readinessGates: arr(obj('PodReadinessGate', { conditionType: S })),
  runtimeClassName: S,
  enableServiceLinks: B,
  preemptionPolicy: S,
  overhead: map(Q),
  topologySpreadConstraints: arr(A),
  setHostnameAsFQDN: B,
  os: obj('PodOS', { name: S }),
  hostUsers: B,
  schedulingGates: arr(A),
  resourceClaims: arr(A),
  resources: A,
  hostnameOverride: S,
});

export const POD_SCHEMA = obj('Pod', { apiVersion: S, kind: S, metadata: OBJECT_META, spec: podSpec, status: A });

export const SECRET_SCHEMA = obj('Secret', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  type: S,
  data: map(S),
  stringData: map(S),
  immutable: B,
});

export const CONFIGMAP_SCHEMA = obj('ConfigMap', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  data: map(S),
  binaryData: map(S),
  immutable: B,
});

/** core/v1 ObjectReference (an Event's involvedObject, a ServiceAccount's secrets). */
export const OBJECT_REFERENCE = obj('ObjectReference', {
  apiVersion: S,
  kind: S,
  name: S,
  namespace: S,
  uid: S,
  fieldPath: S,
  resourceVersion: S,
});

export const SERVICE_ACCOUNT_SCHEMA = obj('ServiceAccount', {
  apiVersion: S,
  kind: S,
  metadata: OBJECT_META,
  secrets: arr(OBJECT_REFERENCE),
  imagePullSecrets: arr(LOCAL_OBJECT_REFERENCE),
  automountServiceAccountToken: B,
});

/** The schema strict decoding checks a submitted object of each kind against. */
export const DECODE_SCHEMAS: Readonly<Record<string, ObjectNode>> = {
  Pod: POD_SCHEMA,
  Secret: SECRET_SCHEMA,
  ConfigMap: CONFIGMAP_SCHEMA,
  ServiceAccount: SERVICE_ACCOUNT_SCHEMA,
};
