// Pod validation (ValidatePodCreate / ValidatePodSpec), run after defaulting.
// Collects every problem, in the API server's order and wording, so the user
// fixes a manifest in one round.

import { validatePodSecurityContext, validateSecurityContext } from './validate-security.js';
import { isIP } from 'node:net';
import type { FieldError } from '../../util/errors.js';
import { child, index, invalid, nameErrors, nonNegative, notSupported, required } from './field.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from './names.js';
import type { Pod } from './types.js';
import { validateContainer, type ContainerContext } from './validate-container.js';
import { validateLabels, validateObjectMeta } from './validate-meta.js';
import { validateHostNetwork, validatePodDNSConfig } from './validate-network.js';
import { validateVolumes } from './validate-volumes.js';
import { validateEphemeralContainers } from './validate-ephemeral.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const MAX_INT32 = 2147483647;

export function validatePod(pod: Pod): FieldError[] {
  const errs = validateObjectMeta(pod.metadata);
  const spec = pod.spec;
  if (!spec) return [...errs, required('spec')];

  const vols = validateVolumes(spec.volumes ?? [], 'spec.volumes');
  errs.push(...vols.errors);

  if (!spec.containers || spec.containers.length === 0) errs.push(required('spec.containers'));
  const names = new Set<string>();
  const ctx = (init: boolean): ContainerContext => ({ volumes: vols.names, names, init });
  (spec.containers ?? []).forEach((c, i) => {
    errs.push(...validateContainer(c, index('spec.containers', i), ctx(false)));
    errs.push(...validateSecurityContext(c.securityContext, child(index('spec.containers', i), 'securityContext')));
  });
  (spec.initContainers ?? []).forEach((c, i) => {
    errs.push(...validateContainer(c, index('spec.initContainers', i), ctx(true)));
    errs.push(...validateSecurityContext(c.securityContext, child(index('spec.initContainers', i), 'securityContext')));
  });
  errs.push(...validateEphemeralContainers(pod, ctx(false)));
  errs.push(...validatePodSecurityContext(pod));
  errs.push(...hostPortConflicts(pod));

  if (!spec.restartPolicy) errs.push(required('spec.restartPolicy'));
  else if (!RESTART_POLICIES.includes(spec.restartPolicy))
    errs.push(notSupported('spec.restartPolicy', spec.restartPolicy, RESTART_POLICIES));
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy))
    errs.push(notSupported('spec.dnsPolicy', spec.dnsPolicy, DNS_POLICIES));
  errs.push(...validatePodDNSConfig(spec));

  errs.push(...nonNegative('spec.terminationGracePeriodSeconds', spec.terminationGracePeriodSeconds));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > MAX_INT32)) {
    errs.push(invalid('spec.activeDeadlineSeconds', ads, `must be between 1 and ${MAX_INT32}, inclusive`));
  }
  (spec.imagePullSecrets ?? []).forEach((s, i) => {
    if (!s.name) errs.push(required(child(index('spec.imagePullSecrets', i), 'name')));
  });
  if (spec.hostname) errs.push(...nameErrors('spec.hostname', spec.hostname, isDNS1123Label));
  if (spec.subdomain) errs.push(...nameErrors('spec.subdomain', spec.subdomain, isDNS1123Label));
  if (spec.nodeSelector) errs.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  (spec.hostAliases ?? []).forEach((a, i) => {
    const ap = index('spec.hostAliases', i);
    if (!a.ip || isIP(a.ip) === 0) errs.push(invalid(child(ap, 'ip'), a.ip ?? '', 'must be valid IP address'));
    (a.hostnames ?? []).forEach((h, j) => {
      errs.push(...nameErrors(index(child(ap, 'hostnames'), j), h, isDNS1123Subdomain));
    });
  });
  errs.push(...validateHostNetwork(spec));
  // validateReadinessGates: a gate names a condition type, a qualified name.
  (spec.readinessGates ?? []).forEach((g, i) => {
    const path = child(index('spec.readinessGates', i), 'conditionType');
    errs.push(...nameErrors(path, g.conditionType ?? '', isQualifiedName));
  });
  return errs;
}

/** Two app containers may not claim the same hostPort/protocol (AccumulateUniqueHostPorts). */
function hostPortConflicts(pod: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (pod.spec.containers ?? []).forEach((c, ci) => {
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const k = `${p.hostPort}/${p.protocol ?? 'TCP'}`;
      if (seen.has(k))
        errs.push({ path: `spec.containers[${ci}].ports[${pi}].hostPort`, type: 'Duplicate value', value: k });
      seen.add(k);
    });
  });
  return errs;
}
