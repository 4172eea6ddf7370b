// The payloads of a pod's configMap, secret, downwardAPI and projected volumes, as
// the kubelet's volume plugins compute them (pkg/volume/configmap MakePayload,
// pkg/volume/secret MakePayload, pkg/volume/downwardapi CollectData,
// pkg/volume/projected collectData). The runtime writes them (runtime/atomic-writer.ts).
// A missing object or key that is not optional is a VolumeSetUpError with the
// kubelet's wording: the pod waits in ContainerCreating with a FailedMount event.
import { parseQuantity } from '../apis/core/quantity.js';
import { DEFAULT_TOKEN_EXPIRATION_SECONDS } from '../apis/core/validate-projected.js';
import type { Container, DataKind, KeyToPath, ValidPod, Volume } from '../apis/core/types.js';
import { VolumeSetUpError } from '../container/errors.js';
import type { Payload } from '../runtime/atomic-writer.js';
import { projectedKind, type VolumePayloads } from '../runtime/projected-volumes.js';
import { errorMessage } from '../util/errors.js';
import { fieldValue, type ObjectLookup } from './container-env.js';

/** The API server's default for defaultMode (0644). */
export const DEFAULT_MODE = 0o644;

interface ObjectSource {
  name: string;
  items?: KeyToPath[];
  optional?: boolean;
}

interface DownwardItem {
  path: string;
  mode?: number;
  fieldRef?: { fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
}

interface ProjectedSource {
  configMap?: ObjectSource;
  secret?: ObjectSource;
  downwardAPI?: { items?: DownwardItem[] };
  serviceAccountToken?: { path: string; audience?: string; expirationSeconds?: number };
  [other: string]: unknown;
}

/**
 * A token for the pod's ServiceAccount (the kubelet's token manager); throws
 * `failed to fetch token: …` when none can be had.
 */
export type ServiceAccountTokenGetter = (
  pod: ValidPod,
  req: { audience?: string; expirationSeconds: number },
) => string;

class PayloadError extends Error {}

/** Every such volume of the pod, by name; throws VolumeSetUpError naming the first failing volume. */
export function podVolumePayloads(
  pod: ValidPod,
  objects: ObjectLookup | undefined,
  tokens?: ServiceAccountTokenGetter,
): VolumePayloads {
  const out: VolumePayloads = new Map();
  for (const vol of pod.spec.volumes ?? []) {
    const kind = projectedKind(vol);
    if (!kind) continue;
    try {
      // configMap volumes live on disk (a wrapped plain emptyDir); the others on tmpfs.
      out.set(vol.name, { payload: volumePayload(pod, vol, objects, tokens), tmpfs: kind !== 'configMap' });
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      throw new VolumeSetUpError(vol.name, err.message);
    }
  }
  return out;
}

/** Does the pod have a volume whose files the sync keeps up to date? */
export function hasProjectedVolumes(pod: ValidPod): boolean {
  return (pod.spec.volumes ?? []).some((v) => projectedKind(v) !== undefined);
}

function volumePayload(
  pod: ValidPod,
  vol: Volume,
  objects: ObjectLookup | undefined,
  tokens: ServiceAccountTokenGetter | undefined,
): Payload {
  const out: Payload = new Map();
  if (vol.configMap) {
    const mode = vol.configMap.defaultMode ?? DEFAULT_MODE;
    objectPayload(pod, 'ConfigMap', vol.configMap, mode, objects, out);
  } else if (vol.secret) {
    const s = vol.secret;
    const src: ObjectSource = { name: s.secretName, ...(s.items ? { items: s.items } : {}), optional: s.optional };
    objectPayload(pod, 'Secret', src, s.defaultMode ?? DEFAULT_MODE, objects, out);
  } else if (vol.downwardAPI) {
    const d = vol.downwardAPI as { items?: DownwardItem[]; defaultMode?: number };
    downwardPayload(pod, d.items ?? [], d.defaultMode ?? DEFAULT_MODE, out);
  } else if (vol.projected) {
    const p = vol.projected as { sources?: ProjectedSource[]; defaultMode?: number };
    const mode = p.defaultMode ?? DEFAULT_MODE;
    for (const src of p.sources ?? []) {
      if (src.configMap) objectPayload(pod, 'ConfigMap', src.configMap, mode, objects, out);
      else if (src.secret) objectPayload(pod, 'Secret', src.secret, mode, objects, out);
      else if (src.downwardAPI) downwardPayload(pod, src.downwardAPI.items ?? [], mode, out);
      else if (src.serviceAccountToken) tokenPayload(pod, src.serviceAccountToken, mode, tokens, out);
      else throw new PayloadError(`unsupported projected volume source: ${Object.keys(src).join(', ')}`);
    }
  }
  return out;
}

/** configmap.go / secret.go MakePayload: every key, or the listed items. */
function objectPayload(
  pod: ValidPod,
  kind: DataKind,
  src: ObjectSource,
  defaultMode: number,
  objects: ObjectLookup | undefined,
  out: Payload,
): void {
  const what = kind === 'Secret' ? 'secret' : 'configmap';
  const obj = objects?.(kind, pod.metadata.namespace, src.name);
  if (!obj) {
    if (src.optional) return;
    throw new PayloadError(`${what} "${src.name}" not found`);
  }
  const data = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(obj.data ?? {}))
    data.set(k, Buffer.from(v, kind === 'Secret' ? 'base64' : 'utf8'));
  if (obj.kind === 'ConfigMap')
    for (const [k, v] of Object.entries(obj.binaryData ?? {})) data.set(k, Buffer.from(v, 'base64'));
  if (!src.items?.length) {
    for (const [k, v] of data) out.set(k, { data: v, mode: defaultMode });
    return;
  }
  for (const item of src.items) {
    const v = data.get(item.key);
    if (v === undefined) {
      if (src.optional) continue;
      // The plugins' own wordings (configmap.go and secret.go MakePayload).
      throw new PayloadError(
        kind === 'Secret'
          ? `references non-existent secret key: ${item.key}`
          : `configmap references non-existent config key: ${item.key}`,
      );
    }
    out.set(item.path, { data: v, mode: item.mode ?? defaultMode });
  }
}

