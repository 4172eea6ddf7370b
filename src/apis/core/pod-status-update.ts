// An update of the pods/status subresource (PUT, or a PATCH's result), as the API
// server's podStatusStrategy (pkg/registry/core/pod/strategy.go) and
// ValidatePodStatusUpdate take it: the spec and metadata stay the stored pod's, only
// the status is read. Of the status, minikubelet keeps only what a client owns: the
// conditions of types the kubelet does not set (readiness gates' conditions,
// pkg/kubelet/types/pod_status.go PodConditionsByKubelet). Everything else in the status
// is the kubelet's, which the next sync would write over anyway on a real node.
import { ValidationError, type FieldError } from '../../util/errors.js';
import { KubeletError } from '../../util/errors.js';
import { child, index, invalid, nameErrors, notSupported, required } from './field.js';
import { isQualifiedName } from './names.js';
import type { ConditionStatus, PodCondition, ValidPod } from './types.js';

/**
 * The condition types only the kubelet writes (PodConditionsByKubelet, plus
 * PodReadyToStartContainers under its feature gate, on by default in 1.32).
 * DisruptionTarget is only *shared* with the kubelet (PodConditionSharedByKubelet): a
 * client may set it, and this kubelet never does.
 */
export const POD_CONDITIONS_BY_KUBELET: readonly string[] = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];

/** ValidatePodStatusUpdate's validatePodConditions skips these; others must be qualified names. */
const SYSTEM_CONDITIONS = ['PodScheduled', 'Ready', 'Initialized'];
const STATUSES: readonly ConditionStatus[] = ['True', 'False', 'Unknown'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The client-owned conditions of a pod's stored status. */
export function clientConditions(conditions: readonly PodCondition[] | undefined): PodCondition[] {
  return (conditions ?? []).filter((c) => !POD_CONDITIONS_BY_KUBELET.includes(c.type));
}

/**
 * The stored pod with the client-owned conditions of `raw` (a whole Pod), in the
 * client's order; a kubelet-owned type in `raw` is dropped (the kubelet's value stands). Throws
 * BadRequest for a body that is not a pod, Invalid (naming the field) for a bad condition.
 */
export function admitPodStatusUpdate(raw: unknown, old: ValidPod, nowRfc: string): ValidPod {
  if (!isObject(raw)) throw new KubeletError('BadRequest', 'the object must be a mapping with apiVersion and kind');
  if (raw.kind !== undefined && raw.kind !== 'Pod')
    throw new KubeletError('BadRequest', `expected kind Pod, got ${String(raw.kind)}`);
  const status = raw.status ?? {};
  if (!isObject(status))
    throw new ValidationError('Pod', old.metadata.name, [invalid('status', status, 'must be an object')]);
  const list = status.conditions ?? [];
  const errors: FieldError[] = [];
  if (!Array.isArray(list)) errors.push(invalid('status.conditions', list, 'must be a list'));
  const kept: PodCondition[] = [];
  if (Array.isArray(list)) {
    list.forEach((c, i) => {
      const path = index('status.conditions', i);
      const cond = decodeCondition(c, path, errors);
      if (!cond || POD_CONDITIONS_BY_KUBELET.includes(cond.type)) return;
      // A client that sends no transition time gets one (the old one while the status holds).
      if (!cond.lastTransitionTime) {
        const prev = old.status?.conditions?.find((o) => o.type === cond.type);
        cond.lastTransitionTime = prev && prev.status === cond.status ? prev.lastTransitionTime : nowRfc;
      }
      kept.push(cond);
    });
  }
  if (errors.length) throw new ValidationError('Pod', old.metadata.name, errors);
  return { ...old, status: { ...(old.status ?? { phase: 'Pending' }), conditions: kept } };
}

function decodeCondition(c: unknown, path: string, errors: FieldError[]): PodCondition | undefined {
  if (!isObject(c)) {
    errors.push(invalid(path, c, 'must be an object'));
    return undefined;
  }
  const { type, status } = c;
  const before = errors.length;
  // Upstream's path really says `Type` (validation.go validatePodConditions).
  if (typeof type !== 'string' || type === '') errors.push(required(child(path, 'Type')));
  else if (!SYSTEM_CONDITIONS.includes(type)) errors.push(...nameErrors(child(path, 'Type'), type, isQualifiedName));
  if (typeof status !== 'string' || !STATUSES.includes(status as ConditionStatus))
    errors.push(notSupported(child(path, 'status'), status, STATUSES));
  for (const f of ['reason', 'message', 'lastProbeTime', 'lastTransitionTime'] as const) {
    const v = c[f];
    if (v !== undefined && v !== null && typeof v !== 'string')
      errors.push(invalid(child(path, f), v, 'must be a string'));
  }
  if (errors.length > before) return undefined;
  const str = (f: string) => (typeof c[f] === 'string' ? (c[f] as string) : undefined);
  const out: PodCondition = {
    type: type as string,
    status: status as ConditionStatus,
    lastProbeTime: str('lastProbeTime') ?? null,
    lastTransitionTime: str('lastTransitionTime') ?? '',
  };
  const reason = str('reason');
  const message = str('message');
  if (reason) out.reason = reason;
  if (message) out.message = message;
  return out;
}
