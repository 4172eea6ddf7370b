// What a PodContainer is made of: a manifest file, YAML/JSON text or objects, split into
// the Pods it starts and the Secrets/ConfigMaps applied before them (kubectl apply order:
// what the pods reference first).
import { existsSync, readFileSync } from 'node:fs';
import { decodeManifests } from '../apis/core/decode.js';
import type { EnvVar, Pod } from '../apis/core/types.js';

export type PodSource = string | object | readonly object[];

export interface Manifests {
  /** Secrets and ConfigMaps, applied first. */
  objects: Record<string, unknown>[];
  pods: Pod[];
}

/** A string naming an existing file is read; any other string is manifest text. */
export function readManifests(source: PodSource): Manifests {
  const docs: unknown[] =
    typeof source === 'string' ? decodeText(source) : Array.isArray(source) ? [...source] : [source];
  const out: Manifests = { objects: [], pods: [] };
  for (const [i, d] of docs.entries()) {
    const kind = (d as { kind?: unknown } | null)?.kind;
    // A deep copy: the caller's object is never modified (withEnvironment edits ours).
    const copy = structuredClone(d) as Record<string, unknown>;
    if (kind === 'Pod') out.pods.push(copy as unknown as Pod);
    else if (kind === 'Secret' || kind === 'ConfigMap') out.objects.push(copy);
    else
      throw new Error(
        `PodContainer: document ${i}: kind ${JSON.stringify(kind ?? '')} is not supported (Pod, Secret or ConfigMap)`,
      );
  }
  if (out.pods.length === 0) throw new Error('PodContainer: the manifests hold no Pod');
  return out;
}

function decodeText(source: string): unknown[] {
  const isFile = !source.includes('\n') && existsSync(source);
  const text = isFile ? readFileSync(source, 'utf8') : source;
  const docs: unknown[] = [];
  for (const d of decodeManifests(text, isFile ? source : undefined)) {
    if (d.error !== undefined)
      throw new Error(`PodContainer: error parsing ${isFile ? source : 'manifest'}: ${d.error}`);
    if (d.object !== undefined) docs.push(d.object);
  }
  return docs;
}

/** Sets (replacing same-named entries) the env vars of the named container in whichever pod has it. */
export function setEnvironment(pods: Pod[], container: string, vars: Record<string, string>): void {
  const targets = pods.flatMap((p) => [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]);
  const c = targets.find((x) => x.name === container);
  if (!c) throw new Error(`PodContainer: withEnvironment: no container named "${container}" in the manifests`);
  const env: EnvVar[] = (c.env ?? []).filter((e) => !Object.hasOwn(vars, e.name));
  for (const [name, value] of Object.entries(vars)) env.push({ name, value });
  c.env = env;
}
