// Reading one snapshot of the manifests directory (pkg/kubelet/config/file.go
// extractFromDir): regular files sorted by name, dotfiles, subdirectories and editor
// temp files skipped, each document admitted on its own. A bad file is reported and
// skipped; it never stops the others or the agent. static-source.ts reads it again on
// every change and every --file-check-frequency.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ValidPod, KubeObject } from '../apis/core/types.js';
import { decodeManifests } from '../apis/core/decode.js';
import { admitObject } from '../apis/core/admit.js';
import { admitClaim } from '../apis/core/validate-pvc.js';
import { applyStaticPodDefaults } from './static-pod.js';
import { errorMessage } from '../util/errors.js';
import type { Sourced } from './static-set.js';

export interface FileSourceResult {
  pods: Sourced<ValidPod>[];
  objects: Sourced<KubeObject>[];
  /**
   * PersistentVolumeClaims as written (already checked by claim admission): the storage
   * manager creates the absent ones (static-source.ts).
   */
  claims: Sourced<unknown>[];
  errors: { file: string; message: string }[];
  /**
   * The directory itself could not be listed for a reason other than its absence: the
   * snapshot says nothing, so the previous one stands. (A missing directory is an empty
   * snapshot, as file.go listConfig sends an empty SET for a path that does not exist.)
   */
  unreadable?: boolean;
}

/**
 * Whether a directory entry is a manifest: `.yaml`, `.yml` or `.json`, not a dotfile
 * (file.go globs `[^.]*`: vim's `.x.yaml.swp`, emacs' `.#x.yaml`), and not an editor's
 * temp or backup file (`x.yaml~`, `#x.yaml#`, `x.yaml.swp`/`.swx`, vim's `4913` probe,
 * `x.yaml.tmp`), none of which ends in a manifest extension.
 */
export function isManifestFileName(name: string): boolean {
  return !name.startsWith('.') && /\.(ya?ml|json)$/i.test(name);
}

export function readManifestsDir(dir: string, nodeName: string, now: number = Date.now()): FileSourceResult {
  const result: FileSourceResult = { pods: [], objects: [], claims: [], errors: [] };
  const abs = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(abs).filter(isManifestFileName).sort();
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    result.errors.push({ file: abs, message: `cannot read manifests directory: ${errorMessage(err)}` });
    if (!missing) result.unreadable = true;
    return result;
  }
  for (const name of names) {
    const file = join(abs, name);
    // A dangling symlink or a file removed since readdir is reported and skipped
    // (pkg/kubelet/config/file.go extractFromDir logs and continues); a subdirectory
    // is not recursed into.
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch (err) {
      result.errors.push({ file, message: `cannot read manifest: ${errorMessage(err)}` });
      continue;
    }
    if (isFile) readManifestFile(file, nodeName, now, result);
  }
  return result;
}

/** A file's documents are all or nothing: one bad document skips the whole file. */
function readManifestFile(file: string, nodeName: string, now: number, result: FileSourceResult): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    result.errors.push({ file, message: `cannot read manifest: ${errorMessage(err)}` });
    return;
  }
  const pods: Sourced<ValidPod>[] = [];
  const objects: Sourced<KubeObject>[] = [];
  const claims: Sourced<unknown>[] = [];
  for (const doc of decodeManifests(text, file)) {
    if (doc.error !== undefined || doc.object === undefined) {
      result.errors.push({ file, message: doc.error ?? 'empty document' });
      return;
    }
    try {
      if (doc.kind === 'PersistentVolumeClaim') {
        // Checked now so a bad claim skips its file as any bad document does.
        admitClaim(doc.object, { namespace: claimNamespace(doc.object), now });
        claims.push({ file, obj: doc.object });
        continue;
      }
      const raw = doc.kind === 'Pod' ? applyStaticPodDefaults(doc.object, nodeName, file, now) : doc.object;
      // A static pod keeps the UID its source gave it (content hash, or the manifest's own,
      // as pkg/kubelet/config/common.go applyDefaults); admission assigns every other one.
      const uid = staticUid(raw);
      const obj = admitObject(raw, uid ? { uid: () => uid } : {});
      if (obj.kind === 'Pod') pods.push({ file, obj: obj as ValidPod });
      else objects.push({ file, obj });
    } catch (err) {
      result.errors.push({ file, message: errorMessage(err) });
      return;
    }
  }
  result.pods.push(...pods);
  result.objects.push(...objects);
  result.claims.push(...claims);
}

function claimNamespace(raw: unknown): string {
  const ns = (raw as { metadata?: { namespace?: unknown } }).metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/** The UID applyStaticPodDefaults gave a Pod document, if it is one. */
function staticUid(raw: unknown): string | undefined {
  const doc = raw as { kind?: unknown; metadata?: { uid?: unknown } } | null | undefined;
  const uid = doc?.kind === 'Pod' ? doc.metadata?.uid : undefined;
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
}
