// The yaml package (72 CommonJS modules, ~28 ms to load here) on first use (#17): `serve`
// needs it only for YAML it actually meets — a manifest file, a YAML request body, a
// kubeconfig to read — and JSON bodies and the kubeconfig it writes do without it.
// Synchronous (createRequire), so the callers' APIs stay synchronous.
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

const require = createRequire(import.meta.url);
let loaded: Yaml | undefined;

export function yaml(): Yaml {
  loaded ??= require('yaml') as Yaml;
  return loaded;
}
