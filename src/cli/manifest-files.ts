// Reading -f arguments: a file, a directory of manifests, or "-" for stdin.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeManifests } from '../apis/core/decode.js';

export interface ManifestDoc {
  file: string;
  object: unknown;
}

export function readManifestArgs(paths: string[]): ManifestDoc[] {
  const docs: ManifestDoc[] = [];
  for (const p of paths) {
    for (const file of expand(p)) {
      const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
      for (const d of decodeManifests(text, file)) {
        if (d.error !== undefined) throw new Error(`error parsing ${file}: ${d.error}`);
        if (d.object !== undefined) docs.push({ file, object: d.object });
      }
    }
  }
  return docs;
}

function expand(p: string): string[] {
  if (p === '-') return ['-'];
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p)
    .filter((n) => /\.(ya?ml|json)$/i.test(n) && !n.startsWith('.'))
    .sort()
    .map((n) => join(p, n));
}
