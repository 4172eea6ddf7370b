// Kubernetes `$(VAR)` expansion (third_party/forked/golang/expansion), used for
// env values, command and args by the sync (sync/container-env.ts) and by exec probes,
// as pkg/kubelet/container/helpers.go ExpandContainerCommandAndArgs serves both. Unlike a shell, an unresolvable reference is kept
// literally, and `$$` escapes a `$` so `$$(VAR)` yields the text `$(VAR)`.

import type { Container, EnvVar, VolumeMount } from '../apis/core/types.js';
import { ContainerConfigError } from './errors.js';

export type EnvLookup = (name: string) => string | undefined;

export function expand(input: string, lookup: EnvLookup): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const { text, isVar, advance } = readVariable(input.slice(cursor + 1));
    if (isVar) {
      const v = lookup(text);
      out += v ?? `$(${text})`;
    } else {
      out += text;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

/** What follows a `$`: an escaped `$`, a `(NAME)` reference, or plain text. */
function readVariable(rest: string): { text: string; isVar: boolean; advance: number } {
  if (rest[0] === '$') return { text: '$', isVar: false, advance: 1 };
  if (rest[0] === '(') {
    const close = rest.indexOf(')', 1);
    if (close >= 0) return { text: rest.slice(1, close), isVar: true, advance: close + 1 };
    // An unterminated reference is emitted as-is.
    return { text: '$(', isVar: false, advance: 1 };
  }
  return { text: `$${rest[0]}`, isVar: false, advance: 1 };
}

/** Resolves `valueFrom` (downward API, ConfigMap/Secret keys); undefined = skip the variable. */
export type ValueFromResolver = (v: EnvVar) => string | undefined;

/**
 * The container environment (makeEnvironmentVariables): `extra` first (envFrom,
 * pod-level variables), then `env` in order, each literal value expanded against
 * the variables defined before it. A later definition of a name replaces the
 * earlier value but keeps its position.
 */
export function buildEnv(
  container: Container,
  extra?: Record<string, string>,
  resolveValueFrom?: ValueFromResolver,
): { env: string[]; lookup: EnvLookup } {
  const vars = new Map<string, string>(Object.entries(extra ?? {}));
  const lookup: EnvLookup = (name) => vars.get(name);
  for (const ev of container.env ?? []) {
    if (ev.valueFrom) {
      const v = resolveValueFrom?.(ev);
      if (v !== undefined) vars.set(ev.name, v);
      continue;
    }
    vars.set(ev.name, expand(ev.value ?? '', lookup));
  }
  return { env: [...vars].map(([k, v]) => `${k}=${v}`), lookup };
}

/** `command` and `args` expanded against the final environment. */
export function expandCommand(container: Container, envLookup: EnvLookup): { command?: string[]; args?: string[] } {
  const out: { command?: string[]; args?: string[] } = {};
  if (container.command) out.command = container.command.map((s) => expand(s, envLookup));
  if (container.args) out.args = container.args.map((s) => expand(s, envLookup));
  return out;
}

/**
 * volumeMounts with each subPathExpr expanded into subPath against the container's final
 * environment (helpers.go ExpandContainerVolumeMounts): a variable that is unset or empty
 * is an error, never silently dropped. The result is checked like a subPath by the runtime.
 */
export function expandVolumeMounts(container: Container, envLookup: EnvLookup): VolumeMount[] {
  return (container.volumeMounts ?? []).map((m) => {
    if (!m.subPathExpr) return m;
    const missing = new Set<string>();
    const subPath = expand(m.subPathExpr, (name) => {
      const v = envLookup(name);
      if (!v) missing.add(name);
      return v ?? '';
    });
    if (missing.size) throw new ContainerConfigError(`missing value for ${[...missing].sort().join(', ')}`);
    const { subPathExpr: _expr, ...rest } = m;
    return { ...rest, subPath };
  });
}
