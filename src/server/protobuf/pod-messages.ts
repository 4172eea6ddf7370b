// The Pod message kubectl's typed commands send as protobuf (`kubectl debug --copy-to`,
// `kubectl debug node/…`: client-go's clientset prefers protobuf for built-in kinds).
// Field numbers from staging/src/k8s.io/api/core/v1/generated.proto; only the fields
// our decoder schema (apis/core/schema.ts) knows are declared, so nothing decoded here
// can be an unknown field there. Two conventions of ours, for decode.ts to undo:
//  - a Go struct embedded inline (VolumeSource in Volume, ProbeHandler in Probe, the
//    EphemeralContainerCommon, LocalObjectReference) is the field `__inline`, merged into
//    its parent;
//  - Quantity and IntOrString carry `__quantity` / `__ios_*` fields, turned back into
//    their JSON scalars.
// Not declared (dropped, as protobuf skips unknown fields): affinity,
// topologySpreadConstraints, resourceClaims, windowsOptions (our schema types them
// loosely or not at all) and status (the API server ignores it on create).

export const POD_PROTO = `
message Quantity { optional string __quantity = 1; }
message IntOrString { optional int64 __ios_type = 1; optional int32 __ios_int = 2; optional string __ios_str = 3; }
message Pod { optional ObjectMeta metadata = 1; optional PodSpec spec = 2; }
message PodSpec {
  repeated Volume volumes = 1;
  repeated Container initContainers = 20;
  repeated Container containers = 2;
  repeated EphemeralContainer ephemeralContainers = 34;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4;
  optional int64 activeDeadlineSeconds = 5;
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21;
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional bool shareProcessNamespace = 27;
  optional PodSecurityContext securityContext = 14;
  repeated LocalObjectReference imagePullSecrets = 15;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional string schedulerName = 19;
  repeated Toleration tolerations = 22;
  repeated HostAlias hostAliases = 23;
  optional string priorityClassName = 24;
  optional int32 priority = 25;
  optional PodDNSConfig dnsConfig = 26;
  repeated PodReadinessGate readinessGates = 28;
  optional string runtimeClassName = 29;
  optional bool enableServiceLinks = 30;
  optional string preemptionPolicy = 31;
  map<string, Quantity> overhead = 32;
  optional bool setHostnameAsFQDN = 35;
  optional PodOS os = 36;
  optional bool hostUsers = 37;
  repeated PodSchedulingGate schedulingGates = 38;
  optional ResourceRequirements resources = 40;
  optional string hostnameOverride = 41;
}
message Container {
  optional string name = 1;
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  optional string restartPolicy = 24;
  repeated VolumeMount volumeMounts = 9;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Probe startupProbe = 22;
  optional Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}
message EphemeralContainer {
  optional Container __inline = 1;
  optional string targetContainerName = 2;
}
message Volume {
  optional string name = 1;
  optional VolumeSource __inline = 2;
}
message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional SecretVolumeSource secret = 6;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional ConfigMapVolumeSource configMap = 19;
  optional ProjectedVolumeSource projected = 26;
}
message HostPathVolumeSource {
  optional string path = 1;
  optional string type = 2;
}
message EmptyDirVolumeSource {
  optional string medium = 1;
  optional Quantity sizeLimit = 2;
}
message ConfigMapVolumeSource {
  optional LocalObjectReference __inline = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3;
  optional bool optional = 4;
}
message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3;
  optional bool optional = 4;
}
message KeyToPath {
  optional string key = 1;
  optional string path = 2;
  optional int32 mode = 3;
}
message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1;
  optional bool readOnly = 2;
}
message VolumeMount {
  optional string name = 1;
  optional bool readOnly = 2;
  optional string recursiveReadOnly = 7;
  optional string mountPath = 3;
  optional string subPath = 4;
  optional string mountPropagation = 5;
  optional string subPathExpr = 6;
}
message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3;
  optional string protocol = 4;
  optional string hostIP = 5;
}
message EnvVar {
  optional string name = 1;
  optional string value = 2;
  optional EnvVarSource valueFrom = 3;
}
message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1;
  optional ResourceFieldSelector resourceFieldRef = 2;
  optional ConfigMapKeySelector configMapKeyRef = 3;
  optional SecretKeySelector secretKeyRef = 4;
}
message ObjectFieldSelector {
  optional string apiVersion = 1;
  optional string fieldPath = 2;
}
message ResourceFieldSelector {
  optional string containerName = 1;
  optional string resource = 2;
  optional Quantity divisor = 3;
}
message ConfigMapKeySelector {
  optional LocalObjectReference __inline = 1;
  optional string key = 2;
  optional bool optional = 3;
}
message SecretKeySelector {
  optional LocalObjectReference __inline = 1;
  optional string key = 2;
  optional bool optional = 3;
}
message LocalObjectReference {
  optional string name = 1;
}
message EnvFromSource {
  optional string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2;
  optional SecretEnvSource secretRef = 3;
}
message ConfigMapEnvSource {
  optional LocalObjectReference __inline = 1;
  optional bool optional = 2;
}
message SecretEnvSource {
  optional LocalObjectReference __inline = 1;
  optional bool optional = 2;
}
message ResourceRequirements {
  map<string, Quantity> limits = 1;
  map<string, Quantity> requests = 2;
}
message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5;
}
message SecurityContext {
  optional Capabilities capabilities = 1;
  optional bool privileged = 2;
  optional SELinuxOptions seLinuxOptions = 3;
  optional int64 runAsUser = 4;
  optional int64 runAsGroup = 8;
  optional bool runAsNonRoot = 5;
  optional bool readOnlyRootFilesystem = 6;
  optional bool allowPrivilegeEscalation = 7;
  optional string procMount = 9;
  optional SeccompProfile seccompProfile = 11;
  optional AppArmorProfile appArmorProfile = 12;
}
message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1;
  optional int64 runAsUser = 2;
  optional int64 runAsGroup = 6;
  optional bool runAsNonRoot = 3;
  repeated int64 supplementalGroups = 4;
  optional string supplementalGroupsPolicy = 12;
  optional int64 fsGroup = 5;
  repeated Sysctl sysctls = 7;
  optional string fsGroupChangePolicy = 9;
  optional SeccompProfile seccompProfile = 10;
  optional AppArmorProfile appArmorProfile = 11;
  optional string seLinuxChangePolicy = 13;
}
message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}
message SELinuxOptions {
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}
message SeccompProfile {
  optional string type = 1;
  optional string localhostProfile = 2;
}
message AppArmorProfile {
  optional string type = 1;
  optional string localhostProfile = 2;
}
message Probe {
  optional ProbeHandler __inline = 1;
  optional int32 initialDelaySeconds = 2;
  optional int32 timeoutSeconds = 3;
  optional int32 periodSeconds = 4;
  optional int32 successThreshold = 5;
  optional int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7;
}
message ProbeHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional GRPCAction grpc = 4;
}
message ExecAction {
  repeated string command = 1;
}
message HTTPGetAction {
  optional string path = 1;
  optional IntOrString port = 2;
  optional string host = 3;
  optional string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}
message HTTPHeader {
  optional string name = 1;
  optional string value = 2;
}
message TCPSocketAction {
  optional IntOrString port = 1;
  optional string host = 2;
}
message GRPCAction {
  optional int32 port = 1;
  optional string service = 2;
}
message Lifecycle {
  optional LifecycleHandler postStart = 1;
  optional LifecycleHandler preStop = 2;
  optional string stopSignal = 3;
}
message LifecycleHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional SleepAction sleep = 4;
}
message SleepAction {
  optional int64 seconds = 1;
}
message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}
message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2;
}
message HostAlias {
  optional string ip = 1;
  repeated string hostnames = 2;
}
message PodReadinessGate {
  optional string conditionType = 1;
}
message Sysctl {
  optional string name = 1;
  optional string value = 2;
}
message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2;
}
message DownwardAPIVolumeFile {
  optional string path = 1;
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4;
}
message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1;
  optional int32 defaultMode = 2;
}
message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
}
message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2;
  optional string path = 3;
}
message ConfigMapProjection {
  optional LocalObjectReference __inline = 1;
  repeated KeyToPath items = 2;
  optional bool optional = 4;
}
message SecretProjection {
  optional LocalObjectReference __inline = 1;
  repeated KeyToPath items = 2;
  optional bool optional = 4;
}
message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}
message PodOS {
  optional string name = 1;
}
message PodSchedulingGate {
  optional string name = 1;
}
`;
