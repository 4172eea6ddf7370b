// `kubectl describe pod` (staging/src/k8s.io/kubectl/pkg/describe/describe.go describePod),
// laid out with the same tabwriter settings (padding 2) and indentation levels.
import type {
  Container,
  ContainerState,
  ContainerStatus,
  EnvVar,
  KubeEvent,
  Pod,
  Probe,
  ValidPod,
  Volume,
} from '../apis/core/types.js';
import { podQOSClass } from '../status/qos.js';
import { isPodPhaseTerminal } from '../apis/core/pod-util.js';
import { sortEvents } from './event-columns.js';
import { timestampSince } from './human-duration.js';
import { DESCRIBE_TABWRITER, tabify } from './tabwriter.js';

const L1 = '  ';
const L2 = '    ';
const L3 = '      ';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Go's time.RFC1123Z (`Mon, 02 Jan 2006 15:04:05 -0700`), in UTC. */
export function rfc1123z(t: string | undefined): string {
  const ms = t ? Date.parse(t) : NaN;
  // Go formats the zero time for an absent timestamp.
  if (Number.isNaN(ms)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/** `Key:\tfirst\n\tsecond\n`, or `Key:\t<none>\n`. */
function multiline(key: string, items: string[]): string {
  if (items.length === 0) return `${key}:\t<none>\n`;
  return items.map((s, i) => (i === 0 ? `${key}:\t${s}\n` : `\t${s}\n`)).join('');
}

function labelsMultiline(key: string, labels: Record<string, string> | undefined): string {
  return multiline(
    key,
    Object.keys(labels ?? {})
      .sort()
      .map((k) => `${k}=${labels![k]}`),
  );
}

const MAX_ANNOTATION = 140;
function annotationsMultiline(annotations: Record<string, string> | undefined): string {
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (keys.length === 0) return 'Annotations:\t<none>\n';
  let out = 'Annotations:\t';
  keys.forEach((k, i) => {
    if (i !== 0) out += '\t';
    const v = annotations![k]!.replace(/\n$/, '');
    if (v.length + k.length + 2 > MAX_ANNOTATION || v.includes('\n')) {
      out += `${k}:\n`;
      for (const s of v.split('\n'))
        out += `\t  ${s.length > MAX_ANNOTATION - 2 ? `${s.slice(0, MAX_ANNOTATION - 5)}...` : s}\n`;
    } else out += `${k}: ${v}\n`;
  });
  return out;
}

function tolerations(list: unknown[] | undefined): string {
  const items = (list ?? []).map((raw) => {
    const t = raw as { key?: string; value?: string; effect?: string; operator?: string; tolerationSeconds?: number };
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
    return s;
  });
  return multiline('Tolerations', items);
}

/** DescribeProbe, of a probe as admitted (its timing defaults set). */
export function describeProbe(p: Probe): string {
  const attrs =
    `delay=${p.initialDelaySeconds}s timeout=${p.timeoutSeconds}s period=${p.periodSeconds}s ` +
    `#success=${p.successThreshold} #failure=${p.failureThreshold}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const host = g.host ?? '';
    const hostPort = `${host.includes(':') ? `[${host}]` : host}:${g.port}`;
    return `http-get ${(g.scheme ?? 'HTTP').toLowerCase()}://${hostPort}${g.path ?? '/'} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function fieldValue(pod: Pod, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return (pod.status?.hostIPs ?? []).map((i) => i.ip).join(',');
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((i) => i.ip).join(',');
    default:
      return '';
  }
}

function envLines(pod: Pod, c: Container): string {
  let out = '';
  if (c.envFrom?.length) {
    out += `${L2}Environment Variables from:\n`;
    for (const e of c.envFrom) {
      const [from, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : ['Secret', e.secretRef];
      const kind = e.prefix ? `${from} with prefix '${e.prefix}'` : from;
      out += `${L3}${ref?.name ?? ''}\t${kind}\tOptional: ${ref?.optional === true}\n`;
    }
  }
  if (!c.env?.length) return `${out}${L2}Environment:\t<none>\n`;
  out += `${L2}Environment:\n`;
  for (const e of c.env as EnvVar[]) {
    const vf = e.valueFrom;
    if (!vf) {
      (e.value ?? '').split('\n').forEach((s, i) => {
        out += i === 0 ? `${L3}${e.name}:\t${s}\n` : `${L3}\t${s}\n`;
      });
    } else if (vf.fieldRef) {
      out += `${L3}${e.name}:\t${fieldValue(pod, vf.fieldRef.fieldPath)} (${vf.fieldRef.apiVersion ?? 'v1'}:${vf.fieldRef.fieldPath})\n`;
    } else if (vf.resourceFieldRef) {
      out += `${L3}${e.name}:\t (${vf.resourceFieldRef.resource})\n`;
    } else if (vf.secretKeyRef) {
      const r = vf.secretKeyRef;
      out += `${L3}${e.name}:\t<set to the key '${r.key}' in secret '${r.name}'>\tOptional: ${r.optional === true}\n`;
    } else if (vf.configMapKeyRef) {
      const r = vf.configMapKeyRef;
      out += `${L3}${e.name}:\t<set to the key '${r.key}' of config map '${r.name}'>\tOptional: ${r.optional === true}\n`;
    }
  }
  return out;
}

function stateLines(label: string, s: ContainerState): string {
  if (s.running) return `${L2}${label}:\tRunning\n${L3}Started:\t${rfc1123z(s.running.startedAt)}\n`;
  if (s.terminated) {
    const t = s.terminated;
    let out = `${L2}${label}:\tTerminated\n`;
    if (t.reason) out += `${L3}Reason:\t${t.reason}\n`;
    if (t.message) out += `${L3}Message:\t${t.message}\n`;
    out += `${L3}Exit Code:\t${t.exitCode}\n`;
    if (t.signal) out += `${L3}Signal:\t${t.signal}\n`;
    return `${out}${L3}Started:\t${rfc1123z(t.startedAt)}\n${L3}Finished:\t${rfc1123z(t.finishedAt)}\n`;
  }
  let out = `${L2}${label}:\tWaiting\n`;
  if (s.waiting?.reason) out += `${L3}Reason:\t${s.waiting.reason}\n`;
  return out;
}

function resourceLines(c: Container): string {
  let out = '';
  for (const [label, list] of [
    ['Limits', c.resources?.limits],
    ['Requests', c.resources?.requests],
  ] as const) {
    const keys = Object.keys(list ?? {}).sort();
    if (keys.length) out += `${L2}${label}:\n`;
    for (const k of keys) out += `${L3}${k}:\t${list![k]}\n`;
  }
  return out;
}

function containerBlock(pod: Pod, c: Container, st: ContainerStatus | undefined): string {
  let out = `${L1}${c.name}:\n`;
  if (st) out += `${L2}Container ID:\t${st.containerID ?? ''}\n`;
  out += `${L2}Image:\t${c.image ?? ''}\n`;
  if (st) out += `${L2}Image ID:\t${st.imageID}\n`;
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ');
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
  out += ports.includes(',') ? `${L2}Ports:\t${ports}\n` : `${L2}Port:\t${ports || '<none>'}\n`;
  out += hostPorts.includes(',') ? `${L2}Host Ports:\t${hostPorts}\n` : `${L2}Host Port:\t${hostPorts || '<none>'}\n`;
  if (c.command?.length)
    out += `${L2}Command:\n${c.command
      .flatMap((s) => s.split('\n'))
      .map((s) => `${L3}${s}\n`)
      .join('')}`;
  if (c.args?.length)
    out += `${L2}Args:\n${c.args
      .flatMap((s) => s.split('\n'))
      .map((s) => `${L3}${s}\n`)
      .join('')}`;
  if (st) {
    out += stateLines('State', st.state);
    if (st.lastState?.terminated) out += stateLines('Last State', st.lastState);
    out += `${L2}Ready:\t${st.ready ? 'True' : 'False'}\n${L2}Restart Count:\t${st.restartCount}\n`;
  }
  out += resourceLines(c);
  if (c.livenessProbe) out += `${L2}Liveness:\t${describeProbe(c.livenessProbe)}\n`;
  if (c.readinessProbe) out += `${L2}Readiness:\t${describeProbe(c.readinessProbe)}\n`;
  if (c.startupProbe) out += `${L2}Startup:\t${describeProbe(c.startupProbe)}\n`;
  out += envLines(pod, c);
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) =>
    a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0,
  );
  out += mounts.length ? `${L2}Mounts:\n` : `${L2}Mounts:\t<none>\n`;
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path="${m.subPath}"`] : [])];
    out += `${L3}${m.mountPath} from ${m.name} (${flags.join(',')})\n`;
  }
  return out;
}

function containersSection(
  pod: Pod,
  label: string,
  containers: Container[],
  statuses: ContainerStatus[] | undefined,
): string {
  let out = `${label}:${containers.length ? '' : ' <none>'}\n`;
  for (const c of containers)
    out += containerBlock(
      pod,
      c,
      statuses?.find((s) => s.name === c.name),
    );
  return out;
}

function volumeLines(v: Volume): string {
  if (v.hostPath) {
    return `${L2}Type:\tHostPath (bare host directory volume)\n${L2}Path:\t${v.hostPath.path}\n${L2}HostPathType:\t${v.hostPath.type || '<none>'}\n`;
  }
  if (v.emptyDir) {
    return (
      `${L2}Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n${L2}Medium:\t${v.emptyDir.medium ?? ''}\n` +
      `${L2}SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`
    );
  }
  if (v.secret) {
    return `${L2}Type:\tSecret (a volume populated by a Secret)\n${L2}SecretName:\t${v.secret.secretName}\n${L2}Optional:\t${v.secret.optional === true}\n`;
  }
  if (v.configMap) {
    return `${L2}Type:\tConfigMap (a volume populated by a ConfigMap)\n${L2}Name:\t${v.configMap.name}\n${L2}Optional:\t${v.configMap.optional === true}\n`;
  }
  if (v.persistentVolumeClaim) {
    return (
      `${L2}Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n` +
      `${L2}ClaimName:\t${v.persistentVolumeClaim.claimName}\n${L2}ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`
    );
  }
  return `${L2}<unknown>\n`;
}

function eventsSection(events: KubeEvent[], now: number): string {
  let out = `Events:\n${L1}Type\tReason\tAge\tFrom\tMessage\n${L1}----\t------\t----\t----\t-------\n`;
  for (const e of sortEvents(events)) {
    const first = timestampSince(e.firstTimestamp, now);
    const interval = e.count > 1 ? `${timestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})` : first;
    const from = e.source?.component || e.reportingComponent || '';
    out += `${L1}${e.type}\t${e.reason}\t${interval}\t${from}\t${(e.message ?? '').trim()}\n`;
  }
  return out;
}

export function describePod(pod: Pod, events: KubeEvent[], now: number): string {
  const st = pod.status;
  const spec = pod.spec;
  let out = `Name:\t${pod.metadata.name ?? ''}\nNamespace:\t${pod.metadata.namespace ?? ''}\n`;
  if (spec.priority !== undefined) out += `Priority:\t${spec.priority}\n`;
  if (spec.serviceAccountName) out += `Service Account:\t${spec.serviceAccountName}\n`;
  out += spec.nodeName ? `Node:\t${spec.nodeName}/${st?.hostIP ?? ''}\n` : 'Node:\t<none>\n';
  if (st?.startTime) out += `Start Time:\t${rfc1123z(st.startTime)}\n`;
  out += labelsMultiline('Labels', pod.metadata.labels);
  out += annotationsMultiline(pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp && !isPodPhaseTerminal(st?.phase)) {
    out += `Status:\tTerminating (lasts ${timestampSince(pod.metadata.deletionTimestamp, now)})\n`;
    out += `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30}s\n`;
  } else out += `Status:\t${st?.phase ?? ''}\n`;
  if (st?.reason) out += `Reason:\t${st.reason}\n`;
  if (st?.message) out += `Message:\t${st.message}\n`;
  out += `IP:\t${st?.podIP ?? ''}\n`;
  out += st?.podIPs?.length ? `IPs:\n${st.podIPs.map((i) => `${L1}IP:\t${i.ip}\n`).join('')}` : 'IPs:\t<none>\n';
  if (spec.initContainers?.length)
    out += containersSection(pod, 'Init Containers', spec.initContainers, st?.initContainerStatuses);
  out += containersSection(pod, 'Containers', spec.containers, st?.containerStatuses);
  // describe.go describePod: the ephemeral ones as plain containers, right after the app containers.
  if (spec.ephemeralContainers?.length)
    out += containersSection(pod, 'Ephemeral Containers', spec.ephemeralContainers, st?.ephemeralContainerStatuses);
  if (spec.readinessGates?.length) {
    out += `Readiness Gates:\n${L1}Type\tStatus\n`;
    for (const g of spec.readinessGates) {
      out += `${L1}${g.conditionType} \t${st?.conditions?.find((c) => c.type === g.conditionType)?.status ?? '<none>'} \n`;
    }
  }
  if (st?.conditions?.length) {
    out += `Conditions:\n${L1}Type\tStatus\n`;
    for (const c of st.conditions) out += `${L1}${c.type} \t${c.status} \n`;
  }
  if (spec.volumes?.length) {
    out += 'Volumes:\n';
    for (const v of spec.volumes) out += `${L1}${v.name}:\n${volumeLines(v)}`;
  } else out += 'Volumes:\t<none>\n';
  out += `QoS Class:\t${st?.qosClass ?? podQOSClass(pod as ValidPod)}\n`;
  out += labelsMultiline('Node-Selectors', spec.nodeSelector);
  out += tolerations(spec.tolerations);
  if (events.length === 0) return tabify(`${out}Events:\t<none>\n`, DESCRIBE_TABWRITER);
  // kubectl flushes its tabwriter before the events table, so it aligns on its own.
  return tabify(out, DESCRIBE_TABWRITER) + tabify(eventsSection(events, now), DESCRIBE_TABWRITER);
}
