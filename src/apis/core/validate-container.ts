// Per-container validation (validateContainerCommon and friends): name, image,
// policies, ports, env, volume mounts, probes and hooks.

import { isIP } from 'node:net';
import { posix } from 'node:path';
import type { FieldError } from '../../util/errors.js';
import { child, duplicate, forbidden, index, invalid, nameErrors, notFound, notSupported, required } from './field.js';
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isValidPortName,
  isValidPortNum,
} from './names.js';
import type { Container, ContainerPort, EnvFromSource, EnvVar, VolumeMount } from './types.js';
import { validateLifecycle, validateProbe } from './validate-probe.js';

export interface ContainerContext {
  /** Names of the pod's volumes, for volumeMounts. */
  volumes: Set<string>;
  /** Container names seen so far across init and app containers. */
  names: Set<string>;
  init: boolean;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MOUNT_PROPAGATION = ['None', 'HostToContainer', 'Bidirectional'];
const FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];
/** The container resources a downward API resourceFieldRef may name (env and volumes). */
export const RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

export function validateContainer(c: Container, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = child(path, 'name');
  if (!c.name) errs.push(required(namePath));
  else {
    errs.push(...nameErrors(namePath, c.name, isDNS1123Label));
    if (ctx.names.has(c.name)) errs.push(duplicate(namePath, c.name));
    ctx.names.add(c.name);
  }

  const image = c.image ?? '';
  if (image === '') errs.push(required(child(path, 'image')));
  else if (image.trim() !== image)
    errs.push(invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace'));

  if (!c.imagePullPolicy) errs.push(required(child(path, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy))
    errs.push(notSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  if (c.terminationMessagePolicy !== undefined && !TERMINATION_MESSAGE_POLICIES.includes(c.terminationMessagePolicy)) {
    errs.push(
      notSupported(child(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES),
    );
  }

  errs.push(...validateRestartPolicy(c, path, ctx.init));
  errs.push(...validatePorts(c.ports ?? [], child(path, 'ports')));
  errs.push(...validateEnv(c.env ?? [], child(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom ?? [], child(path, 'envFrom')));
  errs.push(...validateMounts(c.volumeMounts ?? [], child(path, 'volumeMounts'), ctx.volumes));
  errs.push(...validateProbesAndHooks(c, path, ctx.init));
  return errs;
}

function validateRestartPolicy(c: Container, path: string, init: boolean): FieldError[] {
  if (c.restartPolicy === undefined) return [];
  const p = child(path, 'restartPolicy');
  if (!init) return [forbidden(p, 'may not be set for non-init containers')];
  return c.restartPolicy === 'Always' ? [] : [notSupported(p, c.restartPolicy, ['Always'])];
}

/** Regular init containers run to completion, so probes and hooks make no sense there. */
function validateProbesAndHooks(c: Container, path: string, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const kinds = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const;
  if (init && c.restartPolicy !== 'Always') {
    for (const k of kinds)
      if (c[k] !== undefined)
        errs.push(forbidden(child(path, k), 'may not be set for init containers without restartPolicy=Always'));
    return errs;
  }
  const portNames = new Set((c.ports ?? []).map((p) => p.name).filter((n): n is string => !!n));
  for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = c[k];
    if (probe) errs.push(...validateProbe(probe, k, child(path, k), portNames));
  }
  if (c.lifecycle) errs.push(...validateLifecycle(c.lifecycle, child(path, 'lifecycle')));
  return errs;
}

function validatePorts(ports: ContainerPort[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const pp = index(path, i);
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length > 0) errs.push(...msgs.map((m) => invalid(child(pp, 'name'), p.name, m)));
      else if (names.has(p.name)) errs.push(duplicate(child(pp, 'name'), p.name));
      names.add(p.name);
    }
    if (!p.containerPort) errs.push(required(child(pp, 'containerPort')));
    else
      errs.push(...isValidPortNum(p.containerPort).map((m) => invalid(child(pp, 'containerPort'), p.containerPort, m)));
    if (p.hostPort) errs.push(...isValidPortNum(p.hostPort).map((m) => invalid(child(pp, 'hostPort'), p.hostPort, m)));
    if (!p.protocol) errs.push(required(child(pp, 'protocol')));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(notSupported(child(pp, 'protocol'), p.protocol, PROTOCOLS));
    if (p.hostIP && isIP(p.hostIP) === 0)
      errs.push(invalid(child(pp, 'hostIP'), p.hostIP, 'must be a valid IP address'));
  });
  return errs;
}

function validateEnv(env: EnvVar[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((ev, i) => {
    const ep = index(path, i);
    if (!ev.name) errs.push(required(child(ep, 'name')));
    else errs.push(...nameErrors(child(ep, 'name'), ev.name, isEnvVarName));
    if (ev.valueFrom) errs.push(...validateValueFrom(ev, child(ep, 'valueFrom')));
  });
  return errs;
}

function validateValueFrom(ev: EnvVar, path: string): FieldError[] {
  const vf = ev.valueFrom!;
  const errs: FieldError[] = [];
  const sources = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter(
    (k) => vf[k] !== undefined,
  );
  if (sources.length === 0)
    return [
      invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'),
    ];
  if (sources.length > 1) return [invalid(path, '', 'may not have more than one field specified at a time')];
  if (ev.value) errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  if (vf.fieldRef) {
    const fp = child(child(path, 'fieldRef'), 'fieldPath');
    const f = vf.fieldRef.fieldPath;
    if (!vf.fieldRef.apiVersion) errs.push(required(child(child(path, 'fieldRef'), 'apiVersion')));
    if (!f) errs.push(required(fp));
    else if (!FIELD_PATHS.includes(f) && !/^metadata\.(labels|annotations)\['[^']+'\]$/.test(f))
      errs.push(notSupported(fp, f, FIELD_PATHS));
  }
  if (vf.resourceFieldRef) {
    const r = vf.resourceFieldRef.resource;
    const rp = child(child(path, 'resourceFieldRef'), 'resource');
    if (!r) errs.push(required(rp));
    else if (!RESOURCE_FIELDS.includes(r) && !/^(limits|requests)\.hugepages-/.test(r))
      errs.push(notSupported(rp, r, RESOURCE_FIELDS));
  }
  for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = vf[k];
    if (!ref) continue;
    const kp = child(path, k);
    if (!ref.name) errs.push(required(child(kp, 'name')));
    else errs.push(...nameErrors(child(kp, 'name'), ref.name, isDNS1123Subdomain));
    if (!ref.key) errs.push(required(child(kp, 'key')));
    else errs.push(...nameErrors(child(kp, 'key'), ref.key, isConfigMapKey));
  }
  return errs;
}

function validateEnvFrom(envFrom: EnvFromSource[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  envFrom.forEach((ef, i) => {
    const ep = index(path, i);
    if (ef.prefix) errs.push(...nameErrors(child(ep, 'prefix'), ef.prefix, isEnvVarName));
    const refs = (['configMapRef', 'secretRef'] as const).filter((k) => ef[k] !== undefined);
    if (refs.length === 0) errs.push(invalid(ep, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(invalid(ep, '', 'may not have more than one field specified at a time'));
    for (const k of refs) {
      const name = ef[k]!.name;
      if (!name) errs.push(required(child(child(ep, k), 'name')));
      else errs.push(...nameErrors(child(child(ep, k), 'name'), name, isDNS1123Subdomain));
    }
  });
  return errs;
}

function validateMounts(mounts: VolumeMount[], path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const mountPaths = new Set<string>();
  mounts.forEach((m, i) => {
    const mp = index(path, i);
    if (!m.name) errs.push(required(child(mp, 'name')));
    else if (!volumes.has(m.name)) errs.push(notFound(child(mp, 'name'), m.name));
    if (!m.mountPath) errs.push(required(child(mp, 'mountPath')));
    else {
      if (!m.mountPath.startsWith('/'))
        errs.push(invalid(child(mp, 'mountPath'), m.mountPath, 'must be an absolute path'));
      if (mountPaths.has(m.mountPath)) errs.push(invalid(child(mp, 'mountPath'), m.mountPath, 'must be unique'));
      mountPaths.add(m.mountPath);
    }
    if (m.subPath) errs.push(...validateDescendingPath(m.subPath, child(mp, 'subPath')));
    if (m.subPathExpr) {
      if (m.subPath)
        errs.push(invalid(child(mp, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateDescendingPath(m.subPathExpr, child(mp, 'subPathExpr')));
    }
    if (m.mountPropagation !== undefined && !MOUNT_PROPAGATION.includes(m.mountPropagation)) {
      errs.push(
        notSupported(child(mp, 'mountPropagation'), m.mountPropagation, ['HostToContainer', 'Bidirectional', 'None']),
      );
    }
  });
  return errs;
}

/** A subPath stays inside the volume: relative, with no `..` component. */
export function validateDescendingPath(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (posix.isAbsolute(p)) errs.push(invalid(path, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(invalid(path, p, "must not contain '..'"));
  return errs;
}