/** projected.go collectData's serviceAccountToken case: a token requested for the pod, at `path`. */
function tokenPayload(
  pod: ValidPod,
  src: NonNullable<ProjectedSource['serviceAccountToken']>,
  mode: number,
  tokens: ServiceAccountTokenGetter | undefined,
  out: Payload,
): void {
  if (!tokens) throw new PayloadError('failed to fetch token: this agent serves no API to issue tokens for');
  let token: string;
  try {
    token = tokens(pod, {
      ...(src.audience ? { audience: src.audience } : {}),
      expirationSeconds: src.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS,
    });
  } catch (err) {
    throw new PayloadError(errorMessage(err));
  }
  out.set(src.path, { data: Buffer.from(token, 'utf8'), mode });
}

/** downwardapi.go CollectData. */
function downwardPayload(pod: ValidPod, items: DownwardItem[], defaultMode: number, out: Payload): void {
  for (const item of items) {
    let text: string;
    try {
      text = item.fieldRef ? downwardField(pod, item.fieldRef.fieldPath) : resourceValue(pod, item.resourceFieldRef!);
    } catch (err) {
      throw new PayloadError(errorMessage(err));
    }
    out.set(item.path, { data: Buffer.from(text, 'utf8'), mode: item.mode ?? defaultMode });
  }
}

function downwardField(pod: ValidPod, path: string): string {
  if (path === 'metadata.labels') return formatMap(pod.metadata.labels ?? {});
  if (path === 'metadata.annotations') return formatMap(pod.metadata.annotations ?? {});
  return fieldValue(pod, path, {});
}

/** pkg/fieldpath FormatMap: `key="value"` lines, keys sorted, values quoted as Go's %q. */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${goQuote(m[k]!)}`)
    .join('\n');
}

/** Go strconv.Quote for the common case: JSON's escapes, but `\xNN` for other control bytes. */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

/**
 * pkg/api/v1/resource ExtractContainerResourceValue: the container's limit or request,
 * divided by the divisor and rounded up. A limit that is not set would be the node's
 * allocatable in the kubelet; minikubelet refuses that case with a clear message.
 */
export function resourceValue(pod: ValidPod, ref: NonNullable<DownwardItem['resourceFieldRef']>): string {
  const all: Container[] = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const c = all.find((x) => x.name === ref.containerName);
  if (!c) throw new Error(`container ${ref.containerName ?? ''} not found`);
  const [group, resource] = ref.resource.split('.', 2) as [string, string | undefined];
  if ((group !== 'limits' && group !== 'requests') || !resource)
    throw new Error(`unsupported container resource: ${ref.resource}`);
  const raw = c.resources?.[group]?.[resource];
  if (raw === undefined) {
    if (group === 'requests') return '0';
    throw new Error(
      `${ref.resource} of container ${c.name} is not set (minikubelet does not default it to the node's allocatable)`,
    );
  }
  const divisor = parseQuantity(ref.divisor ?? 1) || 1;
  return String(Math.ceil(parseQuantity(raw) / divisor));
}
