// makeEnvironmentVariables (kubelet_pods.go): envFrom first, then env in order, with
// valueFrom resolved from the pod (downward API fields) and from the node's stored
// ConfigMaps and Secrets. A missing object or key that is not optional is a
// CreateContainerConfigError, with the kubelet's wording.
import type { Container, DataKind, DataObject, EnvVar, ValidPod } from '../apis/core/types.js';
import { buildEnv } from '../container/expand.js';
import { ContainerConfigError } from '../container/errors.js';

export type ObjectLookup = (kind: DataKind, namespace: string, name: string) => DataObject | undefined;

export interface EnvContext {
  podIP?: string;
  hostIP?: string;
  objects?: ObjectLookup;
}

/** Environment variable names as the kubelet accepts them from envFrom. */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function containerEnv(pod: ValidPod, c: Container, ctx: EnvContext, base: Record<string, string>) {
  return buildEnv(c, { ...base, ...envFrom(pod, c, ctx) }, (v) => valueFrom(pod, v, ctx));
}

function envFrom(pod: ValidPod, c: Container, ctx: EnvContext): Record<string, string> {
  // No prototype: a key named `__proto__` (valid in ConfigMap data) is a variable like any other.
  const out = Object.create(null) as Record<string, string>;
  for (const src of c.envFrom ?? []) {
    const ref = src.configMapRef ?? src.secretRef;
    if (!ref) continue;
    const kind = src.configMapRef ? 'ConfigMap' : 'Secret';
    const data = objectData(pod, kind, ref.name, ref.optional === true, ctx);
    for (const [k, v] of Object.entries(data ?? {})) {
      const name = `${src.prefix ?? ''}${k}`;
      if (ENV_NAME.test(name)) out[name] = v;
    }
  }
  return out;
}

function valueFrom(pod: ValidPod, v: EnvVar, ctx: EnvContext): string | undefined {
  const f = v.valueFrom!;
  if (f.fieldRef) return fieldValue(pod, f.fieldRef.fieldPath, ctx);
  const keyRef = f.configMapKeyRef ?? f.secretKeyRef;
  if (keyRef) {
    const kind = f.configMapKeyRef ? 'ConfigMap' : 'Secret';
    const data = objectData(pod, kind, keyRef.name, keyRef.optional === true, ctx);
    if (data === undefined) return undefined;
    if (!(keyRef.key in data)) {
      if (keyRef.optional) return undefined;
      throw new ContainerConfigError(
        `couldn't find key ${keyRef.key} in ${kind} ${pod.metadata.namespace}/${keyRef.name}`,
      );
    }
    return data[keyRef.key];
  }
  return undefined; // resourceFieldRef: not resolved (no node allocatable to default to)
}

/** The object's data as strings (Secret values decoded); undefined when optional and missing. */
function objectData(
  pod: ValidPod,
  kind: DataKind,
  name: string,
  optional: boolean,
  ctx: EnvContext,
): Record<string, string> | undefined {
  const obj = ctx.objects?.(kind, pod.metadata.namespace, name);
  if (!obj) {
    if (optional) return undefined;
    throw new ContainerConfigError(`${kind === 'Secret' ? 'secret' : 'configmap'} "${name}" not found`);
  }
  if (obj.kind === 'Secret') {
    return Object.fromEntries(
      Object.entries(obj.data ?? {}).map(([k, b64]) => [k, Buffer.from(b64, 'base64').toString('utf8')]),
    );
  }
  return { ...(obj.data ?? {}) };
}

/** The downward API fields a fieldRef may name. */
export function fieldValue(pod: ValidPod, path: string, ctx: EnvContext): string {
  const m = pod.metadata;
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name;
    case 'metadata.namespace':
      return m.namespace;
    case 'metadata.uid':
      return m.uid;
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP ?? '';
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP ?? '';
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

/** Does the container need the pod IP before it starts? */
export function usesPodIP(c: Container): boolean {
  return (
    (c.env ?? []).some((e) => /^status\.podIPs?$/.test(e.valueFrom?.fieldRef?.fieldPath ?? '')) ||
    c.lifecycle?.postStart?.httpGet !== undefined
  );
}
