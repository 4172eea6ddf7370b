// Static pods from a manifests directory (pkg/kubelet/config/file.go): files sorted
// by name, dotfiles and subdirectories skipped, each document admitted on its own.
// A bad file is reported and skipped; it never stops the others or the agent.
// Watching the directory for changes is a later issue: it is read once at start.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ValidPod, KubeObject } from '../apis/core/types.js';
import { decodeManifests } from '../apis/core/decode.js';
import { admitObject } from '../apis/core/admit.js';
import { applyStaticPodDefaults } from './static-pod.js';
import { errorMessage } from '../util/errors.js';
import type { ObjectStore } from './object-store.js';

export interface FileSourceResult {
  pods: ValidPod[];
  objects: KubeObject[];
  errors: { file: string; message: string }[];
}

export function readManifestsDir(dir: string, nodeName: string): FileSourceResult {
  const result: FileSourceResult = { pods: [], objects: [], errors: [] };
  const abs = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(abs)
      .filter((n) => !n.startsWith('.'))
      .sort();
  } catch (err) {
    result.errors.push({ file: abs, message: `cannot read manifests directory: ${errorMessage(err)}` });
    return result;
  }
  for (const name of names) {
    if (!/\.(ya?ml|json)$/i.test(name)) continue;
    const file = join(abs, name);
    // A dangling symlink or a file removed since readdir is reported and skipped
    // (pkg/kubelet/config/file.go extractFromDir logs and continues).
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch (err) {
      result.errors.push({ file, message: `cannot read manifest: ${errorMessage(err)}` });
      continue;
    }
    if (isFile) readManifestFile(file, nodeName, result);
  }
  return result;
}

function readManifestFile(file: string, nodeName: string, result: FileSourceResult): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    result.errors.push({ file, message: `cannot read manifest: ${errorMessage(err)}` });
    return;
  }
  for (const doc of decodeManifests(text, file)) {
    if (doc.error !== undefined || doc.object === undefined) {
      result.errors.push({ file, message: doc.error ?? 'empty document' });
      continue;
    }
    try {
      const raw = doc.kind === 'Pod' ? applyStaticPodDefaults(doc.object, nodeName, file) : doc.object;
      // A static pod keeps the UID its source gave it (content hash, or the manifest's own,
      // as pkg/kubelet/config/common.go applyDefaults); admission assigns every other one.
      const uid = staticUid(raw);
      const obj = admitObject(raw, uid ? { uid: () => uid } : {});
      if (obj.kind === 'Pod') result.pods.push(obj as ValidPod);
      else result.objects.push(obj);
    } catch (err) {
      result.errors.push({ file, message: errorMessage(err) });
    }
  }
}

/** The UID applyStaticPodDefaults gave a Pod document, if it is one. */
function staticUid(raw: unknown): string | undefined {
  const doc = raw as { kind?: unknown; metadata?: { uid?: unknown } } | null | undefined;
  const uid = doc?.kind === 'Pod' ? doc.metadata?.uid : undefined;
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
}

/** Where the file source hands its pods (sources/pod-config.ts). */
export interface StaticPodSink {
  loadStaticPods(found: FileSourceResult, dir: string): void;
}

/** Read the manifests directory: its Secrets/ConfigMaps into the store first (pods read them), then its pods. */
export function loadManifestsDir(
  dir: string,
  nodeName: string,
  sinks: { objects: ObjectStore; podConfig: StaticPodSink },
): void {
  const found = readManifestsDir(dir, nodeName);
  for (const o of found.objects) {
    if (o.kind === 'Secret' || o.kind === 'ConfigMap') sinks.objects.put(o, { replace: true });
  }
  sinks.podConfig.loadStaticPods(found, dir);
}
