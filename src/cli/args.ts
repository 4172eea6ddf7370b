// Flag parsing for the CLI verbs, with kubectl's flag names where kubectl has them.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every client verb understands. */
export const CLIENT_FLAGS: Options = {
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  help: { type: 'boolean', short: 'h' },
};

/** Flags that configure an agent (serve and run). */
export const AGENT_FLAGS: Options = {
  'root-dir': { type: 'string' },
  'node-name': { type: 'string' },
  'pod-infra-image': { type: 'string' },
  'pod-network': { type: 'string' },
  'pod-cidr': { type: 'string' },
  'pod-network-driver': { type: 'string' },
  'cni-bin-dir': { type: 'string' },
  'resolv-conf': { type: 'string' },
  'cluster-domain': { type: 'string' },
  'docker-host': { type: 'string' },
  'crash-loop-backoff-base': { type: 'string' },
  'crash-loop-backoff-max': { type: 'string' },
  'crash-loop-backoff-reset': { type: 'string' },
  'image-pull-backoff-base': { type: 'string' },
  'image-pull-backoff-max': { type: 'string' },
  'image-pull-stall-timeout': { type: 'string' },
  'runtime-request-timeout': { type: 'string' },
  'image-credentials': { type: 'string' },
  'max-pods': { type: 'string' },
  'allowed-unsafe-sysctls': { type: 'string' },
  'seccomp-profile-root': { type: 'string' },
  'system-reserved': { type: 'string' },
  'node-status-update-frequency': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parse(argv: string[], options: Options): Parsed {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  return { values: values as Parsed['values'], positionals };
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function bool(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** A positive whole number for a cap flag (--max-watches 200). */
export function parseCount(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new Error(`invalid value for --${flag}: "${text}" (a whole number > 0)`);
  return Number(text);
}

/** Go-style durations for back-off flags: 10s, 1m30s, 500ms, or plain seconds. */
export function parseDurationMs(text: string, flag: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    const n = Number(m[1]);
    total += n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0)
    throw new Error(`invalid duration for --${flag}: "${text}" (use e.g. 10s, 1m30s, 500ms)`);
  return total;
}

/** `exec POD -- CMD...`: the flags and positionals before `--`, and the command after it. */
export function splitDashDash(argv: string[]): { before: string[]; after: string[] | undefined } {
  const i = argv.indexOf('--');
  return i < 0 ? { before: argv, after: undefined } : { before: argv.slice(0, i), after: argv.slice(i + 1) };
}

/** `-h`/`--help` before any `--`: print the verb's help instead of connecting. */
export function wantsHelp(argv: string[]): boolean {
  return splitDashDash(argv).before.some((a) => a === '--help' || a === '-h');
}
