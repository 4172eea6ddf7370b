// API defaulting for Pods (pkg/apis/core/v1/defaults.go). Applied before
// validation, exactly as the API server does, so validation sees the same values
// a real cluster would store. Pure: returns a new object.

import { parseImageRef, type ImageRef } from '../../util/image-reference.js';
import type { Container, HTTPGetAction, LifecycleHandler, Pod, Probe, PullPolicy } from './types.js';

export function applyPodDefaults(pod: Pod): Pod {
  const out = structuredClone(pod);
  out.metadata ??= {};
  if (!out.metadata.namespace) out.metadata.namespace = 'default';
  out.spec ??= { containers: [] };
  const spec = out.spec;
  spec.containers ??= [];
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  spec.enableServiceLinks ??= true;
  spec.securityContext ??= {};
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c);
  if (spec.hostNetwork) defaultHostNetworkPorts(spec);
  return out;
}

/** defaultHostNetworkPorts: with the host's network, an unset hostPort is the containerPort. */
function defaultHostNetworkPorts(spec: Pod['spec']): void {
  for (const c of [...(spec.initContainers ?? []), ...spec.containers])
    for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
}

function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image ?? '');
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of c.ports ?? []) if (!p.protocol) p.protocol = 'TCP';
  c.resources ??= {};
  // SetDefaults_Pod: a limit without a request makes the request equal the limit.
  const { limits, requests } = c.resources;
  if (limits && Object.keys(limits).length > 0) {
    const req = { ...(requests ?? {}) };
    c.resources.requests = req;
    for (const [k, v] of Object.entries(limits)) if (!Object.hasOwn(req, k)) req[k] = v;
  }
  for (const ev of c.env ?? []) {
    const ref = ev.valueFrom?.fieldRef;
    if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
  }
  for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (p) defaultProbe(p);
  for (const h of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (h) defaultHandler(h);
}

/**
 * The probe timing defaults (SetDefaults_Probe), the one place they are written. Every
 * admitted pod has them set, so the prober and the printers read the fields as they are.
 */
export const PROBE_DEFAULTS = {
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
} as const satisfies Probe;

/** Zero counts as unset for the timing fields (not for initialDelaySeconds), as in SetDefaults_Probe. */
function defaultProbe(p: Probe): void {
  p.initialDelaySeconds ??= PROBE_DEFAULTS.initialDelaySeconds;
  if (!p.timeoutSeconds) p.timeoutSeconds = PROBE_DEFAULTS.timeoutSeconds;
  if (!p.periodSeconds) p.periodSeconds = PROBE_DEFAULTS.periodSeconds;
  if (!p.successThreshold) p.successThreshold = PROBE_DEFAULTS.successThreshold;
  if (!p.failureThreshold) p.failureThreshold = PROBE_DEFAULTS.failureThreshold;
  defaultHandler(p);
}

function defaultHandler(h: LifecycleHandler | Probe): void {
  if (h.httpGet) defaultHTTPGet(h.httpGet);
}

function defaultHTTPGet(g: HTTPGetAction): void {
  if (!g.path) g.path = '/';
  if (!g.scheme) g.scheme = 'HTTP';
}

/**
 * API defaulting (SetDefaults_Container): `Always` when the effective tag is
 * `latest` (an untagged, undigested image counts as `latest`), else IfNotPresent.
 * An unparsable image defaults to IfNotPresent, as parse errors are ignored there.
 */
export function defaultPullPolicy(image: string): PullPolicy {
  let ref: ImageRef;
  try {
    ref = parseImageRef(image);
  } catch {
    return 'IfNotPresent';
  }
  const tag = ref.tag ?? (ref.digest === undefined ? 'latest' : undefined);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}
